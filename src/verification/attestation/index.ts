// Public surface of attestation: verify Nitro-format documents, bind receipts to them, and serve them from a node.
export {
  verifyAttestation,
  pcrsMatch,
  type AttestationOptions,
  type AttestationVerification,
  type VerifiedAttestation,
  type PcrSet,
} from './verify-attestation';
export { verifyReceiptAgainstAttestation, attestedSignerAddress, type ReceiptBindingReason } from './verify-receipt';
export {
  awsNitroRoot,
  rootFromPem,
  AWS_NITRO_ROOT_G1_PEM,
  AWS_NITRO_ROOT_G1_SHA256,
  type TrustedRoot,
} from './nitro-root';
export { DEVELOPMENT_ROOT_ORGANISATION } from './chain';
export { decodeCoseSign1, signEs384, verifyEs384, COSE_ALG_ES384 } from './cose';
export { decodeAttestationDocument, encodeAttestationDocument, type AttestationDocument } from './document';
export { encodeNodeIdentity, decodeNodeIdentity, type NodeIdentity } from './node-identity';
export {
  signAllowList,
  openAllowList,
  readAllowList,
  AllowListError,
  type NodeRegistry,
  type NodeEntry,
  type SignedAllowList,
  type AllowListPayload,
} from './allow-list';
export { createAttestationProvider, type AttestationProvider, type AttestationResponse } from './provider';
export { createNsmHelperAttester, NsmHelperError } from './nsm-helper';
export { keyBirthNonce, KEY_BIRTH_DOMAIN, type KeyBirthRecord } from './key-birth';
export { verifyKeyBirth, DEFAULT_KEY_MAX_AGE_MS } from './verify-key-birth';
export * from './development-enclave';
export { registerNode, defaultAllowListPath } from './allow-list-file';
