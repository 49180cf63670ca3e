// HTTP messages of the facilitator beyond the x402 ones (/verify, /settle, /supported use @x402/core's schemas).
import { z } from 'zod';

export const SettlementJobSchema = z.object({
  /** keccak256(asset ‖ payer ‖ nonce): the same authorization always maps to the same job. */
  id: z.string(),
  status: z.enum(['pending', 'settled', 'failed']),
  network: z.string(),
  asset: z.string(),
  payer: z.string(),
  payTo: z.string(),
  amount: z.string(),
  nonce: z.string(),
  transaction: z.string().optional(),
  errorReason: z.string().optional(),
  attempts: z.number().int().nonnegative(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export type SettlementJob = z.infer<typeof SettlementJobSchema>;

/** One money movement of an escrowed payment (authorize into escrow, capture to the node, refund to the payer). */
export const EscrowStepSchema = z.object({
  status: z.enum(['pending', 'done', 'failed']),
  transaction: z.string().optional(),
  /** Who released it: the verifier whose verdict was relayed, or whoever refunded after the deadline. */
  by: z.string().optional(),
  reason: z.string().optional(),
  errorReason: z.string().optional(),
  attempts: z.number().int().nonnegative(),
  updatedAt: z.iso.datetime(),
});

/** `GET /settlements/:id` of an escrowed payment: the hold on chain and each step's job. */
export const EscrowSettlementSchema = z.object({
  id: z.string(),
  state: z.enum(['none', 'held', 'captured', 'refunded']),
  payer: z.string().optional(),
  receiver: z.string().optional(),
  amount: z.string().optional(),
  captureDeadline: z.number().int().optional(),
  authorize: EscrowStepSchema.optional(),
  capture: EscrowStepSchema.optional(),
  refund: EscrowStepSchema.optional(),
});

export const EscrowReleaseRequestSchema = z.object({
  receiptDigest: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
  signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/),
  reason: z.string().max(300).optional(),
});

export const EscrowReleaseResponseSchema = z.object({
  id: z.string(),
  action: z.enum(['capture', 'refund']),
  status: z.enum(['done', 'failed']),
  transaction: z.string().optional(),
  /** True when the money had already moved this way before this call (a retried release is a no-op). */
  alreadyDone: z.boolean(),
  errorReason: z.string().optional(),
  message: z.string().optional(),
});

export type EscrowStep = z.infer<typeof EscrowStepSchema>;
export type EscrowSettlement = z.infer<typeof EscrowSettlementSchema>;
export type EscrowReleaseRequest = z.infer<typeof EscrowReleaseRequestSchema>;
export type EscrowReleaseResponse = z.infer<typeof EscrowReleaseResponseSchema>;
