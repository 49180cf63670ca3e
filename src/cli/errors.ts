// The CLI's failures, each with a stable code and an exit code, and the one place that turns any error a command
// throws into a line for a person (what failed, where, what to do) and the exit code scripts can rely on.
import { EngineError } from '../errors';
import { WorkflowNotFoundError } from '@temporalio/client';
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import type { EngineConfig } from '../config';
import { ConfigError } from '../config';
import { ExitCode, type ExitCodeValue } from './exit-codes';

export class CliError extends EngineError {
  override readonly name: string = 'CliError';
  constructor(
    code: string,
    message: string,
    readonly exitCode: ExitCodeValue,
  ) {
    super(code, message);
  }
}

/** Bad command line or input file; the command's usage is printed after the message. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super('usage', message, ExitCode.USAGE);
  }
}

/** An input file or value that does not validate: exit 2 like a usage error, without repeating the usage. */
export class InvalidInputError extends CliError {
  override readonly name = 'InvalidInputError';
  constructor(message: string) {
    super('invalid_input', message, ExitCode.USAGE);
  }
}

export class ServiceUnreachableError extends CliError {
  override readonly name = 'ServiceUnreachableError';
  constructor(
    readonly service: string,
    readonly address: string,
    why: string,
    hint: string,
  ) {
    super('service_unreachable', `cannot reach ${service} at ${address} (${why}): ${hint}`, ExitCode.UNREACHABLE);
  }
}

export class NotFoundError extends CliError {
  override readonly name = 'NotFoundError';
  constructor(code: 'decision_not_found' | 'topic_not_found', message: string) {
    super(code, message, ExitCode.NOT_FOUND);
  }
}

/** What to tell someone whose Temporal or Kafka does not answer. */
export function stackHint(config: Pick<EngineConfig, 'mode'>, setting: string): string {
  return config.mode === 'development' ? 'is the stack up? npm run stack -- up' : `check ${setting}`;
}

export function decisionNotFound(decisionId: string): NotFoundError {
  return new NotFoundError(
    'decision_not_found',
    `no decision ${decisionId} on Temporal (decision ids are procurement-<requisitionId> or routing-<shipmentId>)`,
  );
}

export type Failure = { message: string; exitCode: ExitCodeValue; showUsage: boolean };

/** Maps an error thrown by a command to what the user sees; unknown errors keep their stack for a bug report. */
export function describeFailure(error: unknown, config?: Pick<EngineConfig, 'mode' | 'temporal' | 'kafka'>): Failure {
  if (error instanceof UsageError) return { message: error.message, exitCode: error.exitCode, showUsage: true };
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode, showUsage: false };
  if (error instanceof ConfigError) return { message: error.message, exitCode: ExitCode.USAGE, showUsage: false };
  if (isParseArgsError(error)) return { message: error.message, exitCode: ExitCode.USAGE, showUsage: true };
  if (error instanceof WorkflowNotFoundError)
    return describeFailure(decisionNotFound(error.workflowId ?? 'of that id'), config);
  if (config) {
    const unreachable = unreachableService(error, config);
    if (unreachable) return describeFailure(unreachable, config);
  }
  return {
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    exitCode: ExitCode.ERROR,
    showUsage: false,
  };
}

function isParseArgsError(error: unknown): error is Error & { code: string } {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'string' &&
    (error as unknown as { code: string }).code.startsWith('ERR_PARSE_ARGS_')
  );
}

/** Connection failures the clients report after their own retries (the CLI usually probes first and fails faster). */
function unreachableService(
  error: unknown,
  config: Pick<EngineConfig, 'mode' | 'temporal' | 'kafka'>,
): ServiceUnreachableError | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.message.includes('Failed to connect before the deadline')) {
    return new ServiceUnreachableError(
      'Temporal',
      config.temporal.address,
      'no answer',
      stackHint(config, 'TEMPORAL_ADDRESS'),
    );
  }
  const kafkaConnection =
    error instanceof KafkaJSConnectionError ||
    (error instanceof KafkaJSNumberOfRetriesExceeded && /ECONNREFUSED|Connection (error|timeout)/.test(error.message));
  if (kafkaConnection)
    return new ServiceUnreachableError(
      'Kafka',
      config.kafka.brokers.join(','),
      error.message.replace(/^Connection error: /, ''),
      stackHint(config, 'KAFKA_BROKERS'),
    );
  return undefined;
}
