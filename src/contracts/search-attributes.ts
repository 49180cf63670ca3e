// Typed custom search attributes of decision workflows: registered on the server by the devstack,
// upserted by the workflows, and used by operators in the Temporal UI (`DecisionStatus="ROLLED_BACK"`).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const DecisionKind = defineSearchAttributeKey('DecisionKind', SearchAttributeType.KEYWORD);
export const DecisionStatus = defineSearchAttributeKey('DecisionStatus', SearchAttributeType.KEYWORD);
export const ModelIds = defineSearchAttributeKey('ModelIds', SearchAttributeType.KEYWORD_LIST);
export const NodeId = defineSearchAttributeKey('NodeId', SearchAttributeType.KEYWORD);
export const Counterparty = defineSearchAttributeKey('Counterparty', SearchAttributeType.KEYWORD);
export const OrderValue = defineSearchAttributeKey('OrderValue', SearchAttributeType.DOUBLE);

export const DECISION_SEARCH_ATTRIBUTES = [
  DecisionKind,
  DecisionStatus,
  ModelIds,
  NodeId,
  Counterparty,
  OrderValue,
] as const;
