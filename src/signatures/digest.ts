// The 32-byte digest both curve operations take, read from 0x-hex. A digest of any other shape is the caller's bug
// (every caller hashes first: EIP-712, EIP-191), so it throws rather than reading as "does not recover".
import { hexToBytes } from '@noble/hashes/utils';
import { SignatureInputError } from './errors';

const DIGEST_HEX = /^0x[0-9a-fA-F]{64}$/;

export function digestBytes(digest: string): Uint8Array {
  if (!DIGEST_HEX.test(digest)) throw new SignatureInputError('a digest must be 32 bytes of 0x-prefixed hex');
  return hexToBytes(digest.slice(2));
}
