// Adapter from the model registries (built-in models/manifest.json, user MODELS_DIR/registry.json; src/models) to the
// proof module's ModelBytesSource port.
import path from 'node:path';
import { DEFAULT_MODELS_DIR, loadModelManifest, loadUserModels, readVerifiedModel } from '../../models';
import { VerificationError } from '../errors';
import type { ModelBytesSource } from './proving-keys';

/** Reads a model's ONNX bytes by content id; readVerifiedModel refuses bytes that do not hash to the id. */
export function modelBytesFromRegistry(
  modelsDir: string = DEFAULT_MODELS_DIR,
  userModelsDir?: string,
): ModelBytesSource {
  return async (modelId) => {
    const manifest = await loadModelManifest(modelsDir);
    const entry = manifest.models.find((m) => m.id === modelId);
    if (entry) return readVerifiedModel(path.join(modelsDir, entry.file), modelId);
    const registered = userModelsDir ? (await loadUserModels(userModelsDir)).find((m) => m.id === modelId) : undefined;
    if (registered) return readVerifiedModel(path.join(userModelsDir as string, registered.file), modelId);
    throw new VerificationError(
      'proof_circuit_unavailable',
      `model ${modelId} is neither in ${modelsDir}/manifest.json nor registered${userModelsDir ? ` in ${userModelsDir}` : ''}`,
    );
  };
}
