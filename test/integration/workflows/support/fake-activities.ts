// Scripted stand-ins for the decision activities, for tests of the workflow logic alone: every call is recorded
// (name and input), payments answer at once with fixed outputs, the ERP/TMS hand out ids, and requestVerification
// signals the verdict the test scripted back to the workflow (as the bridge would), or nothing at all.
import { ApplicationFailure } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { createActivities } from '../../../../activities';
import type { InferenceRecord } from '../../../../src/contracts/decision';
import { verdictSignal } from '../../../../src/contracts/decision-messages';
import type { CheckStatus } from '../../../../src/contracts/verdict';

type Activities = ReturnType<typeof createActivities>;
export type Call = { name: keyof Activities; input: Record<string, unknown> };

/** What the verifier says about a receipt: every check passes, one check fails, or no verdict ever comes. */
export type VerdictScript =
  | { kind: 'pass' }
  | { kind: 'fail'; check: 'attestation' | 'proof' | 'reexecution'; reason: string }
  | { kind: 'silent' };

export type FakeOptions = {
  /** Verdict per node id (default: pass). */
  verdicts?: Record<string, VerdictScript>;
  /** Nodes to pay: the first one not excluded answers (re-decisions exclude the node that failed). */
  nodeIds?: string[];
  hasAlternateNode?: boolean;
  /** Resolved before each payAndInfer answers: lets a test message the decision while it is paying. */
  payGate?: () => Promise<void>;
  /** Activities that fail for good (a non-retryable ApplicationFailure with this message). */
  failing?: Partial<Record<keyof Activities, string>>;
};

export type FakeActivities = {
  activities: Activities;
  calls: Call[];
  callsOf(name: keyof Activities): Array<Record<string, unknown>>;
};

export function createFakeActivities(client: Client, options: FakeOptions = {}): FakeActivities {
  const calls: Call[] = [];
  const nodeIds = options.nodeIds ?? ['node-a', 'node-b'];
  const receiptsByNode = new Map<string, string>();
  let sequence = 0;
  const record = (name: keyof Activities, input: object) => {
    calls.push({ name, input: { ...input } });
    const message = options.failing?.[name];
    if (message) throw ApplicationFailure.create({ type: 'ErpConflictError', message, nonRetryable: true });
  };

  const activities = {
    async payAndInfer(input) {
      record('payAndInfer', input);
      await options.payGate?.();
      const nodeId = nodeIds.find((id) => !input.excludeNodeIds.includes(id)) ?? 'no-node';
      const receiptId = `receipt-${++sequence}`;
      receiptsByNode.set(receiptId, nodeId);
      const outputs = input.rows.map(() =>
        input.modelName === 'lane-eta' ? [30, 0.1] : input.modelName === 'demand-forecast' ? [1] : [0.1],
      );
      return {
        step: input.step,
        modelId: `sha256:${input.modelName}`,
        nodeId,
        nodeUrl: `http://${nodeId}.test:8402`,
        receiptId,
        inputHash: '0x01',
        outputHash: '0x02',
        paymentRef: `payment-${receiptId}`,
        settlement: 'settled',
        rows: input.rows,
        outputs,
      } satisfies InferenceRecord;
    },
    async hasAlternateNode(input) {
      record('hasAlternateNode', input);
      return options.hasAlternateNode ?? false;
    },
    async holdBudget(input) {
      record('holdBudget', input);
      return hold(`hold-${input.attempt}-${input.round ?? 0}`, input.decisionId, input.amount);
    },
    async releaseBudget(input) {
      record('releaseBudget', input);
      return hold(input.holdId, input.decisionId, 0);
    },
    async reservePurchaseOrder(input) {
      record('reservePurchaseOrder', input);
      return purchaseOrder(`po-${input.attempt}`, input.decisionId);
    },
    async confirmPurchaseOrder(input) {
      record('confirmPurchaseOrder', input);
      return purchaseOrder(input.poId, input.decisionId);
    },
    async cancelPurchaseOrder(input) {
      record('cancelPurchaseOrder', input);
      return purchaseOrder(input.poId, input.decisionId);
    },
    async tenderLoad(input) {
      record('tenderLoad', input);
      return tender(`tender-${input.attempt}`, input.decisionId);
    },
    async confirmTender(input) {
      record('confirmTender', input);
      return tender(input.tenderId, input.decisionId);
    },
    async retractTender(input) {
      record('retractTender', input);
      return tender(input.tenderId, input.decisionId);
    },
    async publishDecisionEvent(input) {
      record('publishDecisionEvent', input);
      return { eventId: `${input.decisionId}/${input.type}/${input.attempt}` };
    },
    async requestVerification(input) {
      record('requestVerification', input);
      const script = options.verdicts?.[receiptsByNode.get(input.receiptId) ?? ''] ?? { kind: 'pass' };
      if (script.kind === 'silent') return { accepted: true as const };
      const pass = { status: 'pass' as CheckStatus };
      const checks = { attestation: pass, proof: pass, reexecution: pass };
      if (script.kind === 'fail') checks[script.check] = { status: 'fail', reason: script.reason } as never;
      await client.workflow.getHandle(input.decisionId).signal(verdictSignal, {
        receiptId: input.receiptId,
        decisionId: input.decisionId,
        checks,
        verified: script.kind === 'pass',
        verifiedAt: new Date().toISOString(),
      });
      return { accepted: true as const };
    },
    async disputePayment(input) {
      record('disputePayment', input);
      return { reference: `dispute-${input.receiptId}` };
    },
    async flagNode(input) {
      record('flagNode', input);
      return { reference: `flag-${input.nodeId}` };
    },
    async capturePayment(input) {
      record('capturePayment', input);
      return { transaction: `capture-${input.receiptId}`, alreadyDone: false };
    },
    async refundPayment(input) {
      record('refundPayment', input);
      return { transaction: `refund-${input.receiptId}`, alreadyDone: false };
    },
  } as Activities;

  return { activities, calls, callsOf: (name) => calls.filter((c) => c.name === name).map((c) => c.input) };
}

const at = '2026-11-25T08:00:00.000Z';
// The ERP/TMS records carry more fields than the workflow reads; the fakes return what the workflow uses.
function hold(holdId: string, decisionId: string, amount: number) {
  return {
    holdId,
    decisionId,
    attempt: 1,
    amount,
    currency: 'USDC',
    status: 'held' as const,
    history: [],
    createdAt: at,
  };
}
function purchaseOrder(poId: string, decisionId: string) {
  return {
    poId,
    decisionId,
    attempt: 1,
    supplierId: 's',
    itemSku: 'i',
    quantity: 1,
    unitPrice: 1,
    currency: 'USDC',
    neededBy: '2026-12-15',
    status: 'reserved' as const,
    history: [],
    createdAt: at,
  };
}
function tender(tenderId: string, decisionId: string) {
  return {
    tenderId,
    decisionId,
    attempt: 1,
    shipmentId: 's',
    routeId: 'r',
    carrierId: 'c',
    cost: 1,
    currency: 'USD',
    status: 'tendered' as const,
    history: [],
    createdAt: at,
  };
}
