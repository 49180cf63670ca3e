// Activities of the verification path: submit a receipt to the verifier (its verdict comes back as a signal through
// the bridge), and the node-fault compensations: dispute the payment and flag the node on chain.
import { z } from 'zod';
import type { NodeAccountability, VerificationRequester } from '../src/decisions/verification-ports';
import { parseActivityInput } from './input';

const RequestInput = z.object({
  decisionId: z.string().min(1),
  receiptId: z.string().min(1),
  nodeUrl: z.url(),
  rows: z.array(z.array(z.number())),
  outputs: z.array(z.array(z.number())),
});
const FaultInput = z.object({ decisionId: z.string().min(1), receiptId: z.string().min(1), reason: z.string().min(1) });

export function createVerificationActivities(deps: {
  verifier: VerificationRequester;
  accountability: NodeAccountability;
}) {
  return {
    async requestVerification(input: z.input<typeof RequestInput>): Promise<{ accepted: true }> {
      await deps.verifier.submit(parseActivityInput(RequestInput, input));
      return { accepted: true };
    },
    async disputePayment(
      input: z.input<typeof FaultInput> & { paymentRef: string; nodeId: string },
    ): Promise<{ reference: string }> {
      const parsed = parseActivityInput(
        FaultInput.extend({ paymentRef: z.string().min(1), nodeId: z.string().min(1) }),
        input,
      );
      return deps.accountability.disputePayment(parsed);
    },
    async flagNode(input: z.input<typeof FaultInput> & { nodeId: string }): Promise<{ reference: string }> {
      const parsed = parseActivityInput(FaultInput.extend({ nodeId: z.string().min(1) }), input);
      return deps.accountability.flagNode(parsed);
    },
  };
}
