// An x402 client scheme for `auth-capture` (escrow flow) on EVM that signs the same bytes for the same idempotency
// key and issuedAt. @x402/evm's AuthCaptureEvmScheme draws the salt at random and preApprovalExpiry from Date.now(),
// and takes the deadlines from each 402 (they move with the clock), so a retried activity would pay twice. This scheme
// builds the same wire payload (spec "Payment identity": salt binding to receiverAuthorizer, nonce = payer-agnostic
// PaymentInfo hash, ERC-3009 ReceiveWithAuthorization to the token collector) from pinned values instead:
// saltNonce = the payment nonce of the key, preApprovalExpiry = issuedAt + maxTimeoutSeconds, captureDeadline =
// issuedAt + the offer's captureWindowSeconds.
import { AUTH_CAPTURE_ESCROW_ADDRESS, EIP3009_TOKEN_COLLECTOR_ADDRESS, type ClientEvmSigner } from '@x402/evm';
import type { PaymentPayloadResult, PaymentRequirements, SchemeNetworkClient } from '@x402/core/types';
import { getAddress, type Hex } from 'viem';
import { SPEND_CODES, SpendControlError } from '../errors';
import {
  boundSaltOf,
  EscrowExtraSchema,
  payerAgnosticHashOf,
  paymentInfoOf,
  RECEIVE_WITH_AUTHORIZATION_TYPES,
} from '../escrow/payment-info';

export type PinnedEscrowPayment = { saltNonce: Hex; issuedAtSeconds: number };

export class IdempotentAuthCaptureEvmScheme implements SchemeNetworkClient {
  readonly scheme = 'auth-capture';

  constructor(
    private readonly signer: ClientEvmSigner,
    private readonly pinned: PinnedEscrowPayment,
    private readonly beforeSigning: (requirements: PaymentRequirements) => void = () => undefined,
  ) {}

  async createPaymentPayload(x402Version: number, requirements: PaymentRequirements): Promise<PaymentPayloadResult> {
    const method = (requirements.extra?.assetTransferMethod as string | undefined) ?? 'eip3009';
    if (method !== 'eip3009')
      throw new SpendControlError(
        SPEND_CODES.transferMethod,
        `only EIP-3009 payments can be made idempotent; the node asked for ${method}`,
      );
    const parsed = EscrowExtraSchema.safeParse(requirements.extra);
    if (!parsed.success)
      throw new Error(
        `the node's auth-capture offer is not one this client can pay: ${parsed.error.issues[0]?.message}`,
      );
    const escrow = parsed.data.authCaptureEscrow ?? getAddress(AUTH_CAPTURE_ESCROW_ADDRESS);
    if (escrow !== getAddress(AUTH_CAPTURE_ESCROW_ADDRESS))
      throw new Error(`unsupported authCaptureEscrow ${escrow} (v1.1 only)`);
    this.beforeSigning(requirements);

    const { issuedAtSeconds, saltNonce } = this.pinned;
    const offered = parsed.data;
    const window = Number(
      requirements.extra?.captureWindowSeconds ?? offered.captureDeadline - Math.floor(Date.now() / 1000),
    );
    const captureDeadline = issuedAtSeconds + window;
    const refundDeadline = captureDeadline + (offered.refundDeadline - offered.captureDeadline);
    const validBefore = issuedAtSeconds + requirements.maxTimeoutSeconds;
    const salt = boundSaltOf(offered.receiverAuthorizer, saltNonce);
    const extra = { ...offered, captureDeadline, refundDeadline };
    const info = paymentInfoOf({
      extra,
      payer: this.signer.address,
      payTo: requirements.payTo,
      asset: requirements.asset,
      amount: requirements.amount,
      validBefore,
      salt,
    });
    const chainId = Number(requirements.network.split(':')[1]);
    const authorization = {
      from: this.signer.address,
      to: getAddress(EIP3009_TOKEN_COLLECTOR_ADDRESS),
      value: requirements.amount,
      validAfter: '0',
      validBefore: String(validBefore),
      nonce: payerAgnosticHashOf(chainId, escrow, info),
    };
    const signature = await this.signer.signTypedData({
      domain: {
        name: offered.name,
        version: offered.version,
        chainId,
        verifyingContract: getAddress(requirements.asset),
      },
      types: RECEIVE_WITH_AUTHORIZATION_TYPES,
      primaryType: 'ReceiveWithAuthorization',
      message: {
        ...authorization,
        value: BigInt(authorization.value),
        validAfter: 0n,
        validBefore: BigInt(validBefore),
      },
    });
    // x402Client sends the requirements object it handed us as the payload's `accepted`: the facilitator rebuilds the
    // PaymentInfo from it, so it must carry the deadlines we signed, not the 402's (which moved with the clock).
    Object.assign(requirements.extra as Record<string, unknown>, { captureDeadline, refundDeadline });
    return { x402Version, payload: { authorization, signature, salt, saltNonce } };
  }
}
