// The reads of one x402 verification: prefetched once, served to the official verify only for byte-identical calls,
// failures never remembered; account code reused across verifications only within its time to live.
import { encodeFunctionData, parseAbi, type Chain, type PublicClient, type Transport } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { anvilPrivateKey } from '../../../src/config';
import {
  createCodeCache,
  paymentVerificationReads,
} from '../../../src/payments/facilitator/payment-verification-reads';
import { derivePaymentNonce, IdempotentExactEvmScheme } from '../../../src/payments';

const payer = privateKeyToAccount(anvilPrivateKey(4));
const asset = '0x5FbDB2315678afecb367f032d93F642f64180aa3' as const;
const requirements = {
  scheme: 'exact',
  network: 'eip155:31337' as const,
  asset,
  amount: '1000',
  payTo: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
  maxTimeoutSeconds: 300,
  extra: { name: 'Proofpath Dev USD', version: '1' },
};
const transferAbi = parseAbi([
  'function transferWithAuthorization(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, uint8 v, bytes32 r, bytes32 s)',
]);

/** A chain client that counts reads and answers from the given functions. */
function fakeClient(answers: { code?: () => Promise<`0x${string}` | undefined>; call?: () => Promise<unknown> } = {}) {
  const calls: Array<{ kind: 'code' | 'call'; key: string }> = [];
  const client = {
    getCode: async ({ address }: { address: string }) => {
      calls.push({ kind: 'code', key: address.toLowerCase() });
      return (answers.code ?? (async () => undefined))();
    },
    readContract: async (args: { address: string; abi: never; functionName: string; args: readonly unknown[] }) => {
      calls.push({
        kind: 'call',
        key: encodeFunctionData({ abi: args.abi, functionName: args.functionName, args: args.args } as never),
      });
      return (answers.call ?? (async () => undefined))();
    },
  } as unknown as PublicClient<Transport, Chain>;
  return { client, calls };
}

async function signedPayload() {
  const scheme = new IdempotentExactEvmScheme(payer, {
    nonce: derivePaymentNonce(payer.address, 'reads'),
    issuedAtSeconds: 1_800_000_000,
  });
  return (await scheme.createPaymentPayload(2, requirements)).payload as Record<string, unknown> & {
    authorization: Record<string, string>;
    signature: `0x${string}`;
  };
}

describe('verification reads', () => {
  it('prefetches the payer code, the asset code and the simulated transfer, and serves byte-identical calls from them', async () => {
    const { client, calls } = fakeClient();
    const reads = paymentVerificationReads(client);
    const payload = await signedPayload();
    reads.prefetch(payload, requirements as never);
    expect(calls.map((c) => c.kind).sort()).toEqual(['call', 'code', 'code']);

    // The verify asks with x402's own ABI object and the signature split as it splits it: same call data, no new read.
    const { authorization: a, signature } = payload;
    const v = BigInt(Number.parseInt(signature.slice(130), 16));
    const args = [
      a.from,
      a.to,
      BigInt(a.value!),
      BigInt(a.validAfter!),
      BigInt(a.validBefore!),
      a.nonce,
      v,
      `0x${signature.slice(2, 66)}`,
      `0x${signature.slice(66, 130)}`,
    ];
    await reads.readContract({ address: asset, abi: transferAbi, functionName: 'transferWithAuthorization', args });
    await reads.getCode({ address: payer.address });
    expect(calls).toHaveLength(3);

    // A different call is read from the chain.
    await reads.readContract({
      address: asset,
      abi: transferAbi,
      functionName: 'transferWithAuthorization',
      args: [...args.slice(0, 2), 1n, ...args.slice(3)],
    });
    expect(calls).toHaveLength(4);
  });

  it('does not remember a failed read, and does not leave the failure unhandled', async () => {
    let fail = true;
    const { client, calls } = fakeClient({
      call: async () => {
        if (fail) throw new Error('reverted');
        return 'ok';
      },
    });
    const reads = paymentVerificationReads(client);
    const payload = await signedPayload();
    reads.prefetch(payload, requirements as never);
    await new Promise((resolve) => setImmediate(resolve));
    fail = false;
    const call = calls.find((c) => c.kind === 'call')!;
    expect(call).toBeDefined();
    const { authorization: a, signature } = payload;
    const args = [
      a.from,
      a.to,
      BigInt(a.value!),
      BigInt(a.validAfter!),
      BigInt(a.validBefore!),
      a.nonce,
      BigInt(Number.parseInt(signature.slice(130), 16)),
      `0x${signature.slice(2, 66)}`,
      `0x${signature.slice(66, 130)}`,
    ];
    await expect(
      reads.readContract({ address: asset, abi: transferAbi, functionName: 'transferWithAuthorization', args }),
    ).resolves.toBe('ok');
    expect(calls.filter((c) => c.kind === 'call')).toHaveLength(2);
  });

  it('skips the simulated transfer for anything but a plain 65-byte signature, and everything for a non-EIP-3009 payload', async () => {
    const { client, calls } = fakeClient();
    const payload = await signedPayload();
    paymentVerificationReads(client).prefetch(
      { ...payload, signature: `${payload.signature}${'00'.repeat(32)}` },
      requirements as never,
    );
    expect(calls.map((c) => c.kind)).toEqual(['code', 'code']);
    paymentVerificationReads(client).prefetch({ permit2Authorization: {} }, requirements as never);
    expect(calls).toHaveLength(2);
  });

  it('shares account code across verifications only while it is fresh', async () => {
    let clock = 0;
    const cache = createCodeCache(2_000, () => clock);
    const { client, calls } = fakeClient({ code: async () => '0x' });
    await paymentVerificationReads(client, cache).getCode({ address: payer.address });
    clock = 1_999;
    await paymentVerificationReads(client, cache).getCode({ address: payer.address });
    expect(calls).toHaveLength(1);
    clock = 2_000;
    await paymentVerificationReads(client, cache).getCode({ address: payer.address });
    expect(calls).toHaveLength(2);
    // A time to live of 0 reads for every verification.
    const uncached = createCodeCache(0, () => clock);
    await paymentVerificationReads(client, uncached).getCode({ address: payer.address });
    await paymentVerificationReads(client, uncached).getCode({ address: payer.address });
    expect(calls).toHaveLength(4);
  });
});
