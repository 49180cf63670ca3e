// Reads a model file and proves it is the model its id names: the id is the sha256 of the exact bytes.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ModelIntegrityError } from './errors';

/** sha256 hex of ONNX bytes: a model's content id. */
export function modelIdOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Returns the bytes only if they hash to `modelId`. The session is then built from these same bytes, so the file
 * cannot change between the check and the load.
 */
export async function readVerifiedModel(file: string, modelId: string): Promise<Uint8Array> {
  const bytes = await readFile(file);
  const actualId = modelIdOf(bytes);
  if (actualId !== modelId) throw new ModelIntegrityError({ modelId, actualId, file });
  return bytes;
}
