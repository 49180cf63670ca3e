// A receipt key's "birth certificate": the attestation document an enclave issues for its signing key when the key is
// made, with a nonce derived from the key's address. Unlike a fresh, verifier-nonced document it stays valid evidence
// after the enclave is gone, so receipts signed before a node restart can still be checked: the document proves the key
// was generated inside an enclave with the registered measurements, and receipts signed by it after that time are its.
import { keccak256, toBytes, type Hex } from 'viem';

export const KEY_BIRTH_DOMAIN = 'proofpath.key-birth.v1';

/** The nonce of a key-birth document: keccak256(domain ‖ lowercase signer address). */
export function keyBirthNonce(signerAddress: string): Uint8Array {
  return toBytes(keccak256(toBytes(`${KEY_BIRTH_DOMAIN}:${signerAddress.toLowerCase()}` as string)));
}

export type KeyBirthRecord = { signer: Hex; document: string; at: string };
