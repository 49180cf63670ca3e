// Adapts the ONNX model registry (src/models ModelRuntime) to the node's InferenceRuntime port.
import type { ModelRuntime } from '../models';
import type { InferenceRuntime } from './runtime';

export function inferenceRuntimeFromModels(models: ModelRuntime): InferenceRuntime {
  return {
    listModels: () =>
      models.listModels().map((m) => ({
        modelId: m.id,
        name: m.name,
        schema: {
          featureOrder: m.featureOrder,
          outputs: m.outputs,
          opset: m.opset,
          priceHint: m.priceHint,
          source: m.source,
          ...(m.proof ? { proof: m.proof } : {}),
        },
        featureCount: m.featureOrder.length,
      })),
    validateRows(modelId, rows) {
      const description = models.listModels().find((m) => m.id === modelId);
      if (!description) return [`no model ${modelId}`];
      const checked = description.inputSchema.safeParse(rows);
      return checked.success
        ? []
        : checked.error.issues.map((i) => `rows${i.path.map((p) => `[${String(p)}]`).join('')}: ${i.message}`);
    },
    async infer(modelId, rows) {
      const { outputs, inputHash, outputHash } = await models.infer(modelId, rows);
      return { outputs, inputHash, outputHash };
    },
  };
}
