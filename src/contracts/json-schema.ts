// JSON Schema for other teams, generated from the zod schemas (the single source): `npm run contracts:schemas` writes
// schemas/<name>.schema.json; a unit test fails when the committed files are stale.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ReceiptSchema } from './receipt';
import {
  InferRequestSchema,
  InferResponseSchema,
  ModelListingSchema,
  ReceiptRecordSchema,
  ErrorBodySchema,
} from './inference-http';
import { VerdictSchema, VerificationJobSchema } from './verdict';
import { ProofStatusSchema } from './proof';
import { LogisticsEventSchema, DecisionEventSchema, DeadLetterSchema } from './events';
import { AmendUpdateSchema, ApproveUpdateSchema, CancelSignalSchema, RejectUpdateSchema } from './decision';

/** The messages other systems exchange with the engine, by file name. */
export const PUBLISHED_SCHEMAS: Record<string, z.ZodType> = {
  'logistics-event': LogisticsEventSchema,
  'decision-event': DecisionEventSchema,
  'dead-letter': DeadLetterSchema,
  verdict: VerdictSchema,
  'verification-job': VerificationJobSchema,
  receipt: ReceiptSchema,
  'infer-request': InferRequestSchema,
  'infer-response': InferResponseSchema,
  'model-listing': ModelListingSchema,
  'receipt-record': ReceiptRecordSchema,
  'proof-status': ProofStatusSchema,
  'error-body': ErrorBodySchema,
  'update-approve': ApproveUpdateSchema,
  'update-reject': RejectUpdateSchema,
  'update-amend': AmendUpdateSchema,
  'signal-cancel': CancelSignalSchema,
};

export function renderJsonSchemas(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(PUBLISHED_SCHEMAS).map(([name, schema]) => [
      `${name}.schema.json`,
      `${JSON.stringify({ $id: `urn:proofpath:schema:${name}`, ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) }, null, 2)}\n`,
    ]),
  );
}

export function writeJsonSchemas(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(renderJsonSchemas())) fs.writeFileSync(path.join(dir, file), text);
}
