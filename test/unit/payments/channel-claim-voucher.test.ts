// A verified charge is queued for claiming only when a voucher this facilitator verified covers it: one above the
// highest known voucher could never be claimed, so it is refused for good (409) instead of waiting queued forever.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { chargeVerdictTypedData, type ChannelContract } from '../../../src/chain/channels';
import { anvilAccounts } from '../../../src/config';
import { createChannelCharges } from '../../../src/payments/facilitator/channel-charges';

const FACILITATOR = '0x00000000000000000000000000000000000000fa';
const CHANNEL = `0x${'ab'.repeat(32)}` as Hex;
const CHAIN_ID = 31337;
const verifier = privateKeyToAccount(anvilAccounts()[7]!.privateKey);

/** A facilitator that verified one voucher on CHANNEL, up to `highest`; the chain says every charge is still open. */
function chargesWithVoucher(highest: bigint) {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'channel-voucher-'));
  const file = path.join(stateDir, 'facilitator', `${FACILITATOR}.channels.jsonl`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const voucher = {
    t: 'voucher',
    channelId: CHANNEL,
    config: { receiverAuthorizer: verifier.address },
    maxClaimableAmount: highest.toString(),
    signature: `0x${'11'.repeat(65)}`,
  };
  fs.writeFileSync(file, `${JSON.stringify(voucher)}\n`);
  const contract = { chargeStateOf: () => Promise.resolve('open') } as unknown as ChannelContract;
  return createChannelCharges({
    channels: contract,
    chainId: CHAIN_ID,
    stateDir,
    facilitatorAddress: FACILITATOR,
    batchSize: 16,
    intervalMs: 3_600_000,
    logger: pino({ level: 'silent' }),
  });
}

async function claim(charges: ReturnType<typeof chargesWithVoucher>, cumulative: bigint, amount = 10n) {
  const signature = await verifier.signTypedData(
    chargeVerdictTypedData(CHAIN_ID, CHANNEL, { cumulative, amount }, 'verified'),
  );
  return charges.verdict(CHANNEL, cumulative, 'claim', { amount: amount.toString(), signature });
}

it('refuses a claim above the highest known voucher as final, and does not queue it', async () => {
  const charges = chargesWithVoucher(100n);
  const outcome = await claim(charges, 110n);
  expect(outcome.status).toBe(409);
  expect(outcome.body).toMatchObject({ state: 'open', errorReason: 'channel_charge_above_voucher' });
  await expect(charges.view(CHANNEL, 110n)).resolves.toMatchObject({ state: 'open' });
  await charges.stop();
});

it('queues a claim the highest known voucher covers, up to and including its amount', async () => {
  const charges = chargesWithVoucher(100n);
  await expect(claim(charges, 100n)).resolves.toMatchObject({ status: 200, body: { state: 'queued' } });
  await expect(claim(charges, 90n)).resolves.toMatchObject({ status: 200, body: { state: 'queued' } });
  await expect(charges.view(CHANNEL, 100n)).resolves.toMatchObject({ state: 'queued' });
  await charges.stop();
});
