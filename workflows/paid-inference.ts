// One paid inference of a decision, recorded in its audit. The idempotency key (decision/attempt/step) makes a retried
// activity re-present the same payment, so the node answers from its cache instead of charging twice.
import type { InferenceRecord } from '../src/contracts/decision';
import { activities, baseActivityOptions, PAY_AND_INFER_DEADLINE } from './decision-activities';
import { now, type DecisionState } from './decision-state';

export async function payAndInfer(
  state: DecisionState,
  step: string,
  modelName: string,
  rows: number[][],
  excludeNodeIds: string[],
): Promise<InferenceRecord> {
  const record = await activities.payAndInfer.executeWithOptions(
    {
      ...baseActivityOptions,
      scheduleToCloseTimeout: PAY_AND_INFER_DEADLINE,
      summary: `pay ${modelName} inference (${rows.length} rows)`,
    },
    [
      {
        decisionId: state.decisionId,
        idempotencyKey: `${state.decisionId}/${state.attempt}/${step}`,
        issuedAt: now(),
        step,
        modelName,
        rows,
        excludeNodeIds,
      },
    ],
  );
  state.recordInference(record);
  return record;
}
