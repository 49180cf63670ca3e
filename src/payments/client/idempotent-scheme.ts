// An x402 client scheme for `exact` on EVM that signs EIP-3009 authorizations with a pinned nonce and validity window.
// @x402/evm's ExactEvmScheme (2.27) draws the nonce from crypto.getRandomValues and the window from Date.now() inside
// createEIP3009Payload, with no hook to inject them. Rather than re-implement the scheme, we delegate to it and pin
// just those three fields: its signer sees the pinned values in the EIP-712 TransferWithAuthorization message
// (EIP-3009 §"transferWithAuthorization"), and the returned authorization is given the same values, so the signature
// and the authorization agree. Domain construction, types and signing all stay @x402/evm's.
import { ExactEvmScheme, type ClientEvmSigner } from '@x402/evm';
import type {
  PaymentPayloadContext,
  PaymentPayloadResult,
  PaymentRequirements,
  SchemeNetworkClient,
} from '@x402/core/types';
import { SPEND_CODES, SpendControlError } from '../errors';
import { deriveValidityWindow } from './nonce';

/** The nonce, and the time the validity window starts from; the window's length is the node's maxTimeoutSeconds. */
export type PinnedAuthorization = { nonce: `0x${string}`; issuedAtSeconds: number };

export class IdempotentExactEvmScheme implements SchemeNetworkClient {
  readonly scheme = 'exact';

  constructor(
    private readonly signer: ClientEvmSigner,
    private readonly pinned: PinnedAuthorization,
    /** Called with the selected requirements before signing; throws to refuse (spend controls). */
    private readonly beforeSigning: (requirements: PaymentRequirements) => void = () => undefined,
  ) {}

  async createPaymentPayload(
    x402Version: number,
    requirements: PaymentRequirements,
    context?: PaymentPayloadContext,
  ): Promise<PaymentPayloadResult> {
    const method = (requirements.extra?.assetTransferMethod as string | undefined) ?? 'eip3009';
    if (method !== 'eip3009') {
      throw new SpendControlError(
        SPEND_CODES.transferMethod,
        `only EIP-3009 payments can be made idempotent; the node asked for ${method}`,
      );
    }
    this.beforeSigning(requirements);
    const { nonce, issuedAtSeconds } = this.pinned;
    const { validAfter, validBefore } = deriveValidityWindow(issuedAtSeconds, requirements.maxTimeoutSeconds);
    const pinningSigner: ClientEvmSigner = {
      ...this.signer,
      address: this.signer.address,
      signTypedData: (typed) =>
        this.signer.signTypedData({ ...typed, message: { ...typed.message, nonce, validAfter, validBefore } }),
    };
    const result = await new ExactEvmScheme(pinningSigner).createPaymentPayload(x402Version, requirements, context);
    const authorization = result.payload.authorization as Record<string, unknown> | undefined;
    if (!authorization) throw new Error('@x402/evm returned no EIP-3009 authorization; the scheme changed shape');
    result.payload.authorization = {
      ...authorization,
      nonce,
      validAfter: validAfter.toString(),
      validBefore: validBefore.toString(),
    };
    return result;
  }
}
