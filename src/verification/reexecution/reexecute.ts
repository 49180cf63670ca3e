// Re-execution: run the receipt's model (by content id, through the model runtime port) on the receipt's rows and
// compare canonical output hashes. Bit-equal by design: the runtime pins deterministic session options.
import { inputHash as hashRows, outputHash as hashOutputs, type ModelRuntime } from '../../models';
import { fail, pass, type CheckOutcome, type ReexecutionReason } from '../reasons';
import type { ReceiptLike } from '../receipt';

/** The slice of the models runtime this check needs. */
export type ReexecutionRuntime = Pick<ModelRuntime, 'infer'>;

export async function reexecuteReceipt(
  receipt: Pick<ReceiptLike, 'modelId' | 'inputHash' | 'outputHash'>,
  rows: number[][],
  runtime: ReexecutionRuntime,
  /** The outputs the caller received and acted on; a node that signs one answer and delivers another is caught here. */
  deliveredOutputs?: number[][],
): Promise<CheckOutcome<ReexecutionReason>> {
  let rowsHash: string;
  try {
    rowsHash = hashRows(rows);
  } catch (error) {
    return fail('reexecution_input_mismatch', `rows cannot be hashed: ${(error as Error).message}`);
  }
  if (rowsHash.toLowerCase() !== receipt.inputHash.toLowerCase())
    return fail('reexecution_input_mismatch', "the rows do not hash to the receipt's inputHash");
  let result: Awaited<ReturnType<ReexecutionRuntime['infer']>>;
  try {
    result = await runtime.infer(receipt.modelId, rows);
  } catch (error) {
    return fail(
      'reexecution_model_unavailable',
      `model ${receipt.modelId} could not run here: ${(error as Error).message}`,
    );
  }
  if (result.outputHash.toLowerCase() !== receipt.outputHash.toLowerCase()) {
    return fail(
      'reexecution_output_mismatch',
      `re-executed output hash ${result.outputHash} differs from the receipt's ${receipt.outputHash}`,
    );
  }
  if (
    deliveredOutputs !== undefined &&
    safeHash(deliveredOutputs)?.toLowerCase() !== receipt.outputHash.toLowerCase()
  ) {
    return fail(
      'reexecution_output_mismatch',
      "the outputs delivered to the caller do not hash to the receipt's outputHash",
    );
  }
  return pass();
}

function safeHash(outputs: number[][]): string | undefined {
  try {
    return hashOutputs(outputs);
  } catch {
    return undefined;
  }
}
