// `proofpath decide procurement|routing --file event.json [--timeout 120s]`: publishes a logistics event as an
// upstream system would, then waits for the decision's final outcome and exits with it (0 only when VERIFIED).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { WorkflowNotFoundError } from '@temporalio/client';
import { DecisionKindSchema } from '../../contracts/decision';
import { parseChoice, parseCommandArgs, parseDuration } from '../args';
import type { ToolCommand } from '../command';
import { connectTemporal, reachableKafka } from '../connect';
import { parseDecideInput } from '../decide-input';
import { waitForDecisionOutcome, type WaitResult } from '../decision-wait';
import { InvalidInputError, UsageError } from '../errors';
import { ExitCode } from '../exit-codes';
import { publishEvent } from '../publish';

const DEFAULT_TIMEOUT = '120s';

export const decideCommand: ToolCommand = {
  name: 'decide',
  summary:
    "procurement|routing --file <event.json> [--timeout 120s]: publish an event and wait for the decision's final outcome",
  usage: [
    'decide procurement|routing --file <event.json> [--timeout 120s] [--json]',
    '',
    '  --file, -f   a CloudEvents logistics event (requisition.created | shipment.ready, like examples/*.json),',
    '               or just the requisition | shipment object (wrapped in an event with a fresh id)',
    `  --timeout    how long to wait for the final outcome (default ${DEFAULT_TIMEOUT}); the decision goes on after it`,
    '  --json       print the outcome as JSON',
    '',
    'Progress goes to stderr, the outcome to stdout. Exit: 0 VERIFIED, 10 ROLLED_BACK, 11 FAILED, 12 timed out,',
    '2 invalid input, 3 Kafka/Temporal unreachable, 130 Ctrl-C (the decision goes on).',
  ].join('\n'),
  logsToStderr: true,
  async run({ config, logger, args }) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        file: { type: 'string', short: 'f' },
        timeout: { type: 'string' },
        json: { type: 'boolean' },
      },
      { min: 1, max: 1, names: 'decision kind (procurement|routing)' },
    );
    const kind = parseChoice(positionals[0], DecisionKindSchema.options, 'decision kind');
    if (!values.file) throw new UsageError('missing --file <event.json>');
    const timeoutMs = parseDuration(values.timeout ?? DEFAULT_TIMEOUT, '--timeout');
    let text: string;
    try {
      text = fs.readFileSync(values.file, 'utf8');
    } catch (error) {
      throw new InvalidInputError(`cannot read ${values.file}: ${(error as Error).message}`);
    }
    const input = parseDecideInput(kind, text, {
      file: values.file,
      newEventId: () => `cli-${randomUUID()}`,
      now: () => new Date(),
    });
    const progress = (line: string) => process.stderr.write(`${line}\n`);

    const kafka = await reachableKafka(config, logger, 'decide');
    const temporal = await connectTemporal(config);
    const interrupt = new AbortController();
    const onSigint = () => interrupt.abort();
    try {
      const handle = temporal.client.workflow.getHandle(input.decisionId);
      const existing = await handle
        .describe()
        .catch((error: unknown) => (error instanceof WorkflowNotFoundError ? undefined : Promise.reject(error)));
      if (existing)
        progress(
          `decision ${input.decisionId} already exists (${existing.status.name}): one decision per ${kind === 'procurement' ? 'requisition' : 'shipment'}, this event will not start another`,
        );
      const record = await publishEvent(kafka, {
        topic: config.kafka.inputTopic,
        key: input.event.subject ?? input.key,
        value: input.value,
      });
      progress(
        `published ${input.event.type} ${input.key}${input.wrapped ? ' (wrapped in a new event)' : ''} to ${config.kafka.inputTopic} [${record.partition}]@${record.offset}`,
      );
      progress(
        `waiting up to ${timeoutMs / 1000} s for decision ${input.decisionId} (Ctrl-C stops waiting; the decision goes on)`,
      );
      process.once('SIGINT', onSigint);
      const result = await waitForDecisionOutcome(handle, {
        timeoutMs,
        signal: interrupt.signal,
        onStatus: (status) => {
          progress(`  ${new Date().toISOString()}  ${status}`);
          if (status === 'AWAITING_APPROVAL')
            progress(`  approve with: npx proofpath decision approve ${input.decisionId} approver=<you>`);
        },
      });
      return report(result, input.decisionId, values.json === true, progress);
    } finally {
      process.removeListener('SIGINT', onSigint);
      await temporal.close();
    }
  },
};

function report(result: WaitResult, decisionId: string, json: boolean, progress: (line: string) => void): number {
  switch (result.kind) {
    case 'finished': {
      const { outcome } = result;
      // The outcome without its audit record (`proofpath decision audit <id>` shows that).
      const { audit: _audit, ...summary } = outcome;
      if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else {
        const facts = [
          outcome.status,
          `attempt ${outcome.attempt}`,
          outcome.reference && `reference ${outcome.reference}`,
          outcome.failedCheck && `${outcome.failedCheck} failed`,
          outcome.reason,
        ].filter(Boolean);
        process.stdout.write(`${decisionId}  ${facts.join('  ')}\n`);
      }
      progress(`audit: npx proofpath decision audit ${decisionId}`);
      return outcome.status === 'VERIFIED'
        ? ExitCode.OK
        : outcome.status === 'ROLLED_BACK'
          ? ExitCode.ROLLED_BACK
          : ExitCode.FAILED;
    }
    case 'aborted':
      if (json)
        process.stdout.write(
          `${JSON.stringify({ decisionId, status: 'FAILED', workflow: result.executionStatus, reason: result.message })}\n`,
        );
      else process.stdout.write(`${decisionId}  FAILED  workflow ${result.executionStatus}: ${result.message}\n`);
      return ExitCode.FAILED;
    case 'timeout':
    case 'interrupted': {
      const why = result.kind === 'timeout' ? 'no final outcome in time' : 'stopped waiting';
      progress(
        result.started
          ? `${why}: decision ${decisionId} is ${result.lastStatus ?? 'running'} and goes on; follow it with: npx proofpath decision status ${decisionId}`
          : `${why}: no decision ${decisionId} was started. Is the bridge running (npx proofpath bridge, or npm start)? Rejected events go to the dead-letter topic: npx proofpath events tail --topic dlq --from-beginning`,
      );
      return result.kind === 'timeout' ? ExitCode.TIMEOUT : ExitCode.INTERRUPTED;
    }
  }
}
