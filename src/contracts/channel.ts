// Channel mode (x402 batch-settlement) messages: the payment payloads a payer presents (deposit, voucher), and the
// facilitator's charge endpoints, where the verifier's verdict on one charge is relayed (claim later, refund now).
import { z } from 'zod';

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/);
const signature = z.string().regex(/^0x[0-9a-fA-F]+$/);
const amount = z.string().regex(/^\d+$/);

export const ChannelConfigSchema = z.object({
  payer: address,
  payerAuthorizer: address,
  receiver: address,
  receiverAuthorizer: address,
  token: address,
  withdrawDelay: z.number().int().positive(),
  salt: bytes32,
});

export const ChannelVoucherSchema = z.object({
  channelId: bytes32,
  maxClaimableAmount: amount,
  signature,
});

/** x402 batch-settlement `voucher` payload: a new cumulative ceiling for an open channel. */
export const ChannelVoucherPayloadSchema = z.object({
  type: z.literal('voucher'),
  channelConfig: ChannelConfigSchema,
  voucher: ChannelVoucherSchema,
});

/** x402 batch-settlement `deposit` payload (ERC-3009 only): funds the channel and carries the first voucher. */
export const ChannelDepositPayloadSchema = z.object({
  type: z.literal('deposit'),
  channelConfig: ChannelConfigSchema,
  voucher: ChannelVoucherSchema,
  deposit: z.object({
    amount,
    authorization: z.object({
      erc3009Authorization: z.object({ validAfter: amount, validBefore: amount, salt: bytes32, signature }),
    }),
  }),
});

export const ChannelPaymentPayloadSchema = z.discriminatedUnion('type', [
  ChannelVoucherPayloadSchema,
  ChannelDepositPayloadSchema,
]);

/** POST /channels/:channelId/charges/:cumulative/claim|refund: the verifier's signed verdict on one charge. */
export const ChannelChargeVerdictRequestSchema = z.object({
  amount,
  signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/),
  reason: z.string().max(300).optional(),
});

export const ChannelChargeStateSchema = z.enum(['open', 'queued', 'claimed', 'refunded']);

export const ChannelChargeResponseSchema = z.object({
  channelId: bytes32,
  cumulative: amount,
  state: ChannelChargeStateSchema,
  /** The claim (batched) or refund transaction, once there is one. */
  transaction: z.string().optional(),
  /** True when the charge had already gone this way before this call (a retried verdict is a no-op). */
  alreadyDone: z.boolean(),
  errorReason: z.string().optional(),
  message: z.string().optional(),
});

export type ChannelConfigMessage = z.infer<typeof ChannelConfigSchema>;
export type ChannelPaymentPayload = z.infer<typeof ChannelPaymentPayloadSchema>;
export type ChannelChargeVerdictRequest = z.infer<typeof ChannelChargeVerdictRequestSchema>;
export type ChannelChargeResponse = z.infer<typeof ChannelChargeResponseSchema>;
