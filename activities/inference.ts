// Activities that pay a node and get its fast answer. The idempotency key (decision/attempt/step) fixes the EIP-3009
// nonce and the issuedAt fixes the validity window, so a retried activity re-presents the identical payment.
import { Context } from '@temporalio/activity';
import { z } from 'zod';
import type { InferenceRecord } from '../src/contracts/decision';
import type { NodeDirectory } from '../src/decisions/node-directory';
import { PaymentRejectedError } from '../src/payments';
import type { PayingClient } from '../src/payments/client';
import { parseActivityInput } from './input';

const PayAndInferInput = z.object({
  decisionId: z.string().min(1),
  idempotencyKey: z.string().min(1),
  issuedAt: z.iso.datetime(),
  step: z.string().min(1),
  modelName: z.string().min(1),
  rows: z.array(z.array(z.number())).min(1),
  excludeNodeIds: z.array(z.string()),
});

/** The node refused the payment because it belongs to another node: an earlier attempt presented it there. */
const isSpentElsewhere = (error: unknown) =>
  error instanceof PaymentRejectedError && SPENT_ELSEWHERE_REASONS.has(error.code);
const SPENT_ELSEWHERE_REASONS = new Set([
  // exact: the EIP-3009 nonce (pinned by the idempotency key) is already used on chain.
  'invalid_exact_evm_nonce_already_used',
  // channel: the payer's book gives the key the same charge again, a voucher on the first node's channel, which any
  // other node refuses before reserving or verifying anything (channelMismatch, receiver first).
  'invalid_batch_settlement_evm_receiver_mismatch',
  // escrow has no such refusal: the nonce hashes the receiver, so another node gets a new hold, not this payment.
]);

export function createInferenceActivities(deps: { payingClient: PayingClient; nodes: NodeDirectory }) {
  return {
    async payAndInfer(input: z.input<typeof PayAndInferInput>): Promise<InferenceRecord> {
      const { decisionId, idempotencyKey, issuedAt, step, modelName, rows, excludeNodeIds } = parseActivityInput(
        PayAndInferInput,
        input,
      );
      // Nodes that refused this payment as already spent: an earlier attempt of this activity paid another node (the
      // directory moves a decision off a node that is away) and never saw its answer. That node has the answer cached
      // under this payment and serves it again; presenting the same payment to the others moves no money.
      const spentAt: string[] = [];
      for (;;) {
        const node = await deps.nodes.choose(modelName, [...excludeNodeIds, ...spentAt], decisionId);
        try {
          const result = await deps.payingClient.payAndInfer({
            nodeUrl: node.nodeUrl,
            modelId: node.modelId,
            rows,
            idempotencyKey,
            issuedAt,
            // A cancelled or timed-out activity stops waiting for the node at once.
            signal: Context.current().cancellationSignal,
          });
          return {
            step,
            modelId: result.modelId,
            nodeId: result.receipt.nodeId,
            nodeUrl: node.nodeUrl,
            receiptId: result.receipt.receiptId,
            inputHash: result.receipt.inputHash,
            outputHash: result.receipt.outputHash,
            paymentRef: result.paymentRef,
            settlement: result.settlement.status,
            settlementMode: result.receipt.settlementMode,
            ...(result.amount !== undefined ? { amount: result.amount } : {}),
            rows,
            outputs: result.outputs,
          };
        } catch (error) {
          if (!isSpentElsewhere(error)) throw error;
          spentAt.push(node.nodeId);
          // No other node left to ask (the paid one is away): NoInferenceNodeError from choose(), retried later.
        }
      }
    },

    async hasAlternateNode(input: { excludeNodeIds: string[]; modelIds?: string[] }): Promise<boolean> {
      const { excludeNodeIds, modelIds } = parseActivityInput(
        z.object({ excludeNodeIds: z.array(z.string()), modelIds: z.array(z.string()).optional() }),
        input,
      );
      return deps.nodes.hasAlternate(excludeNodeIds, modelIds);
    },
  };
}
