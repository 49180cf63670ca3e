// A viem LocalAccount that signs with libsecp256k1 (signDigest) instead of noble: the payer's EIP-3009 authorizations
// and vouchers, and every transaction of createChainClients' accounts (facilitator settlements, node commitments).
// viem still hashes and serializes, so each signature is byte for byte the one privateKeyToAccount would give.
import { bytesToHex } from '@noble/hashes/utils';
import { pointFromScalar } from 'tiny-secp256k1';
import {
  keccak256,
  serializeTransaction,
  type Hex,
  type LocalAccount,
  type NonceManager,
  type Signature,
  type TransactionSerializable,
} from 'viem';
import { publicKeyToAddress, toAccount } from 'viem/accounts';
import { UnsupportedTransactionError } from './errors';
import { privateKeyBytes, signDigest, signMessage, signTypedData } from './sign-digest';

export type FastLocalAccount = LocalAccount<'custom'> & { sign: NonNullable<LocalAccount['sign']> };

/** The account of `privateKey`; throws SignatureInputError for a malformed key. Carries `nonceManager` when given. */
export function fastLocalAccount(
  privateKey: Hex,
  options: { nonceManager?: NonceManager | undefined } = {},
): FastLocalAccount {
  const publicKey = publicKeyOf(privateKey);
  const sign = async ({ hash }: { hash: Hex }): Promise<Hex> => signDigest(hash, privateKey);
  const account = toAccount({
    address: publicKeyToAddress(publicKey),
    nonceManager: options.nonceManager,
    sign,
    async signMessage({ message }) {
      return signMessage(message, privateKey);
    },
    async signTypedData(typedData) {
      return signTypedData(typedData, privateKey);
    },
    // As viem's accounts/utils/signTransaction.ts: sign keccak256 of the unsigned serialization, then serialize again
    // with the signature. Its one special case (EIP-4844: sign without the sidecars) is refused here, not mirrored.
    async signTransaction(transaction, { serializer = serializeTransaction } = {}) {
      refuseUnsupported(transaction);
      const signature = signatureOf(signDigest(keccak256(await serializer(transaction)), privateKey));
      return serializer(transaction, signature);
    },
  });
  // signAuthorization (EIP-7702) is left out: nothing in the engine delegates an account.
  return { ...account, sign, publicKey, source: 'custom' };
}

function publicKeyOf(privateKey: Hex): Hex {
  const key = privateKeyBytes(privateKey);
  try {
    return `0x${bytesToHex(pointFromScalar(key, false) as Uint8Array)}`; // not null: privateKeyBytes checked the scalar
  } finally {
    key.fill(0);
  }
}

/** r‖s‖v (v = 27/28, as signDigest writes it) as the structured signature viem's own sign hands its serializer. */
function signatureOf(signature: Hex): Signature {
  const yParity = signature.endsWith('1c') ? 1 : 0;
  return {
    r: `0x${signature.slice(2, 66)}`,
    s: `0x${signature.slice(66, 130)}`,
    v: yParity ? 28n : 27n,
    yParity,
  };
}

function refuseUnsupported(transaction: TransactionSerializable): void {
  const fields = transaction as Record<string, unknown>;
  if (
    transaction.type === 'eip4844' ||
    fields.blobs !== undefined ||
    fields.sidecars !== undefined ||
    fields.blobVersionedHashes !== undefined
  ) {
    throw new UnsupportedTransactionError('EIP-4844 blob transactions are not signed by the fast local account');
  }
  if (transaction.type === 'eip7702' || fields.authorizationList !== undefined) {
    throw new UnsupportedTransactionError('EIP-7702 transactions are not signed by the fast local account');
  }
}
