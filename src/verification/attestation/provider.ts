// Node side of GET /v1/attestation?nonce=: asks the enclave for a fresh document binding the node's receipt-signing key,
// its node id and its model ids to the verifier's nonce. Transport-free: the node mounts `handle` on its HTTP server.
import { hexToBytes, isHex, type Hex } from 'viem';
import type { EnclaveAttester } from './development-enclave/enclave';
import { encodeNodeIdentity, type NodeIdentity } from './node-identity';

export type AttestationResponse =
  | { status: 200; body: { format: 'aws-nitro-cose-sign1'; document: string } }
  | { status: 400; body: { error: string; message: string } };

export type AttestationProviderOptions = {
  enclave: EnclaveAttester;
  identity: NodeIdentity;
  /** The receipt-signing key as a 65-byte uncompressed secp256k1 public key (hex or bytes). */
  signingPublicKey: Hex | Uint8Array;
};

export type AttestationProvider = {
  handle(query: { nonce?: string | undefined }): Promise<AttestationResponse>;
  attest(nonce?: Uint8Array): Promise<Uint8Array>;
};

/** Nitro accepts nonces up to 512 bytes; 64 is plenty for a random challenge and keeps documents small. */
const MAX_NONCE_BYTES = 64;

export function createAttestationProvider(options: AttestationProviderOptions): AttestationProvider {
  const publicKey =
    typeof options.signingPublicKey === 'string' ? hexToBytes(options.signingPublicKey) : options.signingPublicKey;
  if (publicKey.length !== 65 || publicKey[0] !== 0x04)
    throw new TypeError('signingPublicKey must be a 65-byte uncompressed secp256k1 key');
  const userData = encodeNodeIdentity(options.identity);
  const attest = (nonce?: Uint8Array) => options.enclave.attest({ publicKey, userData, nonce });
  return {
    attest,
    async handle(query) {
      let nonce: Uint8Array | undefined;
      if (query.nonce !== undefined && query.nonce !== '') {
        const value = query.nonce.startsWith('0x') ? query.nonce : `0x${query.nonce}`;
        if (!isHex(value) || value.length % 2 !== 0 || (value.length - 2) / 2 > MAX_NONCE_BYTES) {
          return {
            status: 400,
            body: { error: 'invalid_nonce', message: `nonce must be hex, at most ${MAX_NONCE_BYTES} bytes` },
          };
        }
        nonce = hexToBytes(value as Hex);
      }
      const document = await attest(nonce);
      return {
        status: 200,
        body: { format: 'aws-nitro-cose-sign1', document: Buffer.from(document).toString('base64') },
      };
    },
  };
}
