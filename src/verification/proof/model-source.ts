// Adapter from the model registry (models/manifest.json + files, src/models) to the proof module's ModelBytesSource port.
import path from 'node:path';
import { DEFAULT_MODELS_DIR, loadModelManifest, readVerifiedModel } from '../../models';
import { VerificationError } from '../errors';
import type { ModelBytesSource } from './proving-keys';

/** Reads a model's ONNX bytes by content id; readVerifiedModel refuses bytes that do not hash to the id. */
export function modelBytesFromRegistry(modelsDir: string = DEFAULT_MODELS_DIR): ModelBytesSource {
  return async (modelId) => {
    const manifest = await loadModelManifest(modelsDir);
    const entry = manifest.models.find((m) => m.id === modelId);
    if (!entry) throw new VerificationError('proof_circuit_unavailable', `model ${modelId} is not in ${modelsDir}/manifest.json`);
    return readVerifiedModel(path.join(modelsDir, entry.file), modelId);
  };
}
