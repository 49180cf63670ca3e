// `npm run bench -- [--quick] [--json <file>] [--html <file>] [--lanes a,b] [e2e|models|payments|verification ...]`: the end-to-end
// lanes (blind-trust baseline against the verifiable fast path per settlement mode) and the unit-cost sections, in one
// run; prints markdown tables, writes the JSON document and a self-contained HTML report (default bench-report.html).
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/log';
import { startBenchChain } from './chain';
import { CHANGES } from './changes';
import { benchEndToEnd, FULL_PLAN, QUICK_PLAN, type EndToEndResult } from './e2e/index';
import { parseLanes, type LaneKind } from './e2e/lanes';
import { renderHtml } from './html';
import { benchModels } from './models';
import { benchPayments } from './payments';
import { renderMarkdown, type BenchSection } from './report';
import { describeMachine, goalsOf, paidOverUnpaidOf, type BenchResults } from './results';
import { benchVerification } from './verification';

const SECTION_NAMES = ['e2e', 'models', 'payments', 'verification'] as const;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      json: { type: 'string' },
      html: { type: 'string' },
      lanes: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const unknown = positionals.filter((p) => !(SECTION_NAMES as readonly string[]).includes(p));
  if (unknown.length > 0)
    throw new Error(`unknown section(s) ${unknown.join(', ')}; sections: ${SECTION_NAMES.join(', ')}`);
  const wanted = (name: (typeof SECTION_NAMES)[number]) => positionals.length === 0 || positionals.includes(name);
  const quick = values.quick === true;
  const lanes: LaneKind[] = values.lanes
    ? parseLanes(values.lanes)
    : quick
      ? ['baseline', 'deferred']
      : ['baseline', 'deferred', 'batch', 'escrow', 'channel', 'individual', 'deferred-x2'];
  const started = Date.now();
  const machine = describeMachine();
  const logger = createLogger('bench', loadConfig({ ...process.env, LOG_LEVEL: 'warn', LOG_FORMAT: 'json' }));
  const progress = (line: string) =>
    console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  // Every section runs on a fresh chain of its own (see bench/chain.ts): the shared dev chain slows with its age.
  const chain = await startBenchChain();
  process.env.CHAIN_RPC_URL = chain.rpcUrl;
  progress(`fresh chain for this run: ${chain.rpcUrl}`);
  try {
    const sections: BenchSection[] = [];
    const section = async (name: string, run: () => Promise<BenchSection>) => {
      progress(`section ${name}`);
      const result = await run();
      sections.push(result);
      console.log(`${renderMarkdown(result)}\n`);
    };
    if (wanted('models')) await section('models', () => benchModels(quick ? 100 : 500));
    if (wanted('payments')) await section('payments', () => benchPayments(quick ? 30 : 100));
    if (wanted('verification')) await section('verification', () => benchVerification(quick ? 0.2 : 1));

    let endToEnd: EndToEndResult | undefined;
    if (wanted('e2e')) {
      endToEnd = await benchEndToEnd({
        lanes,
        plan: quick ? QUICK_PLAN : FULL_PLAN,
        logger,
        progress,
        cpuSources: [{ name: 'chain', pid: chain.pid }],
      });
      console.log(renderEndToEndMarkdown(endToEnd));
    }

    const baseline = endToEnd?.lanes.find((l) => l.lane === 'baseline');
    const compared = endToEnd?.lanes.find((l) => l.lane === endToEnd?.fastPath.comparedMode);
    const partial = {
      fastPath:
        endToEnd && baseline && compared
          ? {
              ...endToEnd.fastPath,
              baselineP50Ms: baseline.fastPath.p50Ms,
              baselineP99Ms: baseline.fastPath.p99Ms,
              verifiableP50Ms: compared.fastPath.p50Ms,
              verifiableP99Ms: compared.fastPath.p99Ms,
            }
          : undefined,
      throughputRatio: endToEnd?.throughputRatio,
      fastPathThroughputRatio: endToEnd?.fastPathThroughputRatio,
      timeToVerdict: endToEnd?.timeToVerdict,
      paidOverUnpaid: paidOverUnpaidOf(sections),
    };
    const results: BenchResults = {
      startedAt: new Date(started).toISOString(),
      durationSeconds: (Date.now() - started) / 1000,
      quick,
      machine: { ...machine, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) },
      ...partial,
      goals: goalsOf(partial),
      chain: chain.usage(),
      endToEnd,
      sections,
      changes: CHANGES,
    };
    console.log('### Goals\n');
    for (const goal of results.goals)
      console.log(
        `- ${goal.name}: ${Number.isFinite(goal.value) ? goal.value.toFixed(goal.unit === 'ms' ? 0 : 2) : '–'} ${goal.unit} (target ${goal.target}): ${goal.met === null ? 'not measured' : goal.met ? 'met' : 'NOT MET'}`,
      );
    if (values.json) fs.writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
    const htmlFile = values.html ?? 'bench-report.html';
    fs.writeFileSync(htmlFile, renderHtml(results));
    progress(`done: ${htmlFile}${values.json ? `, ${values.json}` : ''}`);
  } finally {
    await chain.stop();
  }
}

function renderEndToEndMarkdown(e2e: EndToEndResult): string {
  const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '–');
  const lines = [
    '### End to end (Kafka event in → decision.acted out)',
    '',
    '| lane | p50 ms | p90 ms | p99 ms | sustained completed/s | fast path only acted/s | verdict p50 / p99 ms (light) | verdict p99 ms (load) | CPU ms per decision (node incl. prover, worker, bridge, verifier) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const l of e2e.lanes) {
    lines.push(
      `| ${l.lane} | ${f(l.fastPath.p50Ms)} | ${f(l.fastPath.p90Ms)} | ${f(l.fastPath.p99Ms)} | ${f(l.sustainedPerSec, 1)} | ${f(l.fastPathOnlyPerSec, 1)} | ${f(l.timeToVerdict.light.p50Ms)} / ${f(l.timeToVerdict.light.p99Ms)} | ${f(l.timeToVerdict.underLoad.p99Ms)} | ${l.processes.map((p) => `${p.name} ${((1000 * p.cpuSeconds) / l.decisions).toFixed(0)}`).join(', ')} |`,
    );
  }
  const segments = [...new Set(e2e.lanes.flatMap((l) => l.fastPathBreakdown.map((b) => b.segment)))];
  if (segments.length > 0) {
    lines.push(
      '',
      '### Fast-path breakdown (light phase, medians per decision, from the workflow histories)',
      '',
      `| segment | ${e2e.lanes.map((l) => `${l.lane} ms`).join(' | ')} |`,
      `|---|${e2e.lanes.map(() => '---:').join('|')}|`,
    );
    for (const segment of segments)
      lines.push(
        `| ${segment} | ${e2e.lanes.map((l) => f(l.fastPathBreakdown.find((b) => b.segment === segment)?.p50Ms ?? Number.NaN, 1)).join(' | ')} |`,
      );
  }
  const names = [...new Set(e2e.lanes.flatMap((l) => Object.keys(l.marginalCpu.perProcessMs)))];
  lines.push(
    '',
    "### CPU per decision at load (ms; every process a decision uses, metered over the lane's own blocks)",
    '',
    `| process | ${e2e.lanes.map((l) => `${l.lane} (${l.marginalCpu.decisions} decisions)`).join(' | ')} |`,
    `|---|${e2e.lanes.map(() => '---:').join('|')}|`,
    ...names.map(
      (name) => `| ${name} | ${e2e.lanes.map((l) => f(l.marginalCpu.perProcessMs[name] ?? Number.NaN)).join(' | ')} |`,
    ),
    `| **total** | ${e2e.lanes.map((l) => f(l.marginalCpu.totalMs)).join(' | ')} |`,
  );
  lines.push(
    '',
    `fast path ${e2e.fastPath.comparedMode} / baseline: p50 ${f(e2e.fastPath.p50Ratio, 2)}x, p99 ${f(e2e.fastPath.p99Ratio, 2)}x; throughput ${f(e2e.throughputRatio, 2)}x (fast path only ${f(e2e.fastPathThroughputRatio, 2)}x)`,
  );
  return `${lines.join('\n')}\n`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
