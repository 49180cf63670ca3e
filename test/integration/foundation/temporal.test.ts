// The Temporal dev server started by the stack runs a workflow with an activity to completion.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { testConfig } from '../../support/test-config';
import { uniqueName } from '../../support/unique';
import { createSmokeActivities } from './fixtures/smoke-activities';

describe('embedded Temporal', () => {
  const config = testConfig();
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createFromExistingServer({
      address: config.temporal.address,
      namespace: config.temporal.namespace,
    });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('runs a workflow with an activity to completion', async () => {
    const taskQueue = uniqueName('smoke');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: config.temporal.namespace,
      taskQueue,
      workflowsPath: require.resolve('./fixtures/smoke-workflows'),
      activities: createSmokeActivities(),
    });
    const result = await worker.runUntil(
      env.client.workflow.execute('smokeWorkflow', { taskQueue, workflowId: uniqueName('smoke-wf'), args: ['engine'] }),
    );
    expect(result).toBe('hello engine from activity attempt 1');
  });

  it('has the decision search attributes registered', async () => {
    const { customAttributes } = await env.connection.operatorService.listSearchAttributes({
      namespace: config.temporal.namespace,
    });
    expect(Object.keys(customAttributes ?? {})).toEqual(
      expect.arrayContaining(['DecisionKind', 'DecisionStatus', 'ModelIds', 'NodeId', 'Counterparty', 'OrderValue']),
    );
  });
});
