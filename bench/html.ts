// Renders a benchmark run as one self-contained HTML page: goals, machine, end-to-end lanes (inline SVG plots), unit
// costs and per-process CPU and peak memory. No external assets or scripts.
import type { BenchResults } from './results';
import { barChart, lineChart } from './svg';

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const num = (n: number | undefined, digits = 1) => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits));

function table(head: string[], rows: Array<Array<string | number>>): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${typeof c === 'number' ? num(c) : esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export function renderHtml(results: BenchResults): string {
  const { machine, endToEnd: e2e } = results;
  const parts: string[] = [];
  parts.push(`<h1>proofpath benchmark${results.quick ? ' (quick)' : ''}</h1>`);
  parts.push(
    `<p>${esc(results.startedAt)}, ${num(results.durationSeconds, 0)} s. Machine: ${machine.cores} cores (${esc(machine.cpuModel)}), ${machine.memoryGb} GB, Node ${esc(machine.node)}, load average at start ${machine.loadAverageAtStart.join(' / ')}${machine.loadAverageAtEnd ? `, at end ${machine.loadAverageAtEnd.join(' / ')}` : ''}. The machine is shared: absolute figures are noisy, ratios measured in the same run are what counts.</p>`,
  );
  parts.push('<h2>Goals</h2>');
  parts.push(
    table(
      ['goal', 'target', 'measured', 'verdict'],
      results.goals.map((g) => [
        g.name,
        g.target,
        `${num(g.value, g.unit === 'ms' ? 0 : 2)} ${g.unit}`,
        g.met === null ? 'not measured' : g.met ? 'met' : 'NOT MET',
      ]),
    ),
  );

  if (e2e) {
    parts.push('<h2>End to end: Kafka event in → decision.acted out</h2>');
    parts.push(
      `<p>Each lane is its own set of processes (node, worker, bridge, and for the verifiable lanes the verifier), run one after another; facilitator and ERP/TMS are shared. Light load: ${e2e.plan.light.count} decisions at ${e2e.plan.light.perSec}/s. Then offered load steps of ${e2e.plan.stepSeconds} s (${e2e.plan.steps.join(', ')} decisions/s) until saturation: the fast path is behind when fewer than 90% acted in time or the acted rate is under 85% of the offered one; verification is behind when fewer than 90% of the acted decisions were judged or the verdict rate is under 85% of the acted one (capped at the offered rate). Sustained throughput counts a step at the lower of its acted and verdict rates (completed/s). Ratios compare <b>${esc(e2e.fastPath.comparedMode)}</b> with the baseline.</p>`,
    );
    parts.push(
      barChart(
        'Fast path at light load (ms)',
        e2e.lanes.map((l) => ({ name: l.lane, values: [l.fastPath.p50Ms, l.fastPath.p90Ms, l.fastPath.p99Ms] })),
        ['p50', 'p90', 'p99'],
        'ms',
      ),
    );
    parts.push(
      table(
        [
          'lane',
          'p50 ms',
          'p90 ms',
          'p99 ms',
          'sustained completed/s (acted and judged)',
          'fast path only acted/s',
          'time to verdict p50 / p99 ms (light)',
          'time to verdict p99 ms (under load)',
          'verified / rolled back / failed / unfinished',
        ],
        e2e.lanes.map((l) => [
          l.lane,
          l.fastPath.p50Ms,
          l.fastPath.p90Ms,
          l.fastPath.p99Ms,
          l.sustainedPerSec,
          l.fastPathOnlyPerSec,
          `${num(l.timeToVerdict.light.p50Ms, 0)} / ${num(l.timeToVerdict.light.p99Ms, 0)}`,
          num(l.timeToVerdict.underLoad.p99Ms, 0),
          `${l.outcomes.verified} / ${l.outcomes.rolledBack} / ${l.outcomes.failed} / ${l.outcomes.unfinished}`,
        ]),
      ),
    );
    parts.push(
      lineChart(
        'Throughput: completed (acted and judged) per second against offered load',
        e2e.lanes.map((l) => ({
          name: l.lane,
          points: l.steps.map((s) => [s.offeredPerSec, s.completedPerSec] as [number, number]),
        })),
        'offered decisions/s',
        'completed decisions/s',
        { diagonal: true },
      ),
    );
    parts.push(
      lineChart(
        'Fast-path p99 against offered load',
        e2e.lanes.map((l) => ({
          name: l.lane,
          points: l.steps.map((s) => [s.offeredPerSec, s.fastPath.p99Ms] as [number, number]),
        })),
        'offered decisions/s',
        'p99 ms',
      ),
    );
    parts.push(
      lineChart(
        'Verdict backlog over the lane (decisions acted, verdict pending)',
        e2e.lanes
          .filter((l) => l.lane !== 'baseline')
          .map((l) => ({
            name: l.lane,
            points: l.backlog.map((b) => [b.atSec, b.awaitingVerdict] as [number, number]),
          })),
        'seconds since the lane started',
        'decisions awaiting a verdict',
      ),
    );
    parts.push('<h3>Time per verification check (verifier, ms)</h3>');
    parts.push(
      table(
        [
          'lane',
          'attestation p50 / p99',
          'proof p50 / p99 (incl. waiting for the node to prove)',
          're-execution p50 / p99',
        ],
        e2e.lanes
          .filter((l) => l.lane !== 'baseline')
          .map((l) => [
            l.lane,
            `${num(l.checksMs.attestation.p50Ms, 0)} / ${num(l.checksMs.attestation.p99Ms, 0)}`,
            `${num(l.checksMs.proof.p50Ms, 0)} / ${num(l.checksMs.proof.p99Ms, 0)}`,
            `${num(l.checksMs.reexecution.p50Ms, 0)} / ${num(l.checksMs.reexecution.p99Ms, 0)}`,
          ]),
      ),
    );
    parts.push('<h3>Load steps</h3>');
    parts.push(
      table(
        [
          'lane',
          'offered/s',
          'sent',
          'acted',
          'acted/s',
          'judged',
          'judged/s',
          'completed/s',
          'p50 ms',
          'p90 ms',
          'p99 ms',
          'saturated',
        ],
        e2e.lanes.flatMap((l) =>
          l.steps.map((s) => [
            l.lane,
            s.offeredPerSec,
            s.sent,
            s.acted,
            s.actedPerSec,
            s.verdicts,
            s.verdictsPerSec,
            s.completedPerSec,
            s.fastPath.p50Ms,
            s.fastPath.p90Ms,
            s.fastPath.p99Ms,
            s.actsBehind ? 'fast path' : s.verdictsBehind ? 'verification' : 'no',
          ]),
        ),
      ),
    );
    parts.push('<h3>CPU and peak memory per process</h3>');
    parts.push(
      "<p>CPU per decision divides a process's CPU seconds by the decisions its lane offered (warm-up included): the capacity model's input (decisions per second per core = 1000 / CPU ms per decision). The node's figures include its prover process.</p>",
    );
    const totalDecisions = e2e.lanes.reduce((sum, l) => sum + l.decisions, 0);
    parts.push(
      table(
        ['lane', 'process', 'CPU s', 'wall s', 'CPU share of one core', 'CPU ms per decision', 'peak RSS MB'],
        [
          ...e2e.lanes.flatMap((l) =>
            l.processes.map((p) => [
              l.lane,
              p.name,
              p.cpuSeconds,
              p.wallSeconds,
              `${num((100 * p.cpuSeconds) / p.wallSeconds, 0)}%`,
              num((1000 * p.cpuSeconds) / l.decisions, 0),
              p.peakRssMb,
            ]),
          ),
          ...e2e.sharedProcesses.map((p) => [
            'shared',
            p.name,
            p.cpuSeconds,
            p.wallSeconds,
            `${num((100 * p.cpuSeconds) / p.wallSeconds, 0)}%`,
            `${num((1000 * p.cpuSeconds) / totalDecisions, 0)} (all lanes)`,
            p.peakRssMb,
          ]),
        ],
      ),
    );
    const metered = [...new Set(e2e.lanes.flatMap((l) => Object.keys(l.marginalCpu?.perProcessMs ?? {})))];
    if (metered.length > 0) {
      parts.push('<h3>CPU per decision at load</h3>');
      parts.push(
        "<p>Every process a decision uses (the lane's own, the shared facilitator and ERP/TMS, the run's chain, Temporal and Kafka), metered only over the lane's own light-phase blocks and load steps, each until its verdicts were in: start-up, warm-up and idle time during the other lane's turns are left out. This is the marginal cost that sets where a lane saturates; the node is shown apart from its prover process (nice 19).</p>",
      );
      parts.push(
        table(
          [
            'process',
            ...e2e.lanes.map((l) => `${l.lane}, ms per decision (${l.marginalCpu?.decisions ?? 0} decisions)`),
          ],
          [
            ...metered.map((name) => [
              name,
              ...e2e.lanes.map((l) => num(l.marginalCpu?.perProcessMs[name] ?? Number.NaN, 0)),
            ]),
            ['total', ...e2e.lanes.map((l) => num(l.marginalCpu?.totalMs ?? Number.NaN, 0))],
          ],
        ),
      );
    }
  }
  for (const section of results.sections) {
    parts.push(`<h2>${esc(section.title)}</h2>`);
    parts.push(
      table(
        ['case', 'p50 ms', 'p99 ms', 'ops/s', 'note'],
        section.rows.map((r) => [
          r.name,
          num(r.p50Ms, 3),
          num(r.p99Ms, 3),
          r.opsPerSec === undefined ? '' : num(r.opsPerSec, 0),
          r.note ?? '',
        ]),
      ),
    );
  }
  if (results.changes.length > 0) {
    parts.push('<h2>Speed-ups and their measured effect</h2>');
    parts.push(
      table(
        ['change', 'before', 'after'],
        results.changes.map((c) => [c.change, c.before, c.after]),
      ),
    );
  }
  const style =
    'body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}figure{margin:1em 0}figcaption{font-weight:600;margin-bottom:4px}';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>proofpath benchmark</title><style>${style}</style></head><body>${parts.join('\n')}</body></html>\n`;
}
