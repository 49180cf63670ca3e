// The facilitator's channel-mode routes: POST /channels/:channelId/charges/:cumulative/claim|refund (the verifier's
// signed verdict on one charge) and GET /channels/:channelId/charges/:cumulative (where that charge stands).
import type { Express, Request, Response } from 'express';
import type { Hex } from 'viem';
import { ChannelChargeVerdictRequestSchema } from '../../contracts/channel';
import type { Metrics } from '../../observability';
import type { ChannelCharges } from './channel-charges';

const isChannelId = (s: string | undefined): s is Hex => /^0x[0-9a-fA-F]{64}$/.test(s ?? '');
const isAmount = (s: string | undefined): s is string => /^[1-9]\d{0,37}$/.test(s ?? '');

export function registerChannelChargeRoutes(app: Express, charges: ChannelCharges, metrics: Metrics): void {
  const target = (req: Request, res: Response) => {
    const { channelId, cumulative } = req.params as { channelId?: string; cumulative?: string };
    if (!isChannelId(channelId) || !isAmount(cumulative)) {
      res
        .status(400)
        .json({ reason: 'malformed_request', message: 'expected /channels/<0x channel id>/charges/<cumulative>' });
      return undefined;
    }
    return { channelId: channelId.toLowerCase() as Hex, cumulative: BigInt(cumulative) };
  };
  app.get('/channels/:channelId/charges/:cumulative', async (req, res) => {
    const at = target(req, res);
    if (!at) return;
    try {
      res.json(await charges.view(at.channelId, at.cumulative));
    } catch (error) {
      res.status(503).json({ reason: 'chain_read_failed', message: (error as Error).message });
    }
  });
  app.post('/channels/:channelId/charges/:cumulative/:action', async (req, res) => {
    const at = target(req, res);
    if (!at) return;
    const { action } = req.params as { action?: string };
    if (action !== 'claim' && action !== 'refund')
      return res.status(400).json({ reason: 'malformed_request', message: 'the action is claim or refund' });
    const body = ChannelChargeVerdictRequestSchema.safeParse(req.body);
    if (!body.success) return res.status(400).json({ reason: 'malformed_request', message: body.error.message });
    const outcome = await charges.verdict(at.channelId, at.cumulative, action, body.data);
    metrics.count('facilitator_channel_verdicts_total', {
      action,
      status: String(outcome.status),
      reason: outcome.body.errorReason ?? '',
    });
    return res.status(outcome.status).json(outcome.body);
  });
}
