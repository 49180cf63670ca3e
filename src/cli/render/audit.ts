// `decision audit <id>` for a person: the verification chain of one decision as aligned plain-text sections (input,
// then per attempt its receipts, payments and settlement, commitments, verdicts, actions and compensations, then the
// outcome). Pure: the caller fetches the audit (and, optionally, each receipt's record from its node) and prints.
import type { DecisionAudit, InferenceRecord, PreviousAttempt } from '../../contracts/decision';
import type { ReceiptRecord } from '../../contracts/inference-http';
import { RequisitionSchema, ShipmentSchema } from '../../contracts/logistics';
import { clip, createStyle, rows, toneOf, type Style } from './style';

/** What the node said about a receipt (`GET /v1/receipts/:id`), or why it could not be asked. */
export type ReceiptLookup = { ok: true; record: ReceiptRecord } | { ok: false; error: string };

export type AuditRenderOptions = {
  color?: boolean;
  /** Receipt records by receipt id; absent means not looked up (e.g. `--offline`). */
  receipts?: ReadonlyMap<string, ReceiptLookup>;
};

const CHECKS = ['attestation', 'proof', 'reexecution'] as const;

export function renderAudit(audit: DecisionAudit, options: AuditRenderOptions = {}): string {
  const style = createStyle(options.color ?? false);
  const heading = (text: string) => style.paint(text, 'bold');
  const status = (text: string | undefined) => (text ? style.paint(text, toneOf(text)) : '');
  const lines: string[] = [];
  const section = (title: string, body: string[]) => {
    if (body.length === 0) return;
    lines.push('', heading(title), ...body);
  };

  lines.push(`${heading(`Decision ${audit.decisionId}`)}  (${audit.kind})`);
  lines.push(
    ...rows([
      ['status', status(audit.status)],
      ['attempt', String(audit.attempts)],
      ['timeline', timeline(audit.timings)],
    ]),
  );
  section('Input', inputSummary(audit));
  section('Choice', choiceSummary(audit));

  for (const previous of audit.previousAttempts ?? [])
    section(`Attempt ${previous.attempt} (earlier, re-decided)`, previousAttempt(previous, style));
  section(
    `Attempt ${audit.attempts}${audit.previousAttempts?.length ? ' (current)' : ''}`,
    currentAttempt(audit, style, options.receipts),
  );

  const outcome = audit.outcome;
  section(
    'Outcome',
    outcome
      ? rows([
          ['status', status(outcome.status)],
          ['failed check', outcome.failedCheck],
          ['reason', outcome.reason],
        ])
      : rows([['status', `${status(audit.status)} (not finished)`]]),
  );
  return `${lines.join('\n')}\n`;
}

function timeline(timings: Record<string, string>): string {
  return Object.entries(timings)
    .map(([step, at]) => `${step} ${at}`)
    .join(' → ');
}

function inputSummary(audit: DecisionAudit): string[] {
  const requisition = audit.kind === 'procurement' ? RequisitionSchema.safeParse(audit.input) : undefined;
  if (requisition?.success) {
    const r = requisition.data;
    return rows([
      ['requisition', r.requisitionId],
      ['item', r.itemSku],
      [
        'quantity',
        r.quantity !== undefined
          ? String(r.quantity)
          : `forecast over ${r.forecastWindow} period(s) from ${r.demandHistory.length} of history`,
      ],
      ['needed by', r.neededBy],
      ['budget', `${r.budget.amount} ${r.budget.currency}`],
      ['suppliers', r.candidates.map((c) => `${c.supplierId} @ ${c.unitPrice}`).join(', ')],
    ]);
  }
  const shipment = audit.kind === 'routing' ? ShipmentSchema.safeParse(audit.input) : undefined;
  if (shipment?.success) {
    const s = shipment.data;
    return rows([
      ['shipment', s.shipmentId],
      ['lane', `${s.origin} → ${s.destination}`],
      ['load', `${s.weightKg} kg${s.hazmat ? ', hazmat' : ''}`],
      ['window', `ready ${s.readyAt}, promised by ${s.promisedBy}`],
      ['routes', s.candidates.map((c) => `${c.routeId} (${c.carrierId}, ${c.mode}, ${c.cost})`).join(', ')],
    ]);
  }
  return rows([['raw', clip(JSON.stringify(audit.input), 300)]]);
}

function choiceSummary(audit: DecisionAudit): string[] {
  const choice = audit.choice;
  const approval = audit.approval;
  const scalars = Object.entries(choice ?? {}).filter(
    ([, v]) => v !== undefined && (typeof v !== 'object' || v === null),
  );
  const ranking = Array.isArray(choice?.ranking) ? `${choice.ranking.length} candidate(s) ranked` : undefined;
  return rows([
    ['chosen', scalars.map(([k, v]) => `${k} ${String(v)}`).join(', ') || undefined],
    ['ranking', ranking],
    [
      'approval',
      approval
        ? [
            approval.outcome.replace('_', ' '),
            approval.by && `by ${approval.by}`,
            approval.reason && `(${approval.reason})`,
          ]
            .filter(Boolean)
            .join(' ')
        : undefined,
    ],
  ]);
}

function currentAttempt(
  audit: DecisionAudit,
  style: Style,
  receipts: ReadonlyMap<string, ReceiptLookup> | undefined,
): string[] {
  const lines: string[] = [];
  if (audit.inferences.length === 0) lines.push('  no paid inference yet');
  for (const inference of audit.inferences) {
    lines.push(`  ${style.paint(`inference ${inference.step}`, 'cyan')}`);
    const verification = audit.verifications.find((v) => v.receiptId === inference.receiptId);
    lines.push(
      ...rows(
        [
          ...inferenceRows(inference, receipts?.get(inference.receiptId), style),
          ...verdictRows(verification, style, audit.status === 'VERIFYING'),
        ],
        4,
      ),
    );
  }
  lines.push(...actionRows(audit.actions, style));
  lines.push(...compensationRows(audit.compensations, style));
  return lines;
}

type Row = [string, string | undefined];

function inferenceRows(inference: InferenceRecord, lookup: ReceiptLookup | undefined, style: Style): Row[] {
  const record = lookup?.ok ? lookup.record : undefined;
  const settlement = record
    ? [
        style.paint(record.settlement.status, toneOf(record.settlement.status)),
        record.settlement.transaction && `tx ${record.settlement.transaction}`,
        record.settlement.reason,
      ]
        .filter(Boolean)
        .join('  ')
    : inference.settlement && `${style.paint(inference.settlement, toneOf(inference.settlement))} (when paid)`;
  return [
    ['receipt', inference.receiptId],
    ['model id', inference.modelId],
    ['node', `${inference.nodeId} at ${inference.nodeUrl}`],
    ['input hash', inference.inputHash],
    ['output hash', inference.outputHash],
    ['rows', `${inference.rows.length} in, ${inference.outputs.length} out`],
    ['payment', inference.paymentRef],
    ['settlement', settlement],
    ['mode', record && `${record.receipt.settlementMode} settlement`],
    ['commitment', record ? commitment(record, style) : lookup && !lookup.ok ? `unknown: ${lookup.error}` : undefined],
  ];
}

function commitment(record: ReceiptRecord, style: Style): string {
  const c = record.commitment;
  const parts = [
    `${c.kind} ${style.paint(c.status, toneOf(c.status))}`,
    c.transaction && `tx ${c.transaction}`,
    c.root && `Merkle root ${c.root}`,
    c.index !== undefined && `leaf ${c.index}${c.size !== undefined ? ` of ${c.size}` : ''}`,
    c.proof && `proof [${c.proof.join(', ')}]`,
    c.reason,
  ];
  return parts.filter(Boolean).join('  ');
}

/** Current attempts carry typed checks; earlier attempts' summaries carry them as a plain record. */
type Verdict = { checks: Partial<Record<string, { status: string; reason?: string }>>; verifiedAt?: string };

function verdictRows(verification: Verdict | undefined, style: Style, waiting: boolean): Row[] {
  if (!verification) return [['verdict', waiting ? 'waiting for the verifier' : 'none']];
  const { checks } = verification;
  return [
    ['verified at', verification.verifiedAt],
    ...CHECKS.map((check): Row => {
      const result = checks[check];
      return [
        check,
        result
          ? `${style.paint(result.status, toneOf(result.status))}${result.reason ? `  ${result.reason}` : ''}`
          : 'missing',
      ];
    }),
  ];
}

function actionRows(actions: Array<{ action: string; reference: string; at?: string }>, style: Style): string[] {
  if (actions.length === 0) return [];
  return [
    `  ${style.paint('actions', 'cyan')}`,
    ...rows(
      actions.map((a) => [a.action, [a.reference, a.at && `at ${a.at}`].filter(Boolean).join('  ')]),
      4,
    ),
  ];
}

function compensationRows(
  compensations: Array<{ action: string; reference: string; outcome: string; at?: string; error?: string }>,
  style: Style,
): string[] {
  if (compensations.length === 0) return [];
  return [
    `  ${style.paint('compensations', 'cyan')} (newest first)`,
    ...rows(
      compensations.map((c) => [
        c.action,
        [c.reference, style.paint(c.outcome, toneOf(c.outcome)), c.error, c.at && `at ${c.at}`]
          .filter(Boolean)
          .join('  '),
      ]),
      4,
    ),
  ];
}

function previousAttempt(previous: PreviousAttempt, style: Style): string[] {
  const lines: string[] = [];
  for (const inference of previous.inferences) {
    lines.push(`  ${style.paint(`receipt ${inference.receiptId}`, 'cyan')}`);
    const verification = previous.verifications.find((v) => v.receiptId === inference.receiptId);
    lines.push(
      ...rows(
        [
          ['model id', inference.modelId],
          ['node', inference.nodeId],
          ['payment', inference.paymentRef],
          ...verdictRows(verification, style, false),
        ],
        4,
      ),
    );
  }
  lines.push(...actionRows(previous.actions, style));
  lines.push(...compensationRows(previous.compensations, style));
  if (previous.outcome) {
    const { status, failedCheck, reason } = previous.outcome;
    lines.push(
      ...rows([
        [
          'ended',
          [style.paint(status, toneOf(status)), failedCheck && `${failedCheck} failed`, reason]
            .filter(Boolean)
            .join('  '),
        ],
      ]),
    );
  }
  return lines;
}
