// `npm start` (`proofpath start`): brings the embedded stack up and runs every engine process in this one process
// (development). Unless --no-demo, it then plays the sample scenario with a live view; --once exits when it is done,
// with 0 only when every decision ended as the scenario expects. Logs go to a file; the terminal is for people.
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { KEY_ROLES, type EngineConfig } from '../../config';
import { temporalConnectionOptions } from '../../decisions/temporal-connection';
import { createDemo, type Demo } from '../../demo';
import { provisionStack } from '../../devstack/provision';
import { stackUp } from '../../devstack/stack';
import { createLogger, installTemporalRuntimeLogger, type Logger } from '../../log';
import { startTracing } from '../../observability';
import {
  createHumanStepReporter,
  createLoggingStepReporter,
  formatDuration,
  StepFailedError,
  type StepReporter,
} from '../../terminal';
import { parseChoice, parseCommandArgs, parseDuration } from '../args';
import type { Command, ToolCommand } from '../command';
import { ExitCode } from '../exit-codes';
import { bridgeCommand } from './bridge';
import { erpCommand } from './erp';
import { facilitatorCommand } from './facilitator';
import { nodeCommand } from './node';
import { verifierCommand } from './verifier';
import { workerCommand } from './worker';

/** The processes `start` runs together; each is also its own subcommand for scaling out. */
const PROCESSES: Command[] = [
  facilitatorCommand,
  nodeCommand,
  verifierCommand,
  erpCommand,
  workerCommand,
  bridgeCommand,
];

type Output = {
  steps: StepReporter;
  loggerFor(component: string): Logger;
  logFile?: string;
  human: boolean;
  flush(): void;
};

/** Human: every component logs to one file, the terminal shows steps and the scenario. JSON: logs on stdout. */
function outputFor(config: EngineConfig, format: 'human' | 'json'): Output {
  if (format === 'json') {
    const json = { ...config, logFormat: 'json' as const };
    const loggerFor = (component: string) => createLogger(component, json);
    return { steps: createLoggingStepReporter(loggerFor('start')), loggerFor, human: false, flush: () => undefined };
  }
  const logFile = path.join(config.stateDir, 'logs', 'engine.log');
  const destination = pino.destination({ dest: logFile, mkdir: true, sync: false });
  const loggerFor = (component: string) => createLogger(component, { ...config, destination });
  // The process exits right after `--once`: flush what the file destination still buffers (CI tails this log on failure).
  return {
    steps: createHumanStepReporter(process.stdout),
    loggerFor,
    logFile,
    human: true,
    flush: () => destination.flushSync(),
  };
}

export const startCommand: ToolCommand = {
  name: 'start',
  summary: 'bring up the embedded stack, run every engine process together and play the sample scenario (development)',
  usage: [
    'start [--once] [--no-demo] [--scenario <file>] [--timeout <duration>] [--log-format human|json]',
    '',
    '  --once          play the scenario, then stop; exit 0 only if every decision ended as the scenario expects (13 otherwise)',
    '  --no-demo       only serve: no scenario, no faulty node',
    '  --scenario      the scenario file (default examples/scenarios/sample.json)',
    '  --timeout       how long the scenario may take (default 10m)',
    '  --log-format    human (default: logs to <stateDir>/logs/engine.log, the terminal shows progress) or json (logs on stdout)',
  ].join('\n'),
  keys: KEY_ROLES,
  async run(context) {
    const { values } = parseCommandArgs(context.args, {
      once: { type: 'boolean' },
      'no-demo': { type: 'boolean' },
      scenario: { type: 'string' },
      timeout: { type: 'string' },
      'log-format': { type: 'string' },
    });
    const format = parseChoice(values['log-format'] ?? 'human', ['human', 'json'] as const, '--log-format');
    const timeoutMs = parseDuration(values.timeout ?? '10m', '--timeout');
    const demoWanted = values['no-demo'] !== true;
    const { config } = context;
    const out = outputFor(config, format);
    installTemporalRuntimeLogger(out.loggerFor('temporal-sdk'));
    // Every process here shares one tracer provider (when PROOFPATH_TRACING is on): name it after `start`.
    startTracing(config, 'start');
    const started = Date.now();
    if (out.human) {
      out.steps.say(`proofpath: verifiable supply-chain decisions (${config.mode} mode)`);
      out.steps.say(`logs: ${out.logFile}\n`);
    }

    // Ctrl-C while starting or while the scenario plays: stop what was started, cleanly.
    const interrupt = new AbortController();
    const onSigint = () => {
      if (out.human) out.steps.say('\ninterrupted: stopping…');
      interrupt.abort();
    };
    process.once('SIGINT', onSigint);
    process.once('SIGTERM', onSigint);
    const stops: Array<() => Promise<void>> = [];
    const stopAll = async () => {
      for (const stop of stops.reverse())
        await stop().catch((error: unknown) =>
          out.loggerFor('start').error({ err: error }, 'a process failed to stop cleanly'),
        );
      stops.length = 0;
    };

    let demo: Demo | undefined;
    try {
      await stackUp(config, out.loggerFor('devstack'), { steps: out.steps, signal: interrupt.signal });
      await provisionStack(config, out.loggerFor('devstack'), out.steps, interrupt.signal);
      // Provisioning steps run to their end (each is short or lands atomically); an interrupt during them stops here.
      if (interrupt.signal.aborted) throw new Error('interrupted');
      const demoAllowed = demoWanted && config.mode === 'development';
      if (demoWanted && !demoAllowed)
        out.steps.say('production mode: no sample scenario (it runs a faulty node, development only)');
      if (demoAllowed)
        demo = await createDemo({ config, logger: out.loggerFor('demo'), scenarioFile: values.scenario });
      for (const command of PROCESSES) {
        if (interrupt.signal.aborted) throw new Error('interrupted');
        if (command === workerCommand && demo?.hasFaultyNode) {
          // After the facilitator it settles through, before the worker that spreads decisions over both nodes.
          const faulty = demo;
          await out.steps.run(
            `demo: a second inference node that misbehaves on purpose (${faulty.faultsLabel})`,
            () => faulty.startFaultyNode(),
            {
              summary: (node) => `${node.url}, node ${node.nodeId}`,
            },
          );
          stops.push(() => faulty.close());
        }
        const processConfig = command === workerCommand && demo ? demo.workerConfig(config) : config;
        const stop = await out.steps.run(`engine: ${command.name}`, () =>
          command.run({ config: processConfig, logger: out.loggerFor(command.name), args: [] }),
        );
        if (stop) stops.push(stop);
      }
      out.steps.say(
        `\nengine running after ${formatDuration(Date.now() - started)}; Temporal Web UI: http://127.0.0.1:${config.temporal.uiPort}\n`,
      );

      if (demo && !interrupt.signal.aborted) {
        const connection = await Connection.connect(temporalConnectionOptions(config));
        try {
          const client = new Client({ connection, namespace: config.temporal.namespace });
          const result = await demo.play({
            client,
            timeoutMs,
            signal: interrupt.signal,
            stream: out.human ? process.stdout : undefined,
          });
          if (values.once) {
            await stopAll();
            if (interrupt.signal.aborted) return ExitCode.INTERRUPTED;
            return result.deviations.length === 0 && !result.timedOut ? ExitCode.OK : ExitCode.SCENARIO_DEVIATED;
          }
        } finally {
          await connection.close();
        }
      } else if (values.once) {
        await stopAll();
        return interrupt.signal.aborted ? ExitCode.INTERRUPTED : ExitCode.OK;
      }
      if (interrupt.signal.aborted) {
        await stopAll();
        return ExitCode.INTERRUPTED;
      }
    } catch (error) {
      await stopAll();
      if (interrupt.signal.aborted) return ExitCode.INTERRUPTED;
      // The failed step has said what failed and where its log is; the stack's own services were stopped by stackUp.
      if (error instanceof StepFailedError) return ExitCode.ERROR;
      throw error;
    } finally {
      process.removeListener('SIGINT', onSigint);
      process.removeListener('SIGTERM', onSigint);
      try {
        out.flush();
      } catch {
        // nothing buffered, or the file is gone: the terminal has already said what happened
      }
    }
    out.steps.say('serving; Ctrl-C stops the engine (the stack keeps running: npx proofpath stack down stops it)');
    return stopAll;
  },
};
