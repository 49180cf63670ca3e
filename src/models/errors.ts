// Named, stable errors of the models folder; pure (the error base has no imports) so workflow code can import them.
import { EngineError } from '../errors/engine-error';

/** Base class: `code` is stable and machine-readable; `retryable` is false because none of these heal on retry. */
export class ModelError extends EngineError {
  declare readonly details: Record<string, unknown>;
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, { details });
    // Each subclass's own class name, so retry policies and logs see e.g. `ModelNotFoundError`.
    (this as { name: string }).name = new.target.name;
  }
}

/** Thrown when a model file's sha256 differs from the id the manifest declares: the file was changed or swapped. */
export class ModelIntegrityError extends ModelError {
  constructor(details: { modelId: string; actualId: string; file: string }) {
    super('model_hash_mismatch', `model file ${details.file} hashes to ${details.actualId}, not its declared id ${details.modelId}`, details);
  }
}

/** Thrown when a model id (or name) is not in the loaded manifest. */
export class ModelNotFoundError extends ModelError {
  constructor(modelId: string) {
    super('model_not_found', `no model with id or name ${modelId} in the manifest`, { modelId });
  }
}

/** Thrown when models/manifest.json is missing, malformed, or disagrees with the feature builders. */
export class ModelManifestError extends ModelError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('model_manifest_invalid', message, details);
  }
}

/** Thrown when inference rows do not fit the model's input schema; `field` names the offending cell, e.g. `rows[3][2]`. */
export class ModelInputError extends ModelError {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super('model_input_invalid', `${field}: ${reason}`, { field });
  }
}

/** Thrown when a tensor cannot be canonically encoded (empty, ragged, or holding NaN/Infinity). */
export class TensorEncodingError extends ModelError {
  constructor(reason: string) {
    super('tensor_not_encodable', reason);
  }
}

/** Thrown by the feature builders; `field` is the path of the bad input, e.g. `candidates[2].onTimeRate`. */
export class FeatureValidationError extends ModelError {
  constructor(
    readonly field: string,
    reason: string,
    readonly issues: ReadonlyArray<{ field: string; message: string }> = [{ field, message: reason }],
  ) {
    super('feature_input_invalid', `${field}: ${reason}`, { field, issues });
  }
}

/**
 * Thrown when what a manifest or registry entry declares about a model (an input or output name, element type, shape)
 * disagrees with the ONNX graph itself. `field` names the declaration, e.g. `output.shape[1]`; `declared` and `actual`
 * say what each side holds. Loading stops: a wrong width would otherwise reshape every answer silently.
 */
export class ModelManifestMismatchError extends ModelError {
  constructor(
    readonly field: string,
    declared: unknown,
    actual: unknown,
    modelId?: string,
  ) {
    super('model_manifest_mismatch', `${field}: declared ${JSON.stringify(declared)}, but the model has ${JSON.stringify(actual)}`, { field, declared, actual, ...(modelId ? { modelId } : {}) });
  }
}

/** Thrown when a file offered as a model is not an ONNX model the engine can serve (unreadable, no float input, ...). */
export class ModelFileError extends ModelError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('model_file_invalid', message, details);
  }
}

/** Thrown by the user model registry when the name is a built-in model's or already names another registered model. */
export class ModelRegistryError extends ModelError {
  constructor(code: 'model_name_taken', message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}
