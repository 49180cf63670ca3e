// What a person sees while the scenario runs and when it ends: pure text from the tracker's state.
import { formatDuration, progressBar, renderTable } from '../terminal';
import type { Deviation, NodeRole } from './expectations';
import { LIVE_STATUSES, type DecisionTrack, type ScenarioSummary } from './tracker';

export type DashboardContext = {
  title: string;
  runTag: string;
  roles: ReadonlyMap<string, NodeRole>;
  activity: readonly string[];
};

const ms = (value: number | undefined) => (value === undefined ? '—' : formatDuration(value));

function latencyRows(summary: ScenarioSummary): string[][] {
  const row = (name: string, l: ScenarioSummary['fastPath']) => [
    `${name} (${l.count})`,
    ms(l.p50),
    ms(l.p90),
    ms(l.max),
  ];
  return [
    row('fast path: event → acted', summary.fastPath),
    row('time to verdict: acted → verdict', summary.timeToVerdict),
  ];
}

export function renderLive(summary: ScenarioSummary, context: DashboardContext): string {
  const statusRows = LIVE_STATUSES.map((status) => [status, summary.byStatus[status]]);
  const checkRows =
    summary.failedChecks.length > 0 ? summary.failedChecks.map(([reason, n]) => [reason, n]) : [['none yet', '']];
  return [
    `${context.title} · run ${context.runTag}`,
    `${progressBar(summary.total === 0 ? 0 : summary.finished / summary.total, 30)}  ${summary.finished} of ${summary.total} decisions finished · ${formatDuration(summary.elapsedMs)}`,
    '',
    renderTable([{ header: 'decisions by status' }, { header: 'n', align: 'right' }], statusRows),
    '',
    renderTable(
      [
        { header: 'latency' },
        { header: 'p50', align: 'right' },
        { header: 'p90', align: 'right' },
        { header: 'max', align: 'right' },
      ],
      latencyRows(summary),
    ),
    '',
    `payments settled ${summary.payments.settled} of ${summary.payments.total}${summary.payments.failed > 0 ? ` (${summary.payments.failed} failed)` : ''} · attempts ${summary.attempts} · re-decided ${summary.reDecided}`,
    '',
    renderTable([{ header: 'checks failed, by reason' }, { header: 'n', align: 'right' }], checkRows),
    '',
    'recent:',
    ...(context.activity.length > 0
      ? context.activity.slice(-6).map((line) => `  ${line}`)
      : ['  (waiting for the first decision events)']),
  ].join('\n');
}

function nodeLabel(nodeId: string, roles: ReadonlyMap<string, NodeRole>): string {
  return `${roles.get(nodeId.toLowerCase()) ?? 'node'} ${nodeId.slice(0, 8)}…`;
}

function attemptsOf(track: DecisionTrack, roles: ReadonlyMap<string, NodeRole>): string {
  return [...track.attempts.values()]
    .sort((a, b) => a.attempt - b.attempt)
    .map(
      (a) =>
        `${a.nodeIds.map((id) => nodeLabel(id, roles)).join('+') || 'no node'}: ${a.outcome ?? 'open'}${a.outcome === 'ROLLED_BACK' && a.failedCheck ? ` (${a.failedCheck})` : ''}`,
    )
    .join(' → ');
}

export function renderSummary(
  tracks: readonly DecisionTrack[],
  summary: ScenarioSummary,
  deviations: readonly Deviation[],
  context: DashboardContext & { uiUrl: string },
): string {
  const failing = new Set(deviations.map((d) => d.decisionId));
  const rows = tracks.map((t) => [
    failing.has(t.plan.decisionId) ? '✖' : '✔',
    t.plan.decisionId,
    t.plan.spec.erp ?? '',
    attemptsOf(t, context.roles),
    t.final?.status ?? 'unfinished',
  ]);
  const reDecided = tracks.find((t) => t.attempts.size > 1 && t.final?.status === 'VERIFIED');
  const rolledBack = tracks.find((t) => t.final?.status === 'ROLLED_BACK');
  return [
    `${context.title} · run ${context.runTag} · ${formatDuration(summary.elapsedMs)}`,
    '',
    renderTable(
      [
        { header: '' },
        { header: 'decision' },
        { header: 'ERP' },
        { header: 'attempts (node: outcome)' },
        { header: 'final' },
      ],
      rows,
    ),
    '',
    renderTable(
      [{ header: 'summary' }, { header: 'value', align: 'right' }],
      [
        ['decisions', summary.total],
        ['verified', summary.byStatus.VERIFIED],
        ['rolled back', summary.byStatus.ROLLED_BACK],
        ['failed', summary.byStatus.FAILED],
        ['re-decided after a failed check', summary.reDecided],
        ['payments settled', `${summary.payments.settled} of ${summary.payments.total}`],
        ['fast path p50 / p90', `${ms(summary.fastPath.p50)} / ${ms(summary.fastPath.p90)}`],
        ['time to verdict p50 / p90', `${ms(summary.timeToVerdict.p50)} / ${ms(summary.timeToVerdict.p90)}`],
        ...summary.failedChecks.map(([reason, n]) => [`caught: ${reason}`, n]),
      ],
    ),
    '',
    deviations.length === 0
      ? `✔ every decision ended as the scenario expects`
      : [
          `✖ ${deviations.length} deviation(s) from the scenario:`,
          ...deviations.map((d) => `  ${d.decisionId}: expected ${d.expected}; ${d.actual}`),
        ].join('\n'),
    '',
    `Temporal UI, rolled-back decisions: ${context.uiUrl}?query=${encodeURIComponent('DecisionStatus="ROLLED_BACK"')}`,
    ...(reDecided
      ? [`the verification chain of a re-decided decision: npx proofpath decision audit ${reDecided.plan.decisionId}`]
      : []),
    ...(rolledBack ? [`a rolled-back one: npx proofpath decision audit ${rolledBack.plan.decisionId}`] : []),
  ].join('\n');
}
