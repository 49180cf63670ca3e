// The facilitator claims verified channel charges in one transaction; when the contract refuses one channel's claim
// (its balance fell below its verified charges), the batch reverts, and the others are then claimed one by one instead
// of waiting behind it forever.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Hex } from 'viem';
import type { ChannelContract, ChargeClaim } from '../../../src/chain/channels';
import { createChannelCharges } from '../../../src/payments/facilitator/channel-charges';

const FACILITATOR = '0x00000000000000000000000000000000000000fa';
const channel = (n: number) => `0x${String(n).repeat(64)}` as Hex;
const SIG = `0x${'11'.repeat(65)}` as Hex;

/** A journal as a facilitator left it: a voucher and one verified charge for each channel. */
function journalWith(stateDir: string, channels: Hex[]): void {
  const lines = channels.flatMap((channelId) => [
    {
      t: 'voucher',
      channelId,
      config: { receiverAuthorizer: FACILITATOR, id: channelId },
      maxClaimableAmount: '1000',
      signature: SIG,
    },
    { t: 'verified', channelId, cumulative: '100', amount: '100', signature: SIG },
  ]);
  const file = path.join(stateDir, 'facilitator', `${FACILITATOR}.channels.jsonl`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

it('claims the other channels one by one when one channel makes the batch revert', async () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'channel-claims-'));
  const [good, poisoned, other] = [channel(1), channel(2), channel(3)];
  journalWith(stateDir, [good, poisoned, other]);
  const calls: Hex[][] = [];
  const contract = {
    claimVerified: (claims: ChargeClaim[]) => {
      const ids = claims.map((c) => (c.config as unknown as { id: Hex }).id);
      calls.push(ids);
      return ids.includes(poisoned)
        ? Promise.reject(new Error('claim exceeds balance'))
        : Promise.resolve('0xabc' as Hex);
    },
  } as unknown as ChannelContract;
  const charges = createChannelCharges({
    channels: contract,
    chainId: 31337,
    stateDir,
    facilitatorAddress: FACILITATOR,
    batchSize: 16,
    intervalMs: 3_600_000,
    logger: pino({ level: 'silent' }),
  });
  await charges.flush();
  expect(calls).toEqual([[good, poisoned, other], [good], [poisoned], [other]]);

  // The claimed ones are journaled as claimed: the next flush tries only the refused channel.
  calls.length = 0;
  await charges.flush();
  expect(calls).toEqual([[poisoned]]);
  await charges.stop();
});
