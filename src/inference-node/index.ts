// Public surface of the inference node.
export { startInferenceNode, type InferenceNodeOptions, type InferenceNodeHandle } from './start';
export type { InferenceRuntime, ServedModel, CommittedOutputs } from './runtime';
export { createEphemeralReceiptSigner, type ReceiptSigner } from './receipt-signer';
export { receiptIdOf } from './receipt-id';
export { createPricing, PriceConfigError } from './pricing';
export { inferenceRuntimeFromModels } from './models-adapter';
export { NodeStartError, NODE_START_REASONS, type NodeStartReason } from './node-start-error';
