// HTTP messages of the inference node: model listing, the paid infer call, receipt lookups, and error bodies.
import { z } from 'zod';
import { ReceiptSchema, SettlementModeSchema } from './receipt';

const Hex = z
  .string()
  .regex(/^0x[0-9a-fA-F]*$/)
  .transform((v) => v as `0x${string}`);

/** Body of `POST /v1/models/:modelId/infer`. The model's own feature schema is checked by the node after this. */
export const InferRequestSchema = z.strictObject({
  rows: z.array(z.array(z.number().finite()).min(1)).min(1).max(1024),
});

/** The longest the node holds a pending proof poll (`GET /v1/receipts/:id/proof?waitMs=`) before answering 202. */
export const MAX_PROOF_WAIT_MS = 10_000;

/**
 * `waitMs` of `GET /v1/receipts/:id/proof`: absent or 0 answers at once (a plain poll); a longer wait than the node
 * holds is held MAX_PROOF_WAIT_MS (a client asking for more still gets its answer, then asks again).
 */
export const ProofWaitQuerySchema = z.coerce
  .number()
  .min(0)
  .transform((ms) => Math.min(ms, MAX_PROOF_WAIT_MS))
  .pipe(z.number().int())
  .optional();

export const PriceSchema = z.object({
  amount: z.string().regex(/^\d+$/),
  asset: Hex,
  network: z.string(),
  eip712: z.object({ name: z.string(), version: z.string() }),
});

export const ModelListingSchema = z.object({
  nodeId: z.string(),
  settlementMode: SettlementModeSchema,
  models: z.array(
    z.object({
      modelId: z.string(),
      name: z.string().optional(),
      price: PriceSchema,
      /** The model's feature description as the registry publishes it (JSON Schema or feature names). */
      schema: z.unknown().optional(),
    }),
  ),
});

export const SettlementStatusSchema = z.object({
  /** not_required: the model is priced at 0 and was served without payment. */
  status: z.enum(['pending', 'settled', 'failed', 'not_required']),
  transaction: Hex.optional(),
  /** x402 / facilitator reason when failed (e.g. `invalid_exact_evm_insufficient_balance`). */
  reason: z.string().optional(),
  attempts: z.number().int().nonnegative(),
  updatedAt: z.iso.datetime(),
});

export const CommitmentSchema = z.object({
  kind: z.enum(['receipt', 'batch']),
  status: z.enum(['pending', 'committed', 'failed']),
  transaction: Hex.optional(),
  /** Batch mode: the Merkle root the receipt's leaf is proven against, the leaf index, the batch size and the proof. */
  root: Hex.optional(),
  index: z.number().int().nonnegative().optional(),
  size: z.number().int().positive().optional(),
  proof: z.array(Hex).optional(),
  reason: z.string().optional(),
});

export const InferResponseSchema = z.object({
  modelId: z.string(),
  outputs: z.array(z.array(z.number())),
  receipt: ReceiptSchema,
  paymentRef: z.string(),
  settlement: SettlementStatusSchema,
});

/** `GET /v1/receipts/:id`. */
export const ReceiptRecordSchema = z.object({
  receipt: ReceiptSchema,
  /** EIP-712 digest of the receipt: what the registry commits (or the Merkle leaf's preimage in batch mode). */
  digest: Hex,
  settlement: SettlementStatusSchema,
  commitment: CommitmentSchema,
});

/** Every 4xx/5xx body: a stable machine-readable reason (see src/payments/errors.ts) and a human message. */
export const ErrorBodySchema = z.object({ reason: z.string(), message: z.string(), details: z.unknown().optional() });

export type InferRequest = z.infer<typeof InferRequestSchema>;
export type ModelListing = z.infer<typeof ModelListingSchema>;
export type SettlementStatus = z.infer<typeof SettlementStatusSchema>;
export type Commitment = z.infer<typeof CommitmentSchema>;
export type InferResponse = z.infer<typeof InferResponseSchema>;
export type ReceiptRecord = z.infer<typeof ReceiptRecordSchema>;
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
