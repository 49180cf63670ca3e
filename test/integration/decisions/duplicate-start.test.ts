// A redelivered event finds the decision its first delivery started: the starter says so (started: false), so the
// bridge logs it as a duplicate rather than as "decision started". The same business key with other content is a
// conflict the starter reports (the content hash in the memo differs), whether the decision still runs or has ended.
import { connectTemporalClient } from '../../../src/decisions/temporal-client';
import {
  createDecisionStarter,
  decisionContentHash,
  decisionSettings,
  type DecisionStarter,
} from '../../../src/decisions/starter';
import { testConfig } from '../../support/test-config';
import { buildRequisition, buildShipment } from './support/events';

jest.setTimeout(60_000);

describe('starting a decision twice', () => {
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>>;
  let starter: DecisionStarter;
  const started: string[] = [];

  beforeAll(async () => {
    const config = testConfig();
    temporal = await connectTemporalClient(config);
    // A task queue no worker polls: the decision stays running and does nothing.
    starter = createDecisionStarter(temporal.client, `duplicate-start-${Date.now()}`, decisionSettings(config));
  });
  afterAll(async () => {
    await Promise.all(
      started.map((id) =>
        temporal.client.workflow
          .getHandle(id)
          .terminate('test over')
          .catch(() => undefined),
      ),
    );
    await temporal.close();
  });

  it('reports a start that found the running decision as not started, and no conflict', async () => {
    const requisition = buildRequisition();
    const first = await starter.startProcurement(requisition);
    started.push(first.decisionId);
    // The same content with its keys in another order is the same content.
    const reordered = Object.fromEntries(Object.entries(requisition).reverse()) as typeof requisition;
    const again = await starter.startProcurement(reordered);
    expect(first).toEqual({ decisionId: `procurement-${requisition.requisitionId}`, started: true });
    expect(again).toEqual({ decisionId: first.decisionId, started: false });
  });

  it('reports other content under a running decision’s business key as a conflict', async () => {
    const shipment = buildShipment();
    const first = await starter.startRouting(shipment);
    started.push(first.decisionId);
    const other = await starter.startRouting({ ...shipment, weightKg: shipment.weightKg + 1 });
    expect(other).toEqual({
      decisionId: first.decisionId,
      started: false,
      conflict: { existingContentHash: decisionContentHash(shipment) },
    });
  });

  it('reports other content under an ended decision’s business key as a conflict, the same content not', async () => {
    const requisition = buildRequisition();
    const first = await starter.startProcurement(requisition);
    await temporal.client.workflow.getHandle(first.decisionId).terminate('ended for the test');
    await expect(starter.startProcurement(requisition)).resolves.toEqual({
      decisionId: first.decisionId,
      started: false,
    });
    await expect(starter.startProcurement({ ...requisition, quantity: 1 })).resolves.toMatchObject({
      started: false,
      conflict: { existingContentHash: decisionContentHash(requisition) },
    });
  });
});
