// The facilitator's channel refunds tell a refund that never reached the chain (retry: 503) from one that never can:
// a facilitator whose channel client has no key answers 501, which the worker takes as final instead of retrying.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { ChannelWriteError, createChannelContract, type ChannelContract } from '../../../src/chain/channels';
import { ChannelChargeVerdictRequestSchema } from '../../../src/contracts/channel';
import { createPaymentChannel } from '../../../src/decisions/payment-channel';
import { createChannelCharges } from '../../../src/payments/facilitator/channel-charges';
import { testConfig } from '../../support/test-config';

const FACILITATOR = '0x00000000000000000000000000000000000000fa';
const CHANNEL = `0x${'ab'.repeat(32)}` as Hex;
const config = testConfig();
const PAYMENT_REF = `eip155:31337/0x${'aa'.repeat(20)}/0x${'bb'.repeat(20)}/${CHANNEL}/100`;

/** A facilitator that knows CHANNEL (its verifier is the worker's), over `channels`; every charge is still open. */
function chargesOver(channels: ChannelContract) {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'channel-refund-'));
  const file = path.join(stateDir, 'facilitator', `${FACILITATOR}.channels.jsonl`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const receiverAuthorizer = privateKeyToAccount(config.keys.verifier).address;
  const voucher = {
    t: 'voucher',
    channelId: CHANNEL,
    config: { receiverAuthorizer },
    maxClaimableAmount: '100',
    signature: `0x${'11'.repeat(65)}`,
  };
  fs.writeFileSync(file, `${JSON.stringify(voucher)}\n`);
  return createChannelCharges({
    channels: { ...channels, chargeStateOf: () => Promise.resolve('open') },
    chainId: config.chain.chainId,
    stateDir,
    facilitatorAddress: FACILITATOR,
    batchSize: 16,
    intervalMs: 3_600_000,
    logger: pino({ level: 'silent' }),
  });
}

/** The worker's channel client refunding PAYMENT_REF, its POST answered by `charges` (no HTTP server needed). */
async function workerRefund(charges: ReturnType<typeof chargesOver>) {
  const answered: { status: number; body: unknown }[] = [];
  const answers = async (url: string, init: RequestInit) => {
    const [cumulative, action] = String(url).split('/charges/')[1]!.split('/');
    const request = ChannelChargeVerdictRequestSchema.parse(JSON.parse(String(init.body)));
    const outcome = await charges.verdict(CHANNEL, BigInt(cumulative!), action as 'refund', request);
    answered.push(outcome);
    return Response.json(outcome.body, { status: outcome.status });
  };
  const error = await createPaymentChannel(config, answers as typeof fetch)
    .refund({ paymentRef: PAYMENT_REF, amount: '10', reason: 'rolled back' })
    .catch((e: unknown) => e);
  return { answered, error };
}

it('a read-only channel client refuses a write as final, before any RPC', async () => {
  const error = await createChannelContract(config)
    .refundCharge({} as never, { cumulative: 100n, amount: 10n }, '0x01')
    .catch((e: unknown) => e);
  expect(error).toMatchObject({ name: 'ChainClientReadOnlyError', code: 'chain_client_read_only', retryable: false });
});

it('answers a refund by a facilitator without a key 501 channel_facilitator_read_only, which the worker does not retry', async () => {
  const charges = chargesOver({
    ...createChannelContract(config),
    chargeTransactionOf: () => Promise.resolve(undefined),
  });
  const { answered, error } = await workerRefund(charges);
  expect(answered).toMatchObject([
    { status: 501, body: { state: 'open', errorReason: 'channel_facilitator_read_only' } },
  ]);
  expect(error).toMatchObject({
    name: 'EscrowReleaseRefusedError',
    code: 'channel_facilitator_read_only',
    retryable: false,
  });
  await charges.stop();
});

it('still answers a refund that never reached the chain 503 channel_write_failed, which the worker retries', async () => {
  const rpcDown = new ChannelWriteError('refundCharge: HTTP request failed. Status: 503', false);
  const charges = chargesOver({
    refundCharge: () => Promise.reject(rpcDown),
    chargeTransactionOf: () => Promise.resolve(undefined),
  } as unknown as ChannelContract);
  const { answered, error } = await workerRefund(charges);
  expect(answered).toMatchObject([{ status: 503, body: { errorReason: 'channel_write_failed' } }]);
  expect(error).toMatchObject({ name: 'EscrowReleaseUnavailableError', retryable: true });
  await charges.stop();
});
