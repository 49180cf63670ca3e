// The production attester: asks the Nitro Secure Module for a document through a small helper process that runs inside
// the enclave beside the node (NITRO_NSM_HELPER_URL). The helper's whole job is NSM's Attestation request
// (aws-nitro-enclaves-nsm-api `Request::Attestation { user_data, nonce, public_key }` on /dev/nsm), so the node needs
// no native ioctl binding. Contract: POST <url>/attestation, JSON {public_key, user_data, nonce} (base64, each optional)
// -> 200 JSON {document} (base64 of the COSE_Sign1 bytes). What comes back is checked to bind what was asked for.
import { EngineError } from '../../errors';
import { z } from 'zod';
import type { EnclaveAttester } from './development-enclave/enclave';
import { CoseFormatError, decodeCoseSign1 } from './cose';
import { AttestationFormatError, decodeAttestationDocument } from './document';

export class NsmHelperError extends EngineError<
  'nsm_helper_unavailable' | 'nsm_helper_bad_answer' | 'nsm_helper_wrong_binding'
> {
  override readonly name = 'NsmHelperError';
}

const AnswerSchema = z.object({ document: z.base64() });
const b64 = (bytes?: Uint8Array) => (bytes ? Buffer.from(bytes).toString('base64') : undefined);
const same = (a?: Uint8Array, b?: Uint8Array) => Buffer.from(a ?? []).equals(Buffer.from(b ?? []));

export function createNsmHelperAttester(options: {
  url: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): EnclaveAttester {
  const endpoint = `${options.url.replace(/\/$/, '')}/attestation`;
  const send = options.fetch ?? fetch;
  return {
    async attest(request) {
      let response: Response;
      try {
        response = await send(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            public_key: b64(request.publicKey),
            user_data: b64(request.userData),
            nonce: b64(request.nonce),
          }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
        });
      } catch (error) {
        throw new NsmHelperError(
          'nsm_helper_unavailable',
          `NSM helper at ${endpoint} did not answer: ${(error as Error).message}`,
        );
      }
      if (!response.ok)
        throw new NsmHelperError('nsm_helper_unavailable', `NSM helper at ${endpoint} answered ${response.status}`);
      const answer = AnswerSchema.safeParse(await response.json().catch(() => undefined));
      if (!answer.success)
        throw new NsmHelperError('nsm_helper_bad_answer', 'NSM helper answer is not {document: base64}');
      const bytes = new Uint8Array(Buffer.from(answer.data.document, 'base64'));
      let document;
      try {
        document = decodeAttestationDocument(decodeCoseSign1(bytes).payload);
      } catch (error) {
        if (error instanceof CoseFormatError || error instanceof AttestationFormatError)
          throw new NsmHelperError(
            'nsm_helper_bad_answer',
            `NSM helper returned no attestation document: ${error.message}`,
          );
        throw error;
      }
      // A helper that answers for another key, identity or nonce would let the node serve an attestation that is not its own.
      if (
        !same(document.publicKey, request.publicKey) ||
        !same(document.userData, request.userData) ||
        !same(document.nonce, request.nonce)
      ) {
        throw new NsmHelperError(
          'nsm_helper_wrong_binding',
          'the NSM document does not bind the public key, user data and nonce that were asked for',
        );
      }
      return bytes;
    },
  };
}
