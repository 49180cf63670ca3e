// The TMS's rules: at most one tender per decision attempt, idempotent accept/retract, and retracting an accepted
// tender allowed as a late compensation (verification can fail after the carrier accepted).
import type { z } from 'zod';
import type {
  ConfirmTenderRequestSchema,
  RetractTenderRequestSchema,
  TenderLoadRequestSchema,
} from '../contracts/back-office';
import { changed, differingFields, refuse, unchanged, type Outcome } from './outcome';
import { effectId, type BackOfficeState } from './state';

const TENDER_TERMS = ['shipmentId', 'routeId', 'carrierId', 'cost', 'currency'] as const;

export function tenderLoad(
  state: BackOfficeState,
  request: z.output<typeof TenderLoadRequestSchema>,
  at: string,
): Outcome {
  const tenderId = effectId('tender', request.decisionId, request.attempt);
  const existing = state.tenders.get(tenderId);
  if (existing) {
    const differs = differingFields(existing, { ...existing, ...request }, [...TENDER_TERMS]);
    if (differs.length > 0)
      return refuse(
        'idempotency_conflict',
        `decision ${request.decisionId} already tendered ${tenderId} with other terms`,
        { tenderId, fields: differs },
      );
    return unchanged(existing);
  }
  const tender = {
    tenderId,
    ...request,
    status: 'tendered' as const,
    history: [{ status: 'tendered' as const, at }],
    createdAt: at,
  };
  return changed(201, [{ type: 'tender.created', tender }], (s) => s.tenders.get(tenderId));
}

export function confirmTender(state: BackOfficeState, request: z.output<typeof ConfirmTenderRequestSchema>): Outcome {
  const tender = state.tenders.get(request.tenderId);
  if (!tender) return refuse('tender_not_found', `no tender ${request.tenderId}`);
  if (tender.decisionId !== request.decisionId)
    return refuse('decision_mismatch', `tender ${tender.tenderId} belongs to another decision`);
  if (tender.status === 'accepted') return unchanged(tender);
  if (tender.status === 'retracted')
    return refuse('invalid_transition', `tender ${tender.tenderId} is retracted and cannot be confirmed`, {
      status: tender.status,
    });
  return changed(200, [{ type: 'tender.accepted', tenderId: tender.tenderId }], (s) => s.tenders.get(tender.tenderId));
}

export function retractTender(state: BackOfficeState, request: z.output<typeof RetractTenderRequestSchema>): Outcome {
  const tender = state.tenders.get(request.tenderId);
  if (!tender) return refuse('tender_not_found', `no tender ${request.tenderId}`);
  if (tender.decisionId !== request.decisionId)
    return refuse('decision_mismatch', `tender ${tender.tenderId} belongs to another decision`);
  if (tender.status === 'retracted') return unchanged(tender);
  return changed(200, [{ type: 'tender.retracted', tenderId: tender.tenderId, reason: request.reason }], (s) =>
    s.tenders.get(tender.tenderId),
  );
}
