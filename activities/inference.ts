// Activities that pay a node and get its fast answer. The idempotency key (decision/attempt/step) fixes the EIP-3009
// nonce and the issuedAt fixes the validity window, so a retried activity re-presents the identical payment.
import { z } from 'zod';
import type { InferenceRecord } from '../src/contracts/decision';
import type { NodeDirectory } from '../src/decisions/node-directory';
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

export function createInferenceActivities(deps: { payingClient: PayingClient; nodes: NodeDirectory }) {
  return {
    async payAndInfer(input: z.input<typeof PayAndInferInput>): Promise<InferenceRecord> {
      const { decisionId, idempotencyKey, issuedAt, step, modelName, rows, excludeNodeIds } = parseActivityInput(
        PayAndInferInput,
        input,
      );
      const node = await deps.nodes.choose(modelName, excludeNodeIds, decisionId);
      const result = await deps.payingClient.payAndInfer({
        nodeUrl: node.nodeUrl,
        modelId: node.modelId,
        rows,
        idempotencyKey,
        issuedAt,
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
