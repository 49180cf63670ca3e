// The sample scenario as one object for `npm start`: its faulty node, the worker settings that spread decisions over
// both nodes, and a play with a live view, a summary and the expectation check.
import type { Writable } from 'node:stream';
import type { Client } from '@temporalio/client';
import type { EngineConfig } from '../config';
import type { InferenceNodeHandle } from '../inference-node';
import { createKafka } from '../kafka/client';
import type { Logger } from '../log';
import { createOnnxModelRuntime, type ModelRuntime } from '../models';
import { createLiveRegion } from '../terminal';
import { renderLive, renderSummary } from './dashboard';
import { checkExpectations, type Deviation } from './expectations';
import { startFaultyDemoNode } from './faulty-node';
import { runScenario, type ScenarioNode } from './runner';
import { faultsOf, loadScenario, newRunTag, planScenario } from './scenario';
import type { ScenarioTracker } from './tracker';

export type DemoResult = { deviations: Deviation[]; timedOut: boolean; summaryText: string };

export type Demo = {
  faultsLabel: string;
  /** Whether the scenario runs a faulty second node. */
  hasFaultyNode: boolean;
  startFaultyNode(): Promise<InferenceNodeHandle>;
  /** The worker's settings: the faulty node joins the node list and decisions spread over all nodes. */
  workerConfig(config: EngineConfig): EngineConfig;
  play(options: {
    client: Client;
    timeoutMs: number;
    signal?: AbortSignal;
    stream?: Writable & { isTTY?: boolean };
  }): Promise<DemoResult>;
  close(): Promise<void>;
};

export async function createDemo(options: {
  config: EngineConfig;
  logger: Logger;
  scenarioFile?: string;
}): Promise<Demo> {
  const { config, logger } = options;
  const scenario = loadScenario(options.scenarioFile);
  const faults = faultsOf(scenario);
  let models: ModelRuntime | undefined;
  let faulty: InferenceNodeHandle | undefined;

  return {
    faultsLabel: faults.join(', ') || 'none',
    hasFaultyNode: scenario.faultyNode !== undefined,
    async startFaultyNode() {
      if (!scenario.faultyNode) throw new Error('this scenario has no faulty node');
      models ??= await createOnnxModelRuntime();
      faulty = await startFaultyDemoNode({ config, logger, models, faults, port: scenario.faultyNode.port });
      return faulty;
    },
    workerConfig(base) {
      if (!faulty) return base;
      return {
        ...base,
        decisions: {
          ...base.decisions,
          alternateNodeUrls: [...base.decisions.alternateNodeUrls, faulty.url],
          nodeSelection: 'spread',
        },
      };
    },
    async play({ client, timeoutMs, signal, stream }) {
      const runTag = newRunTag();
      const plans = planScenario(scenario, runTag);
      const nodes: ScenarioNode[] = [
        { url: config.payments.nodeUrl, role: 'honest' },
        ...config.decisions.alternateNodeUrls.map((url) => ({ url, role: 'honest' as const })),
        ...(faulty ? [{ url: faulty.url, role: 'faulty' as const }] : []),
      ];
      const title = `${scenario.name}: ${plans.length} decisions`;
      const live = stream ? createLiveRegion(stream) : undefined;
      let roles = new Map<string, 'honest' | 'faulty'>();
      const kafka = createKafka(config, logger, 'scenario');
      let latest: { tracker: ScenarioTracker; activity: readonly string[] } | undefined;
      const redraw = setInterval(
        () =>
          latest &&
          live?.update(renderLive(latest.tracker.summary(), { title, runTag, roles, activity: latest.activity })),
        500,
      );
      redraw.unref();
      const run = await runScenario({
        config,
        logger,
        kafka,
        client,
        scenario,
        plans,
        nodes,
        timeoutMs,
        signal,
        onChange: (tracker, activity) => void (latest = { tracker, activity }),
      }).finally(() => clearInterval(redraw));
      roles = run.roles;
      const summary = run.tracker.summary();
      live?.done(renderLive(summary, { title, runTag, roles, activity: run.activity }));
      const deviations = checkExpectations(run.tracker.decisions.values(), run.roles, faults);
      if (run.timedOut)
        deviations.push({
          decisionId: '(scenario)',
          expected: `to finish within ${timeoutMs / 1000} s`,
          actual: `${summary.total - summary.finished} decision(s) unfinished`,
        });
      const uiUrl = `http://127.0.0.1:${config.temporal.uiPort}/namespaces/${config.temporal.namespace}/workflows`;
      const summaryText = renderSummary([...run.tracker.decisions.values()], summary, deviations, {
        title,
        runTag,
        roles,
        activity: run.activity,
        uiUrl,
      });
      if (stream) stream.write(`\n${summaryText}\n\n`);
      logger.info({ runTag, summary, deviations }, 'scenario finished');
      return { deviations, timedOut: run.timedOut, summaryText };
    },
    async close() {
      await faulty?.close();
      await models?.close();
    },
  };
}
