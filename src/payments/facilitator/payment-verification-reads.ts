// The chain reads of one x402 verification, issued together up front and handed to the official verify as it asks.
//
// x402's EVM exact verify reads in sequence: the payer's code (twice), then, after checking the signature in process,
// a simulated transferWithAuthorization (eth_call). Those reads do not depend on each other's answers, so the node
// starts all of them the moment a payment arrives (concurrent requests) and the verify finds them in flight or done.
// Correctness never rests on the prefetch: a read the verify asks for is served from this verification's memo only
// when its call data is byte-identical; anything else is read from the chain as usual. Contract calls (the simulated
// transfer above all) never outlive their verification. Account code may (CodeCache): it only decides which signature
// pre-check x402 runs in process, while the simulated transfer, always read fresh, runs the token's own check.
import {
  encodeFunctionData,
  getAddress,
  parseAbi,
  parseSignature,
  type Abi,
  type Chain,
  type GetCodeReturnType,
  type Hex,
  type PublicClient,
  type Transport,
} from 'viem';
import type { PaymentRequirements } from '@x402/core/types';
import { eip3009PayloadOf } from '../authorization';

/** The two EIP-3009 transfer forms the token accepts: (v, r, s) and a bytes signature (ERC-1271 wallets). */
const TRANSFER_WITH_AUTHORIZATION: Abi = parseAbi([
  'function transferWithAuthorization(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, uint8 v, bytes32 r, bytes32 s)',
  'function transferWithAuthorization(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, bytes signature)',
]);

type ReadContractArgs = {
  address: `0x${string}`;
  abi: readonly unknown[];
  functionName: string;
  args?: readonly unknown[];
};
type Reader = PublicClient<Transport, Chain>;

export type VerificationReads = {
  getCode(args: { address: `0x${string}` }): Promise<GetCodeReturnType>;
  readContract(args: ReadContractArgs): Promise<unknown>;
};

function callKey(address: string, data: Hex): string {
  return `${address.toLowerCase()}:${data}`;
}

function remember<T>(map: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  const known = map.get(key);
  if (known) return known;
  const pending = read();
  map.set(key, pending);
  pending.catch(() => map.delete(key)); // a failed read is asked again, not remembered (and never unhandled)
  return pending;
}

/** Account code shared by the verifications of one process, each entry for `ttlMs` after it was asked for. */
export type CodeCache = {
  codeOf(address: `0x${string}`, read: () => Promise<GetCodeReturnType>): Promise<GetCodeReturnType>;
};

export function createCodeCache(ttlMs: number, now: () => number = Date.now): CodeCache {
  // Insertion order is expiry order (every entry lives ttlMs), so expired entries are always at the front: dropping
  // them there on each call keeps the cache to the addresses seen within the last ttlMs.
  const entries = new Map<string, { code: Promise<GetCodeReturnType>; expiresAt: number }>();
  return {
    codeOf(address, read) {
      const at = now();
      for (const [key, entry] of entries) {
        if (entry.expiresAt > at) break;
        entries.delete(key);
      }
      const key = address.toLowerCase();
      const known = entries.get(key);
      if (known) return known.code;
      const code = read();
      if (ttlMs > 0) {
        entries.set(key, { code, expiresAt: at + ttlMs });
        code.catch(() => entries.get(key)?.code === code && entries.delete(key)); // a failed read is not remembered
      }
      return code;
    },
  };
}

/** Memoized reads for one verification; `prefetch` starts the reads an EIP-3009 verify will make. */
export function paymentVerificationReads(
  client: Reader,
  codeCache: CodeCache = createCodeCache(0),
): VerificationReads & { prefetch(payload: Record<string, unknown>, requirements: PaymentRequirements): void } {
  const code = new Map<string, Promise<GetCodeReturnType>>();
  const calls = new Map<string, Promise<unknown>>();

  const reads: VerificationReads = {
    getCode: (args) =>
      remember(code, args.address.toLowerCase(), () => codeCache.codeOf(args.address, () => client.getCode(args))),
    readContract(args) {
      const data = encodeFunctionData({ abi: args.abi as Abi, functionName: args.functionName, args: args.args ?? [] });
      return remember(calls, callKey(args.address, data), () => client.readContract(args as never));
    },
  };

  return {
    ...reads,
    prefetch(payload, requirements) {
      const parsed = eip3009PayloadOf(payload);
      if (!parsed) return; // Permit2 or malformed: the verify reads (or refuses) on its own
      const { authorization: a, signature } = parsed;
      void reads.getCode({ address: getAddress(a.from) }).catch(() => undefined);
      void reads.getCode({ address: getAddress(requirements.asset) }).catch(() => undefined);
      if (signature.length !== 132) return; // not a plain 65-byte signature (ERC-6492 wrapped): simulated differently
      const { r, s, v, yParity } = parseSignature(signature as Hex);
      const args = [
        getAddress(a.from),
        getAddress(a.to),
        BigInt(a.value),
        BigInt(a.validAfter),
        BigInt(a.validBefore),
        a.nonce,
        v ?? yParity,
        r,
        s,
      ];
      void reads
        .readContract({
          address: getAddress(requirements.asset),
          abi: TRANSFER_WITH_AUTHORIZATION,
          functionName: 'transferWithAuthorization',
          args,
        })
        .catch(() => undefined);
    },
  };
}
