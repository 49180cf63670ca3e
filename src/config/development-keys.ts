// anvil's well-known development accounts, derived from its public mnemonic rather than pasted in,
// so the engine can recognise (and refuse in production) any key that anyone on the internet can sign with.
import crypto from 'node:crypto';
import { bytesToHex } from 'viem';
import { HDKey, privateKeyToAddress } from 'viem/accounts';

export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';
/** How many anvil accounts the devstack creates and the production guard recognises. */
export const ANVIL_ACCOUNT_COUNT = 40;

let cache: Array<{ address: `0x${string}`; privateKey: `0x${string}` }> | undefined;

export function anvilAccounts(): ReadonlyArray<{ address: `0x${string}`; privateKey: `0x${string}` }> {
  if (cache) return cache;
  // BIP-39 seed (PBKDF2-HMAC-SHA512, 2,048 rounds, salt "mnemonic"), once and natively: viem's mnemonicToAccount
  // stretches the mnemonic again for every account in pure JS, about a second of CPU for the 40 in every process.
  const seed = crypto.pbkdf2Sync(ANVIL_MNEMONIC.normalize('NFKD'), 'mnemonic', 2048, 64, 'sha512');
  const account = HDKey.fromMasterSeed(seed).derive("m/44'/60'/0'/0");
  cache = Array.from({ length: ANVIL_ACCOUNT_COUNT }, (_, addressIndex) => {
    const key = account.deriveChild(addressIndex).privateKey;
    if (!key) throw new Error('HD derivation returned no private key');
    const privateKey = bytesToHex(key);
    return { address: privateKeyToAddress(privateKey), privateKey };
  });
  return cache;
}

export function anvilPrivateKey(index: number): `0x${string}` {
  const account = anvilAccounts()[index];
  if (!account)
    throw new RangeError(`anvil has ${ANVIL_ACCOUNT_COUNT} development accounts; index ${index} is out of range`);
  return account.privateKey;
}

export function isDevelopmentKey(privateKey: string): boolean {
  const normalized = privateKey.toLowerCase();
  return anvilAccounts().some((a) => a.privateKey.toLowerCase() === normalized);
}
