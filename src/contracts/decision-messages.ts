// Messages into and out of a running decision (updates, signals, queries), shared by the workflows and their clients
// (bridge, CLI, ERP, demo). Only @temporalio/workflow's define* functions are used: they build plain name objects and
// are safe to import outside the workflow sandbox.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  AmendUpdate,
  ApproveUpdate,
  CancelSignal,
  DecisionAudit,
  DecisionStatusView,
  RejectUpdate,
} from './decision';
import type { Verdict } from './verdict';

export const approveUpdate = defineUpdate<{ accepted: true; status: string }, [ApproveUpdate]>('approve');
export const rejectUpdate = defineUpdate<{ accepted: true; status: string }, [RejectUpdate]>('reject');
export const amendUpdate = defineUpdate<{ accepted: true; amendments: number }, [AmendUpdate]>('amend');
export const cancelSignal = defineSignal<[CancelSignal]>('cancel');
/** Delivered by the bridge from the verifier's verdicts topic. */
export const verdictSignal = defineSignal<[Verdict]>('verdict');
export const statusQuery = defineQuery<DecisionStatusView>('status');
export const auditQuery = defineQuery<DecisionAudit>('audit');
