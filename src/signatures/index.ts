// Public surface of signatures: secp256k1 signing and signer recovery for the engine's own per-decision paths, on
// libsecp256k1 compiled to WebAssembly. Not for workflows/: the module reads its .wasm file when loaded, which the
// workflow sandbox cannot do, so the verdict check there keeps noble (src/contracts/verdict-signature.ts).
export { SignatureInputError, SignatureUnrecoverableError, UnsupportedTransactionError } from './errors';
export { fastLocalAccount, type FastLocalAccount } from './local-account';
export { recoverAddressFromDigest, recoverAddressFromMessage, recoverAddressFromTypedData } from './recover-address';
export { signDigest, signMessage, signTypedData } from './sign-digest';
