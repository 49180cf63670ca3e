// Starts and messages decisions on Temporal: deterministic workflow ids, redelivery-safe conflict policies,
// static summary/details for the UI, and the settings from configuration (fixed per decision, so replays agree).
import { randomUUID } from 'node:crypto';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
  type SignalDefinition,
} from '@temporalio/client';
import type { EngineConfig } from '../config';
import {
  decisionWorkflowId,
  type CancelSignal,
  type DecisionKind as DecisionKindValue,
  type DecisionSettings,
} from '../contracts/decision';
import type { Requisition, Shipment } from '../contracts/logistics';
import type { Verdict } from '../contracts/verdict';
import { DecisionKind, DecisionStatus } from '../contracts/search-attributes';
import { cancelSignal, verdictSignal } from '../contracts/decision-messages';

export type StartResult = { decisionId: string; started: boolean };

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
  };
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
    args: unknown,
    summary: string,
    details: string,
  ): Promise<StartResult> {
    const workflowId = decisionWorkflowId(kind, key);
    // USE_EXISTING hands back the running decision without an error, and the SDK drops the response's `started` flag:
    // a random tag in the memo tells whether the run we got is the one this call created (a duplicate otherwise).
    const startTag = randomUUID();
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
        memo: { startTag },
      });
      const { memo } = await handle.describe();
      return { decisionId: handle.workflowId, started: memo?.startTag === startTag };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return { decisionId: workflowId, started: false };
      throw error;
    }
  }

  return {
    startProcurement(requisition: Requisition): Promise<StartResult> {
      const summary = `Procure ${requisition.quantity ?? `forecast×${requisition.forecastWindow}`} × ${requisition.itemSku} (requisition ${requisition.requisitionId})`;
      const details = [
        `**Requisition** ${requisition.requisitionId}, needed by ${requisition.neededBy}, budget ${requisition.budget.amount} ${requisition.budget.currency}`,
        `**Candidates**: ${requisition.candidates.map((c) => `${c.supplierId} @ ${c.unitPrice}`).join(', ')}`,
      ].join('\n\n');
      return start('procurement', requisition.requisitionId, { requisition, settings }, summary, details);
    },
    startRouting(shipment: Shipment): Promise<StartResult> {
      const summary = `Route shipment ${shipment.shipmentId} ${shipment.origin} → ${shipment.destination}`;
      const details = [
        `**Shipment** ${shipment.shipmentId}: ${shipment.weightKg} kg${shipment.hazmat ? ', hazmat' : ''}, ready ${shipment.readyAt}, promised by ${shipment.promisedBy}`,
        `**Routes**: ${shipment.candidates.map((c) => `${c.routeId} (${c.carrierId}, ${c.mode}, ${c.cost})`).join(', ')}`,
      ].join('\n\n');
      return start('routing', shipment.shipmentId, { shipment, settings }, summary, details);
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
