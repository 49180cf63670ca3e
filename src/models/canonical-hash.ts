// Canonical hashes of input and output tensors, shared by the inference node, receipts, workflows and verifiers.
//
// Encoding "proofpath.tensor.v1" (documented in the README):
//   sha256( utf8("proofpath.tensor.v1") || u32le(rank) || u32le(dim_0) || ... || u32le(dim_{rank-1})
//           || float32le(v_0) || float32le(v_1) || ... )          values in row-major order
// rendered as lowercase hex with a 0x prefix. Rows are a rank-2 tensor [N, F]. Every value is rounded to
// float32 first (Math.fround, exactly what the ONNX input tensor holds), -0 is written as +0 (the model cannot tell
// them apart, so the hash must not either), and NaN/Infinity are refused. Pure: @noble/hashes, no Node built-ins.
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import { TensorEncodingError } from './errors';

export const TENSOR_HASH_DOMAIN = 'proofpath.tensor.v1';

export type Hex = `0x${string}`;

/** The exact bytes that are hashed; exported so other implementations can test against it. */
export function encodeTensor(rows: ReadonlyArray<ReadonlyArray<number>>): Uint8Array {
  const n = rows.length;
  const f = rows[0]?.length ?? 0;
  if (n === 0 || f === 0) throw new TensorEncodingError('tensor must have at least one row and one column');
  const domain = new TextEncoder().encode(TENSOR_HASH_DOMAIN);
  const headerBytes = domain.length + 4 * 3;
  const out = new Uint8Array(headerBytes + 4 * n * f);
  out.set(domain, 0);
  const view = new DataView(out.buffer);
  view.setUint32(domain.length, 2, true);
  view.setUint32(domain.length + 4, n, true);
  view.setUint32(domain.length + 8, f, true);
  let offset = headerBytes;
  for (let i = 0; i < n; i++) {
    const row = rows[i] as ReadonlyArray<number>;
    if (row.length !== f) throw new TensorEncodingError(`row ${i} has ${row.length} values, expected ${f}`);
    for (let j = 0; j < f; j++) {
      const value = row[j] as number;
      if (!Number.isFinite(value)) throw new TensorEncodingError(`value at [${i}][${j}] is not finite`);
      view.setFloat32(offset, value === 0 ? 0 : value, true);
      offset += 4;
    }
  }
  return out;
}

/** Canonical hash of a [N, F] tensor. */
export function tensorHash(rows: ReadonlyArray<ReadonlyArray<number>>): Hex {
  return `0x${bytesToHex(sha256(encodeTensor(rows)))}`;
}

/** Hash of the feature rows as fed to the model (same encoding as outputs; the receipt says which is which). */
export const inputHash = tensorHash;

/** Hash of the model's output rows. */
export const outputHash = tensorHash;
