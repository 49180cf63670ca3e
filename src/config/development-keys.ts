// anvil's well-known development accounts, derived from its public mnemonic rather than pasted in,
// so the engine can recognise (and refuse in production) any key that anyone on the internet can sign with.
import crypto from 'node:crypto';
import { bytesToHex } from 'viem';
import { HDKey, privateKeyToAddress } from 'viem/accounts';

export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';
/** How many anvil accounts the devstack creates and the production guard recognises. */
export const ANVIL_ACCOUNT_COUNT = 40;

let privateKeys: ReadonlyArray<`0x${string}`> | undefined;
let accounts: Array<{ address: `0x${string}`; privateKey: `0x${string}` }> | undefined;

/** The 40 private keys anvil creates (the production key guard needs these alone). */
export function anvilPrivateKeys(): ReadonlyArray<`0x${string}`> {
  if (privateKeys) return privateKeys;
  // BIP-39 seed (PBKDF2-HMAC-SHA512, 2,048 rounds, salt "mnemonic"), once and natively: viem's mnemonicToAccount
  // stretches the mnemonic again for every account in pure JS, about a second of CPU for the 40 in every process.
  const seed = crypto.pbkdf2Sync(ANVIL_MNEMONIC.normalize('NFKD'), 'mnemonic', 2048, 64, 'sha512');
  const account = HDKey.fromMasterSeed(seed).derive("m/44'/60'/0'/0");
  privateKeys = Array.from({ length: ANVIL_ACCOUNT_COUNT }, (_, addressIndex) => {
    const key = account.deriveChild(addressIndex).privateKey;
    if (!key) throw new Error('HD derivation returned no private key');
    return bytesToHex(key);
  });
  return privateKeys;
}

/** anvil's accounts with their addresses (the devstack, tests and benchmarks fund and use them). */
export function anvilAccounts(): ReadonlyArray<{ address: `0x${string}`; privateKey: `0x${string}` }> {
  // Addresses only when asked: each costs a public key in pure JS, which the key guard every process loads never needs.
  accounts ??= anvilPrivateKeys().map((privateKey) => ({ address: privateKeyToAddress(privateKey), privateKey }));
  return accounts;
}

export function anvilPrivateKey(index: number): `0x${string}` {
  const privateKey = anvilPrivateKeys()[index];
  if (!privateKey)
    throw new RangeError(`anvil has ${ANVIL_ACCOUNT_COUNT} development accounts; index ${index} is out of range`);
  return privateKey;
}

export function isDevelopmentKey(privateKey: string): boolean {
  const normalized = privateKey.toLowerCase();
  return anvilPrivateKeys().some((key) => key.toLowerCase() === normalized);
}
