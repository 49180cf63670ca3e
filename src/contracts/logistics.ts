// Schemas of the logistics inputs a decision starts from: purchase requisitions and shipments with their candidates.
// Used by the feature builders now and by the Kafka bridge later; messages name the rule a bad field broke.
import { z } from 'zod';

const BETWEEN_0_AND_1 = 'must be between 0 and 1';
const fraction = () => z.number().min(0, BETWEEN_0_AND_1).max(1, BETWEEN_0_AND_1);
const nonNegative = () => z.number().min(0, 'must be at least 0').refine(Number.isFinite, 'must be a finite number');
const positive = () => z.number().positive('must be greater than 0').refine(Number.isFinite, 'must be a finite number');
// At most 180 characters: ids become Temporal workflow ids (`procurement-<id>`) and ERP keys, which allow 200.
const id = () => z.string().min(1, 'must not be empty').max(180, 'must be at most 180 characters');

const ISO_DATE_OR_DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;
/** ISO 8601 date (2025-03-01) or date-time with offset (2025-03-01T08:00:00Z). */
export const IsoDateSchema = z
  .string()
  .regex(ISO_DATE_OR_DATETIME, 'must be an ISO 8601 date or date-time with offset')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be a real calendar date');

export const MoneySchema = z.object({
  amount: nonNegative(),
  currency: z.string().regex(/^[A-Z]{3,5}$/, 'must be an upper-case currency code such as USD or USDC'),
});

export const SupplierCandidateSchema = z.object({
  supplierId: id(),
  unitPrice: positive(),
  marketPrice: positive(),
  quotedLeadTimeDays: positive(),
  onTimeRate: fraction(),
  defectRate: fraction(),
  distanceKm: nonNegative(),
  capacityUnits: positive(),
  regionRisk: fraction(),
  moq: nonNegative(),
});

// Bounds on list sizes: every candidate is a row the node is paid to score, and the whole event becomes the workflow's
// input; an unbounded list let a single 900 kB event start a decision that no node would accept (bad-input campaign).
const MAX_CANDIDATES = 50;
const MAX_DEMAND_PERIODS = 1_000;

export const RequisitionSchema = z
  .object({
    requisitionId: id(),
    itemSku: id(),
    /** Units to order; when absent, the quantity comes from a demand forecast over `forecastWindow` periods. */
    quantity: positive().optional(),
    forecastWindow: z.number().int('must be a whole number of periods').positive('must be greater than 0').optional(),
    /** Recent demand per period, oldest first. */
    demandHistory: z.array(nonNegative()).max(MAX_DEMAND_PERIODS, `must have at most ${MAX_DEMAND_PERIODS} periods`),
    neededBy: IsoDateSchema,
    budget: MoneySchema,
    candidates: z
      .array(SupplierCandidateSchema)
      .min(1, 'must list at least one supplier')
      .max(MAX_CANDIDATES, `must list at most ${MAX_CANDIDATES} suppliers`),
  })
  .refine((r) => r.quantity !== undefined || r.forecastWindow !== undefined, {
    path: ['quantity'],
    message: 'either quantity or forecastWindow is required',
  });

export const TransportModeSchema = z.enum(['road', 'rail', 'sea', 'air']);

export const RouteCandidateSchema = z.object({
  routeId: id(),
  carrierId: id(),
  mode: TransportModeSchema,
  distanceKm: positive(),
  cost: nonNegative(),
  carrierOnTimeRate: fraction(),
  congestionIndex: fraction(),
  weatherRisk: fraction(),
});

export const ShipmentSchema = z
  .object({
    shipmentId: id(),
    origin: id(),
    destination: id(),
    weightKg: positive(),
    hazmat: z.boolean(),
    readyAt: IsoDateSchema,
    promisedBy: IsoDateSchema,
    candidates: z
      .array(RouteCandidateSchema)
      .min(1, 'must list at least one route')
      .max(MAX_CANDIDATES, `must list at most ${MAX_CANDIDATES} routes`),
  })
  .refine((s) => Date.parse(s.promisedBy) > Date.parse(s.readyAt), {
    path: ['promisedBy'],
    message: 'must be after readyAt',
  });

export type Money = z.infer<typeof MoneySchema>;
export type SupplierCandidate = z.infer<typeof SupplierCandidateSchema>;
export type Requisition = z.infer<typeof RequisitionSchema>;
export type TransportMode = z.infer<typeof TransportModeSchema>;
export type RouteCandidate = z.infer<typeof RouteCandidateSchema>;
export type Shipment = z.infer<typeof ShipmentSchema>;
