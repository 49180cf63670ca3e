// fastLocalAccount signs what privateKeyToAccount signs, byte for byte (RFC 6979 is deterministic), for every kind of
// signature the engine's accounts make: EIP-191 messages, EIP-712 (EIP-3009) authorizations, and the transactions
// settlements and commitments send; it carries the nonce manager and refuses what it does not implement.
import fc from 'fast-check';
import {
  parseTransaction,
  recoverTransactionAddress,
  serializeTransaction,
  type Hex,
  type TransactionSerializable,
  type TransactionSerializableEIP1559,
  type TransactionSerializableEIP2930,
  type TransactionSerializableLegacy,
} from 'viem';
import { createNonceManager, nonceManager, privateKeyToAccount } from 'viem/accounts';
import { createChainClients } from '../../../src/chain';
import { fastLocalAccount, SignatureInputError, UnsupportedTransactionError } from '../../../src/signatures';
import { digestArbitrary, hex32, privateKeyArbitrary } from './builders';

const KEY = hex32(0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318n);

const addressArbitrary = fc
  .uint8Array({ minLength: 20, maxLength: 20 })
  .map((b) => `0x${Buffer.from(b).toString('hex')}` as Hex);
const dataArbitrary = fc.uint8Array({ maxLength: 200 }).map((b) => `0x${Buffer.from(b).toString('hex')}` as Hex);
const uint = (bits: number) => fc.bigInt({ min: 0n, max: 2n ** BigInt(bits) - 1n });

/** The shape the x402 exact scheme signs: EIP-3009 TransferWithAuthorization on the payment token. */
const transferWithAuthorizationArbitrary = fc.record({
  domain: fc.record({
    name: fc.constantFrom('USD Coin', 'Proofpath Dollar'),
    version: fc.constantFrom('1', '2'),
    chainId: fc.constantFrom(1, 8453, 31337),
    verifyingContract: addressArbitrary,
  }),
  types: fc.constant({
    TransferWithAuthorization: [
      { name: 'from', type: 'address' },
      { name: 'to', type: 'address' },
      { name: 'value', type: 'uint256' },
      { name: 'validAfter', type: 'uint256' },
      { name: 'validBefore', type: 'uint256' },
      { name: 'nonce', type: 'bytes32' },
    ],
  }),
  primaryType: fc.constant('TransferWithAuthorization' as const),
  message: fc.record({
    from: addressArbitrary,
    to: addressArbitrary,
    value: uint(256),
    validAfter: uint(64),
    validBefore: uint(64),
    nonce: digestArbitrary,
  }),
});

const common = {
  to: addressArbitrary,
  nonce: fc.integer({ min: 0, max: 2 ** 31 }),
  gas: uint(64),
  value: uint(128),
  data: dataArbitrary,
};
const accessListArbitrary = fc.array(
  fc.record({ address: addressArbitrary, storageKeys: fc.array(digestArbitrary, { maxLength: 2 }) }),
  { maxLength: 2 },
);
const legacyArbitrary: fc.Arbitrary<TransactionSerializableLegacy> = fc.record({
  ...common,
  type: fc.constant('legacy' as const),
  gasPrice: uint(64),
  // Without a chain id the legacy transaction is pre-EIP-155 (v = 27/28); with one, v = chainId * 2 + 35/36.
  chainId: fc.option(fc.constantFrom(1, 31337, 84532), { nil: undefined }),
});
const eip2930Arbitrary: fc.Arbitrary<TransactionSerializableEIP2930> = fc.record({
  ...common,
  type: fc.constant('eip2930' as const),
  chainId: fc.constantFrom(1, 31337, 84532),
  gasPrice: uint(64),
  accessList: accessListArbitrary,
});
// The tip may not exceed the fee cap (viem's serializer asserts it), so the tip is drawn under the cap.
const feesArbitrary = uint(64).chain((maxFeePerGas) =>
  fc.bigInt({ min: 0n, max: maxFeePerGas }).map((maxPriorityFeePerGas) => ({ maxFeePerGas, maxPriorityFeePerGas })),
);
const eip1559Arbitrary: fc.Arbitrary<TransactionSerializableEIP1559> = fc
  .tuple(
    fc.record({
      ...common,
      type: fc.constant('eip1559' as const),
      chainId: fc.constantFrom(1, 31337, 84532),
      accessList: accessListArbitrary,
    }),
    feesArbitrary,
  )
  .map(([transaction, fees]) => ({ ...transaction, ...fees }));

describe('fastLocalAccount', () => {
  it('has the address and public key privateKeyToAccount gives, over random keys', () => {
    fc.assert(
      fc.property(privateKeyArbitrary, (privateKey) => {
        const ours = fastLocalAccount(privateKey);
        const viems = privateKeyToAccount(privateKey);
        expect(ours.address).toBe(viems.address);
        expect(ours.publicKey).toBe(viems.publicKey);
        expect(ours.type).toBe('local');
      }),
      { numRuns: 100, seed: 21 },
    );
  });

  it('signs a digest as privateKeyToAccount’s sign does', async () => {
    await fc.assert(
      fc.asyncProperty(privateKeyArbitrary, digestArbitrary, async (privateKey, hash) => {
        expect(await fastLocalAccount(privateKey).sign({ hash })).toBe(
          await privateKeyToAccount(privateKey).sign({ hash }),
        );
      }),
      { numRuns: 50, seed: 22 },
    );
  });

  it('signs EIP-191 messages (text and raw bytes) as privateKeyToAccount does', async () => {
    const message = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 100 }).map((raw) => ({ raw })),
    );
    await fc.assert(
      fc.asyncProperty(privateKeyArbitrary, message, async (privateKey, m) => {
        expect(await fastLocalAccount(privateKey).signMessage({ message: m })).toBe(
          await privateKeyToAccount(privateKey).signMessage({ message: m }),
        );
      }),
      { numRuns: 50, seed: 23 },
    );
  });

  it('signs EIP-3009 TransferWithAuthorization typed data as privateKeyToAccount does', async () => {
    await fc.assert(
      fc.asyncProperty(privateKeyArbitrary, transferWithAuthorizationArbitrary, async (privateKey, typed) => {
        expect(await fastLocalAccount(privateKey).signTypedData(typed)).toBe(
          await privateKeyToAccount(privateKey).signTypedData(typed),
        );
      }),
      { numRuns: 100, seed: 24 },
    );
  });

  it.each<[string, fc.Arbitrary<TransactionSerializable>, number]>([
    ['legacy', legacyArbitrary, 25],
    ['EIP-2930', eip2930Arbitrary, 26],
    ['EIP-1559', eip1559Arbitrary, 27],
  ])('signs %s transactions byte for byte as privateKeyToAccount does', async (_kind, transactions, seed) => {
    const parities = new Set<number | undefined>();
    await fc.assert(
      fc.asyncProperty(privateKeyArbitrary, transactions, async (privateKey, transaction) => {
        const ours = await fastLocalAccount(privateKey).signTransaction(transaction);
        expect(ours).toBe(await privateKeyToAccount(privateKey).signTransaction(transaction));
        await expect(recoverTransactionAddress({ serializedTransaction: ours as never })).resolves.toBe(
          privateKeyToAccount(privateKey).address,
        );
        parities.add(parseTransaction(ours).yParity);
      }),
      { numRuns: 60, seed },
    );
    // Both recovery ids came up, so both spellings of the signature's parity were compared.
    expect([...parities].sort()).toEqual([0, 1]);
  });

  it('signs with the serializer it is given, as viem does', async () => {
    const calls: Array<boolean> = [];
    const serializer = ((transaction: TransactionSerializable, signature?: unknown) => {
      calls.push(signature !== undefined);
      return serializeTransaction(transaction, signature as never);
    }) as typeof serializeTransaction;
    const transaction: TransactionSerializableEIP1559 = {
      type: 'eip1559',
      chainId: 31337,
      to: privateKeyToAccount(KEY).address,
      nonce: 3,
      gas: 21_000n,
      maxFeePerGas: 2n,
      maxPriorityFeePerGas: 1n,
      value: 1n,
    };
    const ours = await fastLocalAccount(KEY).signTransaction(transaction, { serializer });
    // Once unsigned (the hash that is signed), once with the signature.
    expect(calls).toEqual([false, true]);
    expect(ours).toBe(await privateKeyToAccount(KEY).signTransaction(transaction, { serializer }));
  });

  it('carries the nonce manager it is given, which hands concurrent sends distinct nonces', async () => {
    expect(fastLocalAccount(KEY).nonceManager).toBeUndefined();
    expect(fastLocalAccount(KEY, { nonceManager }).nonceManager).toBe(nonceManager);

    const manager = createNonceManager({ source: { get: async () => 7, set: () => undefined } });
    const account = fastLocalAccount(KEY, { nonceManager: manager });
    const nonces = await Promise.all(
      [0, 1, 2].map(() =>
        account.nonceManager!.consume({ address: account.address, chainId: 31337, client: {} as never }),
      ),
    );
    expect([...nonces].sort()).toEqual([7, 8, 9]);
  });

  it('is what createChainClients signs with: nonce-managed, same address, same transaction bytes', async () => {
    const clients = createChainClients({ chain: { chainId: 31337, rpcUrl: 'http://127.0.0.1:1' } } as never, KEY);
    expect(clients.account.nonceManager).toBe(nonceManager);
    expect(clients.account.address).toBe(privateKeyToAccount(KEY).address);
    const transaction: TransactionSerializableEIP1559 = {
      type: 'eip1559',
      chainId: 31337,
      to: privateKeyToAccount(KEY).address,
      nonce: 0,
      gas: 50_000n,
      maxFeePerGas: 10n,
      maxPriorityFeePerGas: 1n,
      data: '0xdeadbeef',
    };
    expect(await clients.account.signTransaction!(transaction)).toBe(
      await privateKeyToAccount(KEY).signTransaction(transaction),
    );
  });

  it.each<[string, TransactionSerializable]>([
    [
      'an EIP-4844 blob transaction',
      {
        type: 'eip4844',
        chainId: 1,
        to: privateKeyToAccount(KEY).address,
        maxFeePerGas: 2n,
        maxPriorityFeePerGas: 1n,
        maxFeePerBlobGas: 1n,
        blobVersionedHashes: [`0x01${'00'.repeat(31)}`],
      },
    ],
    [
      'an EIP-7702 transaction',
      {
        type: 'eip7702',
        chainId: 1,
        to: privateKeyToAccount(KEY).address,
        maxFeePerGas: 2n,
        maxPriorityFeePerGas: 1n,
        authorizationList: [],
      },
    ],
  ])('refuses to sign %s', async (_kind, transaction) => {
    await expect(fastLocalAccount(KEY).signTransaction(transaction)).rejects.toBeInstanceOf(
      UnsupportedTransactionError,
    );
  });

  it.each<[string, Hex]>([
    ['a short key', `0x${'ab'.repeat(31)}`],
    ['zero', hex32(0n)],
    ['the group order', hex32(0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n)],
    ['no 0x prefix', KEY.slice(2) as Hex],
  ])('refuses %s as a private key', (_kind, privateKey) => {
    expect(() => fastLocalAccount(privateKey)).toThrow(SignatureInputError);
  });
});
