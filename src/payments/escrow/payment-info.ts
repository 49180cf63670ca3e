// The auth-capture scheme's payment identity on EVM (x402 specs/schemes/auth-capture/scheme_auth_capture_evm.md):
// the wire payload, the `extra` our escrow offers, the commerce-payments PaymentInfo rebuilt from them, and its
// payer-agnostic hash, which is the ERC-3009 nonce the payer signs. Pure: no I/O.
import { encodeAbiParameters, getAddress, keccak256, toBytes, zeroAddress, type Hex } from 'viem';
import { z } from 'zod';
import type { PaymentInfo } from '../../chain/escrow';
import { Eip3009AuthorizationSchema } from '../authorization';

const Address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/)
  .transform((v) => getAddress(v));
const Hex32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/)
  .transform((v) => v as Hex);

/** `{authorization, signature, salt}`: an ERC-3009 ReceiveWithAuthorization to the token collector, nonce = payment hash. */
export const AuthCapturePayloadSchema = z.object({
  authorization: Eip3009AuthorizationSchema.transform((a) => ({
    ...a,
    from: getAddress(a.from),
    to: getAddress(a.to),
    nonce: a.nonce as Hex,
  })),
  signature: z
    .string()
    .regex(/^0x[0-9a-fA-F]+$/)
    .transform((v) => v as Hex),
  salt: Hex32,
  // Salt binding is always on: the salt commits to the offer's receiverAuthorizer (the verifier) through saltNonce.
  saltNonce: z
    .string()
    .regex(/^0x[0-9a-fA-F]{1,64}$/)
    .transform((v) => v as Hex),
});
export type AuthCapturePayload = z.infer<typeof AuthCapturePayloadSchema>;

/** The `extra` fields the escrow's PaymentInfo is rebuilt from (plus the token's EIP-712 domain). */
export const EscrowExtraSchema = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  captureAuthorizer: Address,
  captureDeadline: z.number().int().positive(),
  refundDeadline: z.number().int().positive(),
  feeRecipient: Address,
  minFeeBps: z.literal(0),
  maxFeeBps: z.literal(0),
  authCaptureEscrow: Address.optional(),
  paymentFlow: z.literal('escrow').optional(),
  operatorType: z.literal('custom').optional(),
  assetTransferMethod: z.literal('eip3009').optional(),
  /** The verifier: the only signer of releases (capture, refund) of this payment. */
  receiverAuthorizer: Address,
  policy: z.literal(zeroAddress).optional(),
});
export type EscrowExtra = z.infer<typeof EscrowExtraSchema>;

/** The commerce-payments `PaymentInfo` struct, as the escrow contract takes it. */
export type { PaymentInfo };

const PAYMENT_INFO_TYPEHASH = keccak256(
  toBytes(
    'PaymentInfo(address operator,address payer,address receiver,address token,uint120 maxAmount,uint48 preApprovalExpiry,uint48 authorizationExpiry,uint48 refundExpiry,uint16 minFeeBps,uint16 maxFeeBps,address feeReceiver,uint256 salt)',
  ),
);

/** PaymentInfo as the escrow sees it: operator from extra, receiver/token/amount from the requirements, preApprovalExpiry = validBefore. */
export function paymentInfoOf(input: {
  extra: EscrowExtra;
  payer: string;
  payTo: string;
  asset: string;
  amount: string | bigint;
  validBefore: string | number;
  salt: Hex;
}): PaymentInfo {
  return {
    operator: input.extra.captureAuthorizer,
    payer: getAddress(input.payer),
    receiver: getAddress(input.payTo),
    token: getAddress(input.asset),
    maxAmount: BigInt(input.amount),
    preApprovalExpiry: Number(input.validBefore),
    authorizationExpiry: input.extra.captureDeadline,
    refundExpiry: input.extra.refundDeadline,
    minFeeBps: 0,
    maxFeeBps: 0,
    feeReceiver: input.extra.feeRecipient,
    salt: BigInt(input.salt),
  };
}

/** commerce-payments getHash with the payer zeroed: keccak256(chainId ‖ escrow ‖ keccak256(typehash ‖ PaymentInfo)). */
export function payerAgnosticHashOf(chainId: number, escrow: `0x${string}`, info: PaymentInfo): Hex {
  const infoHash = keccak256(
    encodeAbiParameters(
      [
        { type: 'bytes32' },
        { type: 'address' },
        { type: 'address' },
        { type: 'address' },
        { type: 'address' },
        { type: 'uint120' },
        { type: 'uint48' },
        { type: 'uint48' },
        { type: 'uint48' },
        { type: 'uint16' },
        { type: 'uint16' },
        { type: 'address' },
        { type: 'uint256' },
      ],
      [
        PAYMENT_INFO_TYPEHASH,
        info.operator,
        zeroAddress,
        info.receiver,
        info.token,
        info.maxAmount,
        info.preApprovalExpiry,
        info.authorizationExpiry,
        info.refundExpiry,
        info.minFeeBps,
        info.maxFeeBps,
        info.feeReceiver,
        info.salt,
      ],
    ),
  );
  return keccak256(
    encodeAbiParameters(
      [{ type: 'uint256' }, { type: 'address' }, { type: 'bytes32' }],
      [BigInt(chainId), escrow, infoHash],
    ),
  );
}

const SALT_BINDING_TYPEHASH = keccak256(
  toBytes('x402AuthCaptureSaltBinding(address receiverAuthorizer,address policy,uint256 saltNonce)'),
);

/** The salt that binds `verifier` (and no policy) into the payment's identity (spec: "Payment identity"). */
export function boundSaltOf(verifier: `0x${string}`, saltNonce: Hex): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: 'bytes32' }, { type: 'address' }, { type: 'address' }, { type: 'uint256' }],
      [SALT_BINDING_TYPEHASH, verifier, zeroAddress, BigInt(saltNonce)],
    ),
  );
}

export const RECEIVE_WITH_AUTHORIZATION_TYPES = {
  ReceiveWithAuthorization: [
    { name: 'from', type: 'address' },
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'validAfter', type: 'uint256' },
    { name: 'validBefore', type: 'uint256' },
    { name: 'nonce', type: 'bytes32' },
  ],
} as const;
