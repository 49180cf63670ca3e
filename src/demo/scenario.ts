// The sample scenario `npm start` plays: logistics events, what the scripted ERP does with each large decision, the
// misbehaving second node, and the outcome every decision must end with. Loaded from a JSON file and validated here.
import { EngineError } from '../errors';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { LogisticsEvent } from '../contracts/events';
import { RequisitionSchema, ShipmentSchema } from '../contracts/logistics';
import { decisionWorkflowId } from '../contracts/decision';
import { FAULT_CATALOGUE, type NodeFault } from '../verification';

export const DEFAULT_SCENARIO_FILE = path.resolve(__dirname, '../../examples/scenarios/sample.json');

const ExpectationSchema = z.strictObject({
  status: z.enum(['VERIFIED', 'ROLLED_BACK', 'FAILED']),
  /** For a rolled-back decision: the check that ended it (`approval` for a rejection, `cancelled` for a cancel). */
  failedCheck: z.string().optional(),
  /** Whether the decision must wait for the ERP (its value above the approval threshold). */
  approval: z.enum(['required', 'not_required']).optional(),
});
export type Expectation = z.infer<typeof ExpectationSchema>;

/** approve / reject: the ERP answers the approval request; cancel: logistics cancels while it waits. */
const ErpStepSchema = z.enum(['approve', 'reject', 'cancel']);
export type ErpStep = z.infer<typeof ErpStepSchema>;

const common = { erp: ErpStepSchema.optional(), expect: ExpectationSchema, note: z.string().optional() };
export const ScenarioDecisionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('procurement'), data: RequisitionSchema, ...common }),
  z.strictObject({ kind: z.literal('routing'), data: ShipmentSchema, ...common }),
]);
export type ScenarioDecision = z.infer<typeof ScenarioDecisionSchema>;

export const ScenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  /** A second inference node that misbehaves on purpose; decisions are spread over both nodes. */
  faultyNode: z
    .strictObject({
      faults: z
        .array(z.string().refine((f) => f in FAULT_CATALOGUE, 'must be a fault named in src/verification/faults.ts'))
        .min(1),
      port: z.number().int().min(0).max(65_535),
    })
    .optional(),
  erp: z.strictObject({ approver: z.string().min(1), delayMs: z.number().int().nonnegative().default(1_000) }),
  decisions: z.array(ScenarioDecisionSchema).min(1),
});
export type Scenario = z.infer<typeof ScenarioSchema>;

export class ScenarioFileError extends EngineError<'scenario_invalid'> {
  override readonly name = 'ScenarioFileError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('scenario_invalid', message, { ...options });
  }
}

export function loadScenario(file = DEFAULT_SCENARIO_FILE): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ScenarioFileError(`cannot read scenario ${file}: ${(error as Error).message}`);
  }
  const parsed = ScenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ScenarioFileError(`scenario ${file} is invalid:\n  ${issues.join('\n  ')}`);
  }
  const ids = parsed.data.decisions.map(businessKeyOf);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new ScenarioFileError(`scenario ${file} lists ${duplicate} twice`);
  return parsed.data;
}

export function businessKeyOf(decision: ScenarioDecision): string {
  return decision.kind === 'procurement' ? decision.data.requisitionId : decision.data.shipmentId;
}

export function faultsOf(scenario: Scenario): NodeFault[] {
  return (scenario.faultyNode?.faults ?? []) as NodeFault[];
}

/**
 * One play of the scenario: business keys get the run's tag, because decision ids are the business keys and a
 * finished decision's id is never reused (a second play would otherwise find the first play's decisions).
 */
export type PlannedDecision = {
  decisionId: string;
  businessKey: string;
  spec: ScenarioDecision;
  created: LogisticsEvent;
  cancelled: LogisticsEvent;
};

export function planScenario(scenario: Scenario, runTag: string, source = 'urn:proofpath:demo'): PlannedDecision[] {
  return scenario.decisions.map((spec) => {
    const businessKey = `${businessKeyOf(spec)}-${runTag}`;
    const time = new Date().toISOString();
    const envelope = { specversion: '1.0' as const, source, time, subject: businessKey };
    if (spec.kind === 'procurement') {
      return {
        decisionId: decisionWorkflowId('procurement', businessKey),
        businessKey,
        spec,
        created: {
          ...envelope,
          id: `${businessKey}/created`,
          type: 'requisition.created',
          data: { ...spec.data, requisitionId: businessKey },
        },
        cancelled: {
          ...envelope,
          id: `${businessKey}/cancelled`,
          type: 'requisition.cancelled',
          data: { requisitionId: businessKey, reason: 'demand withdrawn (scenario)', requestedBy: 'logistics-demo' },
        },
      };
    }
    return {
      decisionId: decisionWorkflowId('routing', businessKey),
      businessKey,
      spec,
      created: {
        ...envelope,
        id: `${businessKey}/ready`,
        type: 'shipment.ready',
        data: { ...spec.data, shipmentId: businessKey },
      },
      cancelled: {
        ...envelope,
        id: `${businessKey}/cancelled`,
        type: 'shipment.cancelled',
        data: { shipmentId: businessKey, reason: 'shipment withdrawn (scenario)', requestedBy: 'logistics-demo' },
      },
    };
  });
}

/** A short, sortable tag per play: base-36 seconds since the epoch. */
export function newRunTag(now = Date.now()): string {
  return Math.floor(now / 1000).toString(36);
}
