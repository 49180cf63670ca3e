// Pure Merkle tree over receipt digests, verifiable on chain with OpenZeppelin's MerkleProof (sorted pairs, keccak256).
// leaf(d)    = keccak256(d)            where d is the 32-byte EIP-712 digest of a receipt. Hashing the digest once more
//                                        makes leaves (32-byte preimages) distinct from inner nodes (64-byte preimages),
//                                        which closes the second-preimage trick of presenting an inner node as a leaf.
// node(a, b) = keccak256(min(a,b) ‖ max(a,b))   sorted pairs, so a proof is a plain list of siblings without sides.
// A layer with an odd count promotes its last node unchanged to the next layer (no duplication).
import { EngineError } from '../errors';
import { concat, keccak256, type Hex } from 'viem';

export class EmptyMerkleTreeError extends EngineError<'merkle_tree_empty'> {
  override readonly name = 'EmptyMerkleTreeError';
  constructor() {
    super('merkle_tree_empty', 'a Merkle tree needs at least one leaf');
  }
}

export type MerkleTree = { root: Hex; layers: Hex[][] };

const normalize = (h: Hex): Hex => h.toLowerCase() as Hex;

export function merkleLeaf(receiptDigest: Hex): Hex {
  return keccak256(receiptDigest);
}

export function hashPair(a: Hex, b: Hex): Hex {
  const [x, y] = [normalize(a), normalize(b)];
  return keccak256(x < y ? concat([x, y]) : concat([y, x]));
}

export function buildMerkleTree(leaves: readonly Hex[]): MerkleTree {
  if (leaves.length === 0) throw new EmptyMerkleTreeError();
  const layers: Hex[][] = [leaves.map(normalize)];
  let layer = layers[0] as Hex[];
  while (layer.length > 1) {
    const next: Hex[] = [];
    for (let i = 0; i < layer.length; i += 2) {
      const left = layer[i] as Hex;
      const right = layer[i + 1];
      next.push(right === undefined ? left : hashPair(left, right));
    }
    layers.push(next);
    layer = next;
  }
  return { root: layer[0] as Hex, layers };
}

/** Siblings from the leaf up to (not including) the root; promoted nodes contribute no sibling. */
export function merkleProof(tree: MerkleTree, index: number): Hex[] {
  const leafCount = tree.layers[0]?.length ?? 0;
  if (!Number.isInteger(index) || index < 0 || index >= leafCount)
    throw new RangeError(`leaf index ${index} is outside 0..${leafCount - 1}`);
  const proof: Hex[] = [];
  let position = index;
  for (const layer of tree.layers.slice(0, -1)) {
    const sibling = layer[position % 2 === 0 ? position + 1 : position - 1];
    if (sibling !== undefined) proof.push(sibling);
    position = Math.floor(position / 2);
  }
  return proof;
}

export function verifyMerkleProof(leaf: Hex, proof: readonly Hex[], root: Hex): boolean {
  const computed = proof.reduce<Hex>((node, sibling) => hashPair(node, sibling), normalize(leaf));
  return computed === normalize(root);
}
