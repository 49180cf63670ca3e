// `proofpath decision <action> <decisionId> [key=value ...]`: the ERP/ops side of a running decision.
//   approve  approver=<who> [comment=...]        reject  approver=<who> reason=<why>
//   amend    amendedBy=<who> [quantity=N] [neededBy=ISO] [promisedBy=ISO]
//   cancel   requestedBy=<who> reason=<why>      status [--json] | audit [--json] [--offline]
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import {
  amendUpdate,
  approveUpdate,
  auditQuery,
  cancelSignal,
  rejectUpdate,
  statusQuery,
} from '../../contracts/decision-messages';
import { ReceiptRecordSchema, type DecisionAudit, type DecisionOutcome } from '../../contracts';
import { parseChoice, parseCommandArgs } from '../args';
import type { ToolCommand } from '../command';
import { connectTemporal } from '../connect';
import { CliError, decisionNotFound, UsageError } from '../errors';
import { ExitCode } from '../exit-codes';
import { renderAudit, type ReceiptLookup } from '../render/audit';

const ACTIONS = ['approve', 'reject', 'amend', 'cancel', 'status', 'audit'] as const;
/** Queries are answered by a worker (replaying a closed decision if need be); without one they would wait forever.
 * A finished decision's audit needs none: it is the workflow's result. */
const QUERY_DEADLINE_MS = 15_000;

function parsePairs(pairs: string[]): Record<string, string | number> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new UsageError(`expected key=value, got "${pair}"`);
      const key = pair.slice(0, at);
      const value = pair.slice(at + 1);
      return [key, key === 'quantity' ? Number(value) : value];
    }),
  );
}

export const decisionCommand: ToolCommand = {
  name: 'decision',
  summary:
    'approve|reject|amend|cancel|status|audit <decisionId> [key=value ...]: message a decision, or show its audit',
  usage: [
    'decision <action> <decisionId> [key=value ...]',
    '',
    '  approve <id> approver=<who> [comment=...]      reject <id> approver=<who> reason=<why>',
    '  amend <id> amendedBy=<who> [quantity=N] [neededBy=ISO] [promisedBy=ISO]',
    '  cancel <id> requestedBy=<who> reason=<why>',
    '  status <id> [--json]',
    '  audit <id> [--json] [--offline]   the verification chain; --json prints the raw audit record,',
    '                                    --offline skips asking the nodes for settlement and commitment',
  ].join('\n'),
  logsToStderr: true,
  async run({ config, args }) {
    const { values, positionals } = parseCommandArgs(
      args,
      { json: { type: 'boolean' }, offline: { type: 'boolean' } },
      { min: 2, max: 10, names: '<action> <decisionId>' },
    );
    const [actionText, decisionId = '', ...rest] = positionals;
    const action = parseChoice(actionText, ACTIONS, 'action');
    if ((values.json || values.offline) && action !== 'audit' && action !== 'status')
      throw new UsageError(`--json and --offline apply to status and audit, not ${action}`);
    if ((action === 'status' || action === 'audit') && rest.length)
      throw new UsageError(`${action} takes no key=value arguments`);
    const body = parsePairs(rest);
    const { client, close } = await connectTemporal(config);
    try {
      const handle = client.workflow.getHandle(decisionId);
      await handle.describe(); // a clear "no such decision" before any message is sent
      switch (action) {
        case 'approve':
          return print(await update(() => handle.executeUpdate(approveUpdate, { args: [body as never] })));
        case 'reject':
          return print(await update(() => handle.executeUpdate(rejectUpdate, { args: [body as never] })));
        case 'amend':
          return print(await update(() => handle.executeUpdate(amendUpdate, { args: [body as never] })));
        case 'cancel':
          await handle.signal(cancelSignal, body as never);
          return print({ signalled: 'cancel' });
        case 'status':
          return print(await query(client, decisionId, () => handle.query(statusQuery)));
        case 'audit': {
          const audit =
            (await finishedAudit(handle)) ?? (await query(client, decisionId, () => handle.query(auditQuery)));
          if (values.json) return print(audit);
          const receipts = values.offline ? undefined : await lookUpReceipts(audit);
          process.stdout.write(renderAudit(audit, { color: process.stdout.isTTY === true, receipts }));
          return ExitCode.OK;
        }
      }
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw decisionNotFound(decisionId);
      throw error;
    } finally {
      await close();
    }
  },
};

function print(result: unknown): number {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return ExitCode.OK;
}

async function update<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    // A validator's rejection comes back as an update failure carrying the workflow's message.
    if (error instanceof WorkflowUpdateFailedError)
      throw new CliError('update_rejected', `rejected: ${error.cause?.message ?? error.message}`, ExitCode.REJECTED);
    throw error;
  }
}

/**
 * A finished decision's audit, from the workflow's result (no worker needed); undefined while it runs, or for a
 * decision that ended before results carried the audit (the query, which replays it on a worker, answers then).
 */
async function finishedAudit(handle: WorkflowHandle): Promise<DecisionAudit | undefined> {
  const { status } = await handle.describe();
  if (status.name !== 'COMPLETED') return undefined;
  const outcome = (await handle.result()) as Partial<DecisionOutcome> | undefined;
  return outcome?.audit;
}

async function query<T>(client: Client, decisionId: string, ask: () => Promise<T>): Promise<T> {
  try {
    return await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, ask);
  } catch (error) {
    if (/deadline/i.test((error as Error).message)) {
      throw new CliError(
        'no_worker',
        `no worker answered a query on ${decisionId} within ${QUERY_DEADLINE_MS / 1000} s: is a worker running? (npx proofpath worker, or npm start)`,
        ExitCode.UNREACHABLE,
      );
    }
    throw error;
  }
}

/** Settlement and commitment live on the node that issued each receipt (GET /v1/receipts/:id); best effort. */
async function lookUpReceipts(audit: DecisionAudit): Promise<Map<string, ReceiptLookup>> {
  const entries = await Promise.all(
    audit.inferences.map(async (inference): Promise<[string, ReceiptLookup]> => {
      const url = `${inference.nodeUrl.replace(/\/+$/, '')}/v1/receipts/${encodeURIComponent(inference.receiptId)}`;
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
        if (!response.ok) return [inference.receiptId, { ok: false, error: `${url} answered ${response.status}` }];
        const parsed = ReceiptRecordSchema.safeParse(await response.json());
        return [
          inference.receiptId,
          parsed.success ? { ok: true, record: parsed.data } : { ok: false, error: `${url}: unexpected body` },
        ];
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        return [
          inference.receiptId,
          { ok: false, error: `node ${inference.nodeUrl} not reachable (${cause ?? (error as Error).message})` },
        ];
      }
    }),
  );
  return new Map(entries);
}
