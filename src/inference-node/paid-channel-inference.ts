// One infer request paid by channel (x402 batch-settlement). The charge is (channel, the voucher's cumulative amount):
// its key is the contract's charge key, so a re-presented voucher is answered from the payment cache, once. Local
// checks, then the node's channel book reserves the charge (it must stay within what the payer signed), the
// facilitator verifies the voucher (or deposit) while the model runs, a deposit lands before the answer, and the
// charge is journalled once served. The receipt's paymentRef names the charge: <network>/<asset>/<payer>/<channel>/<cumulative>.
import type { SettleResponse } from '@x402/core/types';
import { keccak256, toHex, type Hex } from 'viem';
import { chargeKeyOf } from '../chain';
import type { InferResponse } from '../contracts/inference-http';
import { NodeRequestError, type ChannelGate, type NodeChannelBook } from '../payments';
import type { ServedPayment } from './receipt-store';
import type { ModelRun } from './run-model';

type Answer = {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  replayed?: boolean;
  afterAnswer?: () => void;
};

export type ChannelPaymentDeps = {
  gate: ChannelGate;
  book: NodeChannelBook;
  infer(modelId: string, rows: number[][]): Promise<ModelRun>;
  serve(
    modelId: string,
    rows: number[][],
    paymentRef: string,
    served: Omit<ServedPayment, 'body' | 'receiptId'>,
    computed: ModelRun,
    paid: { settlement: InferResponse['settlement']; paymentResponse?: string },
  ): Promise<Answer>;
  once(key: string, identity: string, run: () => Promise<Answer>): Promise<Answer>;
};

export function channelPaymentRefOf(network: string, asset: string, payer: string, channelId: Hex, cumulative: bigint) {
  return `${network}/${asset}/${payer}/${channelId}/${cumulative}`;
}

export function createChannelPaymentHandler(deps: ChannelPaymentDeps) {
  const { gate, book } = deps;
  return async function payByChannel(
    modelId: string,
    rows: number[][],
    requestHash: Hex,
    price: bigint,
    paymentHeader: string | undefined,
    resourceUrl: string,
  ): Promise<Answer> {
    const offered = await gate.requirementsFor(price);
    if (paymentHeader === undefined || paymentHeader === '')
      throw new NodeRequestError('payment_required', 'this model is paid: see the PAYMENT-REQUIRED header', {
        accepts: [offered],
        resource: resourceUrl,
      });
    const payment = gate.decode(paymentHeader);
    const { channel, channelId } = payment;
    const cumulative = BigInt(channel.voucher.maxClaimableAmount);
    const key = chargeKeyOf(channelId, cumulative);
    const fingerprint = keccak256(toHex(JSON.stringify([channel, payment.payload.accepted])));
    return deps.once(key, `${fingerprint}|${requestHash}`, async () => {
      gate.match(payment, offered);
      const refusal = book.reserve(channelId, cumulative, price);
      if (refusal)
        throw new NodeRequestError(refusal, `voucher ${cumulative} cannot pay ${price} on channel ${channelId}`, {
          charged: book.charged(channelId).toString(),
        });
      try {
        const speculative = deps.infer(modelId, rows);
        speculative.catch(() => undefined);
        const verified = await gate.verify(payment, offered);
        const deposit = channel.type === 'deposit' ? await gate.settleDeposit(payment, offered) : undefined;
        const computed = await speculative;
        const at = new Date().toISOString();
        const settlement: InferResponse['settlement'] = deposit
          ? { status: 'settled', transaction: deposit.transaction as Hex, attempts: 1, updatedAt: at }
          : { status: 'not_required', attempts: 0, updatedAt: at };
        const response: SettleResponse = {
          success: true,
          transaction: deposit?.transaction ?? '',
          network: offered.network,
          payer: channel.channelConfig.payer,
          amount: deposit?.amount ?? '',
          extra: {
            chargedAmount: price.toString(),
            channelState: {
              ...(verified.extra ?? {}),
              ...((deposit?.extra as { channelState?: object } | undefined)?.channelState ?? {}),
              chargedCumulativeAmount: book.charged(channelId).toString(),
            },
          },
        };
        const paymentRef = channelPaymentRefOf(
          offered.network,
          offered.asset,
          channel.channelConfig.payer,
          channelId,
          cumulative,
        );
        const answer = await deps.serve(
          modelId,
          rows,
          paymentRef,
          { key, fingerprint, requestHash, payment: { payload: payment.payload, requirements: offered } },
          computed,
          { settlement, paymentResponse: gate.paymentResponseHeader(response) },
        );
        book.commit(channelId, cumulative, price);
        return answer;
      } catch (error) {
        book.release(channelId, cumulative, price);
        throw error;
      }
    });
  };
}
