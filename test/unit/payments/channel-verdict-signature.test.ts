// The facilitator moves a charge only on a verdict signed by the channel's receiverAuthorizer (the verifier): anything
// else, including a verdict whose amount cannot even be hashed, is refused as not authorized (422) and never throws.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { chargeVerdictTypedData, type ChannelContract } from '../../../src/chain/channels';
import { createChannelCharges } from '../../../src/payments/facilitator/channel-charges';

const FACILITATOR = '0x00000000000000000000000000000000000000fa';
const CHANNEL = `0x${'cd'.repeat(32)}` as Hex;
const CHAIN_ID = 31337;
const verifier = privateKeyToAccount(generatePrivateKey());

/** A facilitator that verified a voucher up to 1000 on CHANNEL, whose receiverAuthorizer is `verifier`. */
function buildCharges() {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'channel-verdict-'));
  const file = path.join(stateDir, 'facilitator', `${FACILITATOR}.channels.jsonl`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const voucher = {
    t: 'voucher',
    channelId: CHANNEL,
    config: { receiverAuthorizer: verifier.address },
    maxClaimableAmount: '1000',
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

const signClaim = (signer: typeof verifier, cumulative: bigint, amount: bigint) =>
  signer.signTypedData(chargeVerdictTypedData(CHAIN_ID, CHANNEL, { cumulative, amount }, 'verified'));

describe('channel charge verdict signatures', () => {
  it('queues a claim the verifier signed, with v as 27/28 or as y-parity', async () => {
    const charges = buildCharges();
    const signature = await signClaim(verifier, 100n, 10n);
    await expect(charges.verdict(CHANNEL, 100n, 'claim', { amount: '10', signature })).resolves.toMatchObject({
      status: 200,
      body: { state: 'queued' },
    });
    const other = await signClaim(verifier, 200n, 10n);
    const asParity = `${other.slice(0, 130)}${other.endsWith('1b') ? '00' : '01'}`;
    await expect(charges.verdict(CHANNEL, 200n, 'claim', { amount: '10', signature: asParity })).resolves.toMatchObject(
      { status: 200, body: { state: 'queued' } },
    );
    await charges.stop();
  });

  it.each<[string, () => Promise<{ amount: string; signature: string }>]>([
    [
      'signed by another key',
      async () => ({ amount: '10', signature: await signClaim(privateKeyToAccount(generatePrivateKey()), 100n, 10n) }),
    ],
    ['signed for another amount', async () => ({ amount: '11', signature: await signClaim(verifier, 100n, 10n) })],
    [
      'with v out of range',
      async () => ({ amount: '10', signature: `${(await signClaim(verifier, 100n, 10n)).slice(0, 130)}1d` }),
    ],
    [
      'with an amount outside uint128',
      async () => ({ amount: (2n ** 128n).toString(), signature: await signClaim(verifier, 100n, 10n) }),
    ],
  ])('refuses a verdict %s as channel_verdict_not_authorized', async (_name, build) => {
    const charges = buildCharges();
    const outcome = await charges.verdict(CHANNEL, 100n, 'claim', await build());
    expect(outcome.status).toBe(422);
    expect(outcome.body).toMatchObject({ errorReason: 'channel_verdict_not_authorized' });
    await expect(charges.view(CHANNEL, 100n)).resolves.toMatchObject({ state: 'open' });
    await charges.stop();
  });
});
