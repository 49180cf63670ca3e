// The payment-channel contract on the real chain, driven as the engine drives it: the shipped x402 batch-settlement
// facilitator takes the payer's deposit and checks vouchers; the verifier's verdicts claim verified charges in one
// batch (paid to the node in the same transaction) and refund a rolled-back one; nobody else can move the money.
import type { PaymentRequirements } from '@x402/core/types';
import { createBatchSettlementEIP3009DepositPayload } from '@x402/evm/batch-settlement/client';
import type { Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import {
  chargeVerdictTypedData,
  channelIdOf,
  createChannelContract,
  ensureChannelContracts,
  voucherTypedData,
  type ChannelConfig,
  type ChannelContract,
  type Charge,
} from '../../../src/chain';
import { createHttpFacilitatorClient } from '../../../src/payments';
import { startPaymentsStack, type PaymentsStack } from './support/payments-stack';

const PRICE = 1_000n;
const DEPOSIT = 100_000n;

describe('payment channel contract (batch-settlement)', () => {
  let stack: PaymentsStack;
  let channels: ChannelContract;
  let chainId: number;
  beforeAll(async () => {
    stack = await startPaymentsStack({ settlementMode: 'deferred' });
    await ensureChannelContracts(stack.config);
    channels = createChannelContract(stack.config, stack.config.keys.facilitator);
    chainId = stack.config.chain.chainId;
  });
  afterAll(() => stack?.close());

  const verifier = () => privateKeyToAccount(stack.config.keys.verifier);
  function requirementsFor(): PaymentRequirements {
    return {
      scheme: 'batch-settlement',
      network: `eip155:${chainId}`,
      amount: PRICE.toString(),
      asset: stack.deployment.token.address,
      payTo: stack.nodeAddress,
      maxTimeoutSeconds: 60,
      extra: {
        receiverAuthorizer: verifier().address,
        withdrawDelay: 900,
        name: stack.deployment.token.name,
        version: stack.deployment.token.version,
      },
    };
  }
  function channelFor(payerKey: Hex, salt: Hex): ChannelConfig {
    const payer = privateKeyToAccount(payerKey).address;
    return {
      payer,
      payerAuthorizer: payer,
      receiver: stack.nodeAddress,
      receiverAuthorizer: verifier().address,
      token: stack.deployment.token.address,
      withdrawDelay: 900,
      salt,
    };
  }
  async function openChannel(payerKey: Hex, salt: Hex) {
    const config = channelFor(payerKey, salt);
    const requirements = requirementsFor();
    const deposit = await createBatchSettlementEIP3009DepositPayload(
      privateKeyToAccount(payerKey),
      2,
      requirements,
      config,
      DEPOSIT.toString(),
      PRICE.toString(),
    );
    const facilitator = createHttpFacilitatorClient(stack.facilitator.url);
    const paymentPayload = { x402Version: 2, accepted: requirements, payload: deposit.payload };
    const verified = await facilitator.verify(paymentPayload, requirements);
    expect(verified).toMatchObject({ isValid: true });
    const settled = await facilitator.settle(paymentPayload, requirements);
    expect(settled).toMatchObject({ success: true });
    return { config, id: channelIdOf(chainId, config), requirements, facilitator };
  }
  const voucher = async (payerKey: Hex, id: Hex, max: bigint) => ({
    maxClaimableAmount: max,
    signature: await privateKeyToAccount(payerKey).signTypedData(voucherTypedData(chainId, id, max)),
  });
  const verdict = (key: Hex, id: Hex, charge: Charge, kind: 'verified' | 'refund') =>
    privateKeyToAccount(key).signTypedData(chargeVerdictTypedData(chainId, id, charge, kind));
  const charge = (n: bigint): Charge => ({ cumulative: n * PRICE, amount: PRICE });

  it('takes a deposit through the shipped facilitator and verifies later vouchers there', async () => {
    const payerKey = stack.payerKeys[20]!;
    const payer = privateKeyToAccount(payerKey).address;
    const before = await stack.balanceOf(payer);
    const { id, config, requirements, facilitator } = await openChannel(payerKey, `0x${'01'.padStart(64, '0')}`);
    await expect(channels.balanceOf(id)).resolves.toMatchObject({ balance: DEPOSIT, totalClaimed: 0n });
    await expect(stack.balanceOf(payer)).resolves.toBe(before - DEPOSIT);
    const second = await voucher(payerKey, id, 2n * PRICE);
    const payload = {
      type: 'voucher',
      channelConfig: config,
      voucher: { channelId: id, maxClaimableAmount: '2000', signature: second.signature },
    };
    await expect(
      facilitator.verify({ x402Version: 2, accepted: requirements, payload }, requirements),
    ).resolves.toMatchObject({ isValid: true, extra: { balance: DEPOSIT.toString() } });
  });

  it('claims verified charges in one batch, pays the node, refunds a rolled-back charge, each once', async () => {
    const payerKey = stack.payerKeys[21]!;
    const payer = privateKeyToAccount(payerKey).address;
    const { id, config } = await openChannel(payerKey, `0x${'02'.padStart(64, '0')}`);
    const key = stack.config.keys.verifier;
    const payerBefore = await stack.balanceOf(payer);
    const nodeBefore = await stack.balanceOf(stack.nodeAddress);

    // Four inferences; the third was rolled back.
    const refunded = await channels.refundCharge(config, charge(3n), await verdict(key, id, charge(3n), 'refund'));
    await expect(stack.balanceOf(payer)).resolves.toBe(payerBefore + PRICE);
    await expect(
      channels.refundCharge(config, charge(3n), await verdict(key, id, charge(3n), 'refund')),
    ).rejects.toMatchObject({ reverted: true, revertReason: 'charge already settled' });
    await expect(channels.chargeTransactionOf(id, 3n * PRICE)).resolves.toBe(refunded);

    const charges = await Promise.all(
      [1n, 2n, 4n].map(async (n) => ({ ...charge(n), signature: await verdict(key, id, charge(n), 'verified') })),
    );
    const claim = { config, voucher: await voucher(payerKey, id, 4n * PRICE), charges };
    await channels.claimVerified([claim]);
    await expect(stack.balanceOf(stack.nodeAddress)).resolves.toBe(nodeBefore + 3n * PRICE);
    await channels.claimVerified([claim]); // a repeated batch moves nothing twice
    await expect(stack.balanceOf(stack.nodeAddress)).resolves.toBe(nodeBefore + 3n * PRICE);
    await expect(channels.balanceOf(id)).resolves.toMatchObject({ balance: DEPOSIT - PRICE, totalClaimed: 3n * PRICE });
    await expect(channels.chargeStateOf(id, 4n * PRICE)).resolves.toBe('claimed');
    await expect(channels.chargeStateOf(id, 3n * PRICE)).resolves.toBe('refunded');
  });

  it('the node cannot claim by itself, nor past what the payer signed', async () => {
    const payerKey = stack.payerKeys[22]!;
    const { id, config } = await openChannel(payerKey, `0x${'03'.padStart(64, '0')}`);
    const own = { ...charge(1n), signature: await verdict(stack.config.keys.node, id, charge(1n), 'verified') };
    await expect(
      channels.claimVerified([{ config, voucher: await voucher(payerKey, id, PRICE), charges: [own] }]),
    ).rejects.toMatchObject({ revertReason: 'verdict not signed by the receiverAuthorizer' });
    const beyond = {
      ...charge(5n),
      signature: await verdict(stack.config.keys.verifier, id, charge(5n), 'verified'),
    };
    await expect(
      channels.claimVerified([{ config, voucher: await voucher(payerKey, id, 2n * PRICE), charges: [beyond] }]),
    ).rejects.toMatchObject({ revertReason: 'charge beyond the voucher' });
    const forged = await voucher(stack.config.keys.node, id, 5n * PRICE);
    await expect(channels.claimVerified([{ config, voucher: forged, charges: [beyond] }])).rejects.toMatchObject({
      revertReason: 'voucher not signed by the payer',
    });
  });
});
