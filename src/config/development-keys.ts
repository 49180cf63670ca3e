// anvil's well-known development accounts, derived from its public mnemonic rather than pasted in,
// so the engine can recognise (and refuse in production) any key that anyone on the internet can sign with.
import { bytesToHex } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';

export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';
/** How many anvil accounts the devstack creates and the production guard recognises. */
export const ANVIL_ACCOUNT_COUNT = 40;

let cache: Array<{ address: `0x${string}`; privateKey: `0x${string}` }> | undefined;

export function anvilAccounts(): ReadonlyArray<{ address: `0x${string}`; privateKey: `0x${string}` }> {
  cache ??= Array.from({ length: ANVIL_ACCOUNT_COUNT }, (_, addressIndex) => {
    const account = mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex });
    const key = account.getHdKey().privateKey;
    if (!key) throw new Error('HD derivation returned no private key');
    return { address: account.address, privateKey: bytesToHex(key) };
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
