// Starts and messages decisions on Temporal: deterministic workflow ids, redelivery-safe conflict policies,
// static summary/details for the UI, and the settings from configuration (fixed per decision, so replays agree).
import { createHash, randomUUID } from 'node:crypto';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
  type SignalDefinition,
} from '@temporalio/client';
import { privateKeyToAccount } from 'viem/accounts';
import { ConfigError, type EngineConfig } from '../config';
import {
  decisionWorkflowId,
  type CancelSignal,
  type DecisionKind as DecisionKindValue,
  type DecisionSettings,
} from '../contracts/decision';
import { canonicalJson } from '../contracts/canonical-json';
import type { Requisition, Shipment } from '../contracts/logistics';
import type { Verdict } from '../contracts/verdict';
import { DecisionKind, DecisionStatus } from '../contracts/search-attributes';
import { cancelSignal, verdictSignal } from '../contracts/decision-messages';

/**
 * `started`: this call created the decision. Otherwise the business key already had one: `conflict` says it was
 * started from other content (its content hash differs), which a redelivery of the same event never is.
 */
export type StartResult = { decisionId: string; started: boolean; conflict?: { existingContentHash: string } };

/** SHA-256 of the canonical JSON of a decision's business input: equal for equal content, whatever the key order. */
export function decisionContentHash(input: Requisition | Shipment): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex');
}

export function decisionSettings(config: EngineConfig): DecisionSettings {
  const { approvalThreshold, approvalTimeoutMs, escalationTimeoutMs, verificationTimeoutMs, maxAttempts } =
    config.decisions;
  const models = {
    'supplier-risk': config.decisions.supplierRiskModel,
    'lane-eta': config.decisions.laneEtaModel,
    'demand-forecast': config.decisions.demandForecastModel,
  };
  return {
    approvalThreshold,
    approvalTimeoutMs,
    escalationTimeoutMs,
    verificationTimeoutMs,
    maxAttempts,
    models,
    allowProofUnsupported: config.decisions.allowProofUnsupported,
    verdictSigners: verdictSignersOf(config),
  };
}

/** Whose verdicts count: VERDICT_SIGNERS, else VERIFIER_ADDRESS, else (development) the verifier key's address. */
export function verdictSignersOf(config: EngineConfig): string[] {
  if (config.verification.verdictSigners.length > 0) return config.verification.verdictSigners;
  if (config.chain.verifierAddress) return [config.chain.verifierAddress];
  if (config.mode === 'development') return [privateKeyToAccount(config.keys.verifier).address];
  throw new ConfigError([
    'VERDICT_SIGNERS (or VERIFIER_ADDRESS) is required in production mode: the verifier addresses whose signed verdicts count',
  ]);
}

export type DecisionStarter = ReturnType<typeof createDecisionStarter>;

// Temporal refuses a start whose user metadata is too large (dev-server defaults: summary 400 bytes, details 20 KB),
// with INVALID_ARGUMENT; ids and candidate lists come from the event, so the texts are clipped to stay inside.
const SUMMARY_MAX_CHARS = 180;
const DETAILS_MAX_CHARS = 6_000;

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function createDecisionStarter(client: Client, taskQueue: string, settings: DecisionSettings) {
  async function start(
    kind: DecisionKindValue,
    key: string,
    input: Requisition | Shipment,
    args: unknown,
    summary: string,
    details: string,
  ): Promise<StartResult> {
    const workflowId = decisionWorkflowId(kind, key);
    // USE_EXISTING hands back the running decision without an error, and the SDK drops the response's `started` flag:
    // a random tag in the memo tells whether the run we got is the one this call created (a duplicate otherwise).
    const startTag = randomUUID();
    // The content hash in the memo tells a redelivery (same content: nothing to do) from a conflict (same business
    // key, other content), which must not pass silently.
    const contentHash = decisionContentHash(input);
    const duplicate = (memo: Record<string, unknown> | undefined): StartResult => {
      const existing = memo?.contentHash;
      // Decisions started before the hash was recorded cannot be compared: they count as redeliveries, as before.
      return typeof existing === 'string' && existing !== contentHash
        ? { decisionId: workflowId, started: false, conflict: { existingContentHash: existing } }
        : { decisionId: workflowId, started: false };
    };
    try {
      const handle = await client.workflow.start(kind === 'procurement' ? 'procurementDecision' : 'routingDecision', {
        taskQueue,
        workflowId,
        args: [args],
        // A redelivered event finds the running decision (USE_EXISTING) or the finished one (REJECT_DUPLICATE).
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [
          { key: DecisionKind, value: kind },
          { key: DecisionStatus, value: 'PAYING' },
        ],
        staticSummary: clip(summary, SUMMARY_MAX_CHARS),
        staticDetails: clip(details, DETAILS_MAX_CHARS),
        memo: { startTag, contentHash },
      });
      const { memo } = await handle.describe();
      return memo?.startTag === startTag ? { decisionId: handle.workflowId, started: true } : duplicate(memo);
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      // The decision has ended (REJECT_DUPLICATE): its last run's memo still has the hash (continue-as-new keeps it).
      const { memo } = await client.workflow.getHandle(workflowId).describe();
      return duplicate(memo);
    }
  }

  return {
    startProcurement(requisition: Requisition): Promise<StartResult> {
      const summary = `Procure ${requisition.quantity ?? `forecast×${requisition.forecastWindow}`} × ${requisition.itemSku} (requisition ${requisition.requisitionId})`;
      const details = [
        `**Requisition** ${requisition.requisitionId}, needed by ${requisition.neededBy}, budget ${requisition.budget.amount} ${requisition.budget.currency}`,
        `**Candidates**: ${requisition.candidates.map((c) => `${c.supplierId} @ ${c.unitPrice}`).join(', ')}`,
      ].join('\n\n');
      return start('procurement', requisition.requisitionId, requisition, { requisition, settings }, summary, details);
    },
    startRouting(shipment: Shipment): Promise<StartResult> {
      const summary = `Route shipment ${shipment.shipmentId} ${shipment.origin} → ${shipment.destination}`;
      const details = [
        `**Shipment** ${shipment.shipmentId}: ${shipment.weightKg} kg${shipment.hazmat ? ', hazmat' : ''}, ready ${shipment.readyAt}, promised by ${shipment.promisedBy}`,
        `**Routes**: ${shipment.candidates.map((c) => `${c.routeId} (${c.carrierId}, ${c.mode}, ${c.cost})`).join(', ')}`,
      ].join('\n\n');
      return start('routing', shipment.shipmentId, shipment, { shipment, settings }, summary, details);
    },
    /** Returns false when there is no such decision (nothing to cancel). */
    async cancel(kind: DecisionKindValue, key: string, request: CancelSignal): Promise<boolean> {
      return signal(decisionWorkflowId(kind, key), cancelSignal, request);
    },
    async deliverVerdict(decisionId: string, verdict: Verdict): Promise<boolean> {
      return signal(decisionId, verdictSignal, verdict);
    },
    /** When the decision's current run started (undefined if there is no such decision): for the fast-path metric. */
    async startedAt(decisionId: string): Promise<Date | undefined> {
      try {
        return (await client.workflow.getHandle(decisionId).describe()).startTime;
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return undefined;
        throw error;
      }
    },
  };

  async function signal<T extends unknown[]>(
    workflowId: string,
    definition: SignalDefinition<T>,
    ...args: T
  ): Promise<boolean> {
    try {
      await client.workflow.getHandle(workflowId).signal(definition, ...args);
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }
}
