// Jest environment shared by every test: jest's sandbox has its own Float32Array, while native addons (onnxruntime-node)
// addon creates output tensors with the host's, so onnxruntime-common's `instanceof Float32Array` check fails.
// Sharing the host's typed-array constructors with the sandbox fixes it (test-only; production has one realm).
import { TestEnvironment } from 'jest-environment-node';

const TYPED_ARRAYS = [
  'Float32Array',
  'Float64Array',
  'Int8Array',
  'Uint8Array',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
  'ArrayBuffer',
] as const;

export default class OnnxTestEnvironment extends TestEnvironment {
  constructor(...args: ConstructorParameters<typeof TestEnvironment>) {
    super(...args);
    for (const name of TYPED_ARRAYS) (this.global as Record<string, unknown>)[name] = globalThis[name];
  }
}
