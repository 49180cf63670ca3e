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
