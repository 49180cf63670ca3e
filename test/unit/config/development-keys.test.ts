// anvil's development accounts, derived from its public mnemonic: the keys anvil itself prints, so the production guard
// recognises exactly the keys anyone can sign with.
// The guard needs the private keys alone: their addresses (a pure-JS public key each) are computed only when asked.
import { privateKeyToAddress } from 'viem/accounts';
import type * as ViemAccounts from 'viem/accounts';
import {
  ANVIL_ACCOUNT_COUNT,
  anvilAccounts,
  anvilPrivateKey,
  anvilPrivateKeys,
  isDevelopmentKey,
} from '../../../src/config/development-keys';

jest.mock('viem/accounts', () => {
  const actual = jest.requireActual<typeof ViemAccounts>('viem/accounts');
  return { ...actual, privateKeyToAddress: jest.fn(actual.privateKeyToAddress) };
});

it('answers the guard and the key look-up without computing an address', () => {
  expect(isDevelopmentKey(`0x${'11'.repeat(32)}`)).toBe(false);
  expect(anvilPrivateKey(0)).toBe('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
  expect(privateKeyToAddress).not.toHaveBeenCalled();
});

it("derives anvil's own accounts (BIP-44 m/44'/60'/0'/0/i of its mnemonic), first to last", () => {
  const accounts = anvilAccounts();
  expect(accounts).toHaveLength(ANVIL_ACCOUNT_COUNT);
  // As anvil prints them at start (and Hardhat's defaults, the same mnemonic).
  expect(accounts[0]).toEqual({
    address: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
    privateKey: '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  });
  expect(accounts[1]).toEqual({
    address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    privateKey: '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  });
  expect(accounts[39]?.address).toBe('0x7D86687F980A56b832e9378952B738b614A99dc6');
  expect(new Set(accounts.map((a) => a.privateKey)).size).toBe(ANVIL_ACCOUNT_COUNT);
  expect(accounts.map((a) => a.privateKey)).toEqual(anvilPrivateKeys());
  expect(privateKeyToAddress).toHaveBeenCalledTimes(ANVIL_ACCOUNT_COUNT);
});

it('recognises a development key in any case, and no other key', () => {
  expect(isDevelopmentKey('0xAC0974BEC39A17E36BA4A6B4D238FF944BACB478CBED5EFCAE784D7BF4F2FF80')).toBe(true);
  expect(isDevelopmentKey(`0x${'11'.repeat(32)}`)).toBe(false);
});
