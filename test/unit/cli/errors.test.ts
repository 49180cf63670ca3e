// What a person sees when a command fails: usage errors exit 2 with the usage, unreachable services name their
// address and the hint, a missing decision says so, and anything unexpected keeps its stack (exit 1).
import { WorkflowNotFoundError } from '@temporalio/client';
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import { describeFailure, ServiceUnreachableError, UsageError } from '../../../src/cli/errors';
import { ExitCode } from '../../../src/cli/exit-codes';

const config = {
  mode: 'development' as const,
  temporal: { address: '127.0.0.1:7233' },
  kafka: { brokers: ['127.0.0.1:9092'] },
} as Parameters<typeof describeFailure>[1];

describe('describeFailure', () => {
  it('shows the usage after a usage error and exits 2', () => {
    expect(describeFailure(new UsageError('missing --file <event.json>'), config)).toEqual({
      message: 'missing --file <event.json>',
      exitCode: ExitCode.USAGE,
      showUsage: true,
    });
  });

  it('treats a node:util parseArgs error as a usage error', () => {
    const error = Object.assign(new TypeError("Unknown option '--x'"), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
    expect(describeFailure(error, config)).toMatchObject({ exitCode: ExitCode.USAGE, showUsage: true });
  });

  it('names the decision that does not exist (exit 4)', () => {
    const failure = describeFailure(new WorkflowNotFoundError('not found', 'procurement-NOPE', undefined), config);
    expect(failure).toEqual({
      message: expect.stringMatching(/^no decision procurement-NOPE on Temporal/),
      exitCode: ExitCode.NOT_FOUND,
      showUsage: false,
    });
  });

  it('turns the Temporal client deadline into the address and the stack hint (exit 3)', () => {
    const failure = describeFailure(new Error('Failed to connect before the deadline'), config);
    expect(failure).toEqual({
      message: 'cannot reach Temporal at 127.0.0.1:7233 (no answer): is the stack up? npm run stack -- up',
      exitCode: ExitCode.UNREACHABLE,
      showUsage: false,
    });
  });

  it('turns kafkajs connection failures into the broker list and the stack hint (exit 3)', () => {
    const error = new KafkaJSNumberOfRetriesExceeded(
      new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092'),
      { retryCount: 5, retryTime: 300 },
    );
    expect(describeFailure(error, config)).toMatchObject({
      message:
        'cannot reach Kafka at 127.0.0.1:9092 (connect ECONNREFUSED 127.0.0.1:9092): is the stack up? npm run stack -- up',
      exitCode: ExitCode.UNREACHABLE,
    });
  });

  it('points at the setting instead of the dev stack in production', () => {
    const error = new ServiceUnreachableError(
      'Temporal',
      'temporal:7233',
      'connection refused',
      'check TEMPORAL_ADDRESS',
    );
    expect(describeFailure(error, { ...config, mode: 'production' } as typeof config).message).toBe(
      'cannot reach Temporal at temporal:7233 (connection refused): check TEMPORAL_ADDRESS',
    );
    expect(
      describeFailure(new Error('Failed to connect before the deadline'), {
        ...config,
        mode: 'production',
      } as typeof config).message,
    ).toMatch(/check TEMPORAL_ADDRESS$/);
  });

  it('keeps the stack of anything unexpected and exits 1', () => {
    const failure = describeFailure(new RangeError('boom'), config);
    expect(failure.exitCode).toBe(ExitCode.ERROR);
    expect(failure.message).toMatch(/^RangeError: boom\n\s+at /);
  });
});
