// The installed binary end to end, on the real stack: help from any directory, usage errors, a missing decision, an
// unreachable service, and `events tail` printing a message from a topic until Ctrl-C.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeLocalPort } from '../../../src/devstack/engine-process';
import { createKafka } from '../../../src/kafka/client';
import { createIdempotentProducer } from '../../../src/kafka/producer';
import { ensureTopics } from '../../../src/kafka/topics';
import { testConfig, testLogger } from '../../support/test-config';
import { uniqueName } from '../../support/unique';
import { BIN, runBin, startBin } from './support/run-bin';

describe('the proofpath binary', () => {
  const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'proofpath-cwd-'));
  afterAll(() => fs.rmSync(elsewhere, { recursive: true, force: true }));

  it('prints its help from another directory, also through a symlink as npm links bins', async () => {
    const link = path.join(elsewhere, 'proofpath');
    fs.symlinkSync(BIN, link);
    for (const command of [BIN, link]) {
      const result = await runBin(['--help'], { cwd: elsewhere, command });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^usage: proofpath <command>/);
      for (const name of ['decide', 'events', 'nodes', 'stack', 'decision', 'worker'])
        expect(result.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
  });

  it('refuses an unknown command and an unknown flag with the usage on stderr and exit 2', async () => {
    const unknownCommand = await runBin(['frobnicate'], { cwd: elsewhere });
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toMatch(/^proofpath: unknown command "frobnicate"\n\nusage: proofpath <command>/);
    expect(unknownCommand.stdout).toBe('');

    const unknownFlag = await runBin(['events', 'tail', '--colour'], { cwd: elsewhere });
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toMatch(/^proofpath events: Unknown option '--colour'\n\nusage: proofpath events tail/);
  });

  it('says clearly that a decision does not exist (exit 4)', async () => {
    const id = uniqueName('procurement-NOPE');
    const result = await runBin(['decision', 'audit', id]);
    expect(result.code).toBe(4);
    expect(result.stderr).toBe(
      `proofpath decision: no decision ${id} on Temporal (decision ids are procurement-<requisitionId> or routing-<shipmentId>)\n`,
    );
  });

  it('names the address and the fix when Temporal does not answer (exit 3)', async () => {
    const port = await freeLocalPort();
    const result = await runBin(['decision', 'status', 'procurement-X'], {
      env: { TEMPORAL_ADDRESS: `127.0.0.1:${port}` },
    });
    expect(result.code).toBe(3);
    // "connection refused" comes from the CLI's own probe, which answers at once (the client would wait 10 s).
    expect(result.stderr).toBe(
      `proofpath decision: cannot reach Temporal at 127.0.0.1:${port} (connection refused): is the stack up? npm run stack -- up\n`,
    );
  });

  it('lists an unreachable inference node and exits 3 when none answers', async () => {
    const port = await freeLocalPort();
    const result = await runBin(['nodes', 'list'], {
      env: { INFERENCE_NODE_URL: `http://127.0.0.1:${port}`, INFERENCE_NODE_ALTERNATE_URLS: '' },
    });
    expect(result.code).toBe(3);
    expect(result.stdout.replace(/\s{2,}/g, '  ')).toBe(
      `http://127.0.0.1:${port}  primary  unreachable  connection refused\n`,
    );
    expect(result.stderr).toMatch(/no inference node answered/);
  });

  it('tails a topic: prints a message produced while it follows, then stops cleanly on Ctrl-C', async () => {
    const config = testConfig();
    const logger = testLogger('cli-tail', config);
    const topic = uniqueName('cli-tail');
    await ensureTopics(config, logger, [topic]);
    const producer = createIdempotentProducer(createKafka(config, logger, 'cli-tail-test'));
    await producer.connect();
    try {
      await producer.send({
        topic,
        acks: -1,
        messages: [{ key: 'before', value: JSON.stringify({ type: 'sent.before', subject: 'old' }) }],
      });
      const tail = startBin(['events', 'tail', '--topic', topic]);
      await tail.waitFor('stderr', /following .* from now on; Ctrl-C stops/);
      const event = {
        specversion: '1.0',
        id: 'e-1',
        source: 'urn:test',
        type: 'shipment.cancelled',
        subject: 'SHP-42',
        data: { shipmentId: 'SHP-42', reason: 'customer withdrew', requestedBy: 'ops@example.com' },
      };
      await producer.send({ topic, acks: -1, messages: [{ key: 'SHP-42', value: JSON.stringify(event) }] });
      await tail.waitFor('stdout', /SHP-42/);
      tail.child.kill('SIGINT');
      const result = await tail.exited;
      expect(result.code).toBe(0);
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(1); // the message sent before it started is not shown without --from-beginning
      expect(lines[0]?.replace(/\s{2,}/g, '  ')).toMatch(
        /^\d{4}-\d\d-\d\dT[\d:.]+Z {2}shipment\.cancelled {2}SHP-42 {2}SHP-42 {2}by ops@example\.com: customer withdrew$/,
      );

      const fromStart = startBin(['events', 'tail', '--topic', topic, '--from-beginning', '--json']);
      await fromStart.waitFor('stdout', /(.*\n){2}/); // both messages, in either order: their keys map to different partitions
      fromStart.child.kill('SIGINT');
      const all = await fromStart.exited;
      expect(all.code).toBe(0);
      const values = all.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown);
      expect(values).toHaveLength(2);
      expect(values).toEqual(expect.arrayContaining([{ type: 'sent.before', subject: 'old' }, event]));
    } finally {
      await producer.disconnect();
    }
  });
});
