// Merkle trees over receipt digests: sorted-pair keccak256, promoted odd nodes, proofs that verify and fail as they should.
import { concat, keccak256, toHex, type Hex } from 'viem';
import {
  buildMerkleTree,
  EmptyMerkleTreeError,
  hashPair,
  merkleLeaf,
  merkleProof,
  verifyMerkleProof,
} from '../../../src/chain/merkle';

const digests = (n: number): Hex[] => Array.from({ length: n }, (_, i) => keccak256(toHex(`receipt-${i}`)));

describe('merkle', () => {
  it('hashes a leaf as keccak256 of the 32-byte digest', () => {
    const d = digests(1)[0]!;
    expect(merkleLeaf(d)).toBe(keccak256(d));
  });

  it('hashes pairs in sorted order, so the order of the two children does not matter', () => {
    const [a, b] = digests(2) as [Hex, Hex];
    expect(hashPair(a, b)).toBe(hashPair(b, a));
    const [lo, hi] = a.toLowerCase() < b.toLowerCase() ? [a, b] : [b, a];
    expect(hashPair(a, b)).toBe(keccak256(concat([lo, hi])));
  });

  it('uses a single leaf as the root', () => {
    const leaf = merkleLeaf(digests(1)[0]!);
    const tree = buildMerkleTree([leaf]);
    expect(tree.root).toBe(leaf);
    expect(merkleProof(tree, 0)).toEqual([]);
    expect(verifyMerkleProof(leaf, [], tree.root)).toBe(true);
  });

  it.each([2, 3, 4, 5, 7, 8, 16, 17])('proves every leaf of a %i-leaf tree and rejects the wrong leaf', (n) => {
    const leaves = digests(n).map(merkleLeaf);
    const tree = buildMerkleTree(leaves);
    leaves.forEach((leaf, i) => {
      const proof = merkleProof(tree, i);
      expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)));
      expect(verifyMerkleProof(leaf, proof, tree.root)).toBe(true);
      expect(verifyMerkleProof(leaves[(i + 1) % n]!, proof, tree.root)).toBe(false);
    });
  });

  it('computes a 3-leaf root by promoting the odd leaf', () => {
    const [a, b, c] = digests(3).map(merkleLeaf) as [Hex, Hex, Hex];
    expect(buildMerkleTree([a, b, c]).root).toBe(hashPair(hashPair(a, b), c));
  });

  it('rejects a tampered proof and an empty tree', () => {
    const leaves = digests(4).map(merkleLeaf);
    const tree = buildMerkleTree(leaves);
    const proof = merkleProof(tree, 2);
    expect(verifyMerkleProof(leaves[2]!, [proof[0]!, keccak256('0x01')], tree.root)).toBe(false);
    expect(() => buildMerkleTree([])).toThrow(EmptyMerkleTreeError);
    expect(() => merkleProof(tree, 4)).toThrow(RangeError);
  });
});
