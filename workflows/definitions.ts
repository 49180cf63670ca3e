// Messages into and out of a running decision, shared by the workflows and by their clients (bridge, CLI, ERP).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AmendUpdate, ApproveUpdate, CancelSignal, DecisionAudit, DecisionStatusView, RejectUpdate } from '../src/contracts/decision';
import type { Verdict } from '../src/contracts/verdict';

export const approveUpdate = defineUpdate<{ accepted: true; status: string }, [ApproveUpdate]>('approve');
export const rejectUpdate = defineUpdate<{ accepted: true; status: string }, [RejectUpdate]>('reject');
export const amendUpdate = defineUpdate<{ accepted: true; amendments: number }, [AmendUpdate]>('amend');
export const cancelSignal = defineSignal<[CancelSignal]>('cancel');
/** Delivered by the bridge from the verifier's verdicts topic. */
export const verdictSignal = defineSignal<[Verdict]>('verdict');
export const statusQuery = defineQuery<DecisionStatusView>('status');
export const auditQuery = defineQuery<DecisionAudit>('audit');
