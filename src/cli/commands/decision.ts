// `proofpath decision <action> <decisionId> [key=value ...]`: the ERP/ops side of a running decision.
//   approve  approver=<who> [comment=...]        reject  approver=<who> reason=<why>
//   amend    amendedBy=<who> [quantity=N] [neededBy=ISO] [promisedBy=ISO]
//   cancel   requestedBy=<who> reason=<why>      status | audit
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { amendUpdate, approveUpdate, auditQuery, cancelSignal, rejectUpdate, statusQuery } from '../../../workflows/definitions';
import { connectTemporalClient } from '../../decisions/temporal-client';
import type { Command } from '../command';

function parseArgs(pairs: string[]): Record<string, string | number> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`expected key=value, got "${pair}"`);
      const key = pair.slice(0, at);
      const value = pair.slice(at + 1);
      return [key, key === 'quantity' ? Number(value) : value];
    }),
  );
}

export const decisionCommand: Command = {
  name: 'decision',
  summary: 'approve|reject|amend|cancel|status|audit <decisionId> [key=value ...]: message a running decision',
  async run({ config, args }) {
    const [action, decisionId, ...rest] = args;
    if (!action || !decisionId) throw new Error('usage: proofpath decision <approve|reject|amend|cancel|status|audit> <decisionId> [key=value ...]');
    const { client, close } = await connectTemporalClient(config);
    try {
      const handle = client.workflow.getHandle(decisionId);
      const body = parseArgs(rest);
      let result: unknown;
      switch (action) {
        case 'approve': result = await handle.executeUpdate(approveUpdate, { args: [body as never] }); break;
        case 'reject': result = await handle.executeUpdate(rejectUpdate, { args: [body as never] }); break;
        case 'amend': result = await handle.executeUpdate(amendUpdate, { args: [body as never] }); break;
        case 'cancel': await handle.signal(cancelSignal, body as never); result = { signalled: 'cancel' }; break;
        case 'status': result = await handle.query(statusQuery); break;
        case 'audit': result = await handle.query(auditQuery); break;
        default: throw new Error(`unknown action ${action}`);
      }
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } catch (error) {
      // A validator's rejection comes back as an update failure carrying the workflow's message.
      if (error instanceof WorkflowUpdateFailedError) {
        process.stderr.write(`rejected: ${error.cause?.message ?? error.message}\n`);
        process.exitCode = 3;
        return;
      }
      throw error;
    } finally {
      await close();
    }
  },
};
