// Canonical tensor hashing: the documented byte layout, float32 rounding, and refusal of unencodable tensors.
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import { createHash } from 'node:crypto';
import { encodeTensor, inputHash, outputHash, TensorEncodingError } from '../../../src/models/workflow-safe';

describe('canonical tensor hash', () => {
  it('encodes domain, u32le rank and dims, then float32 little-endian values row-major', () => {
    const bytes = encodeTensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const domain = Buffer.from('proofpath.tensor.v1', 'utf8');
    const header = Buffer.alloc(12);
    header.writeUInt32LE(2, 0);
    header.writeUInt32LE(3, 4);
    header.writeUInt32LE(2, 8);
    const values = Buffer.alloc(24);
    [1, 2, 3, 4, 5, 6].forEach((v, i) => values.writeFloatLE(v, i * 4));
    expect(Buffer.from(bytes).equals(Buffer.concat([domain, header, values]))).toBe(true);
  });

  it('hashes with sha256 into 0x-prefixed lowercase hex (matches node:crypto)', () => {
    const rows = [[0.1, -2.5, 1e6]];
    const expected = `0x${createHash('sha256').update(encodeTensor(rows)).digest('hex')}`;
    expect(inputHash(rows)).toBe(expected);
    expect(inputHash(rows)).toBe(`0x${bytesToHex(sha256(encodeTensor(rows)))}`);
    expect(inputHash(rows)).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('rounds to float32 first: values equal in float32 hash equally, different ones do not', () => {
    expect(inputHash([[0.1]])).toBe(inputHash([[Math.fround(0.1)]]));
    expect(inputHash([[0.1]])).not.toBe(inputHash([[0.1000001]]));
    expect(inputHash([[-0]])).toBe(inputHash([[0]]));
  });

  it('distinguishes shapes holding the same values', () => {
    expect(outputHash([[1, 2, 3, 4]])).not.toBe(outputHash([
      [1, 2],
      [3, 4],
    ]));
  });

  it('refuses empty, ragged and non-finite tensors', () => {
    expect(() => inputHash([])).toThrow(TensorEncodingError);
    expect(() => inputHash([[1, 2], [3]])).toThrow(/row 1 has 1 values, expected 2/);
    expect(() => inputHash([[Number.NaN]])).toThrow(/\[0\]\[0\] is not finite/);
  });
});
