// A redelivered event finds the decision its first delivery started: the starter says so (started: false), so the
// bridge logs it as a duplicate rather than as "decision started".
import { connectTemporalClient } from '../../../src/decisions/temporal-client';
import { createDecisionStarter, decisionSettings } from '../../../src/decisions/starter';
import { testConfig } from '../../support/test-config';
import { buildRequisition } from './support/events';

jest.setTimeout(60_000);

it('reports a start that found the running decision as not started', async () => {
  const config = testConfig();
  const temporal = await connectTemporalClient(config);
  // A task queue no worker polls: the decision stays running and does nothing.
  const starter = createDecisionStarter(temporal.client, `duplicate-start-${Date.now()}`, decisionSettings(config));
  const requisition = buildRequisition();
  try {
    const first = await starter.startProcurement(requisition);
    const again = await starter.startProcurement(requisition);
    expect(first).toEqual({ decisionId: `procurement-${requisition.requisitionId}`, started: true });
    expect(again).toEqual({ decisionId: first.decisionId, started: false });
  } finally {
    await temporal.client.workflow
      .getHandle(`procurement-${requisition.requisitionId}`)
      .terminate('test over')
      .catch(() => undefined);
    await temporal.close();
  }
});
