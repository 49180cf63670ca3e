// Determinism: recorded histories of real decisions (verified, approved, rejected, rolled back; see
// test/fixtures/histories/record.ts) replay through today's workflow code. A change that would break running decisions
// fails here with a non-determinism error.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';

const dir = path.resolve(__dirname, '../../fixtures/histories');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

it('has the recorded histories it replays', () => {
  expect(files.sort()).toEqual([
    'procurement-approval-rejected.json',
    'procurement-approved.json',
    'procurement-rolled-back.json',
    'procurement-verified.json',
    'routing-verified.json',
  ]);
});

it('replays every recorded decision history without non-determinism', async () => {
  const bundle = process.env.PROOFPATH_TEST_WORKFLOW_BUNDLE;
  if (!bundle)
    throw new Error(
      'PROOFPATH_TEST_WORKFLOW_BUNDLE is unset: run through jest (the global setup bundles the workflows)',
    );
  const histories = files.map((file) => ({
    workflowId: path.basename(file, '.json'),
    history: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')),
  }));
  const results = [];
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: { code: fs.readFileSync(bundle, 'utf8') } },
    histories,
  ))
    results.push(result);
  expect(results.map((r) => ({ workflowId: r.workflowId, error: r.error?.message }))).toEqual(
    histories.map((h) => ({ workflowId: h.workflowId, error: undefined })),
  );
});
