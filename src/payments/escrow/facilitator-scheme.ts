// The facilitator's side of auth-capture (escrow flow) for our escrow: verify rebuilds the PaymentInfo from the
// offer's `extra` and the payload's salt, checks that the signed ERC-3009 nonce is its payer-agnostic hash, the
// collector, amount, window and signature, and simulates the escrow's authorize; settle submits that authorize.
// Reason codes follow the spec's `invalid_auth_capture_evm_*` family.
import type {
  Network,
  PaymentPayload,
  PaymentRequirements,
  SchemeNetworkFacilitator,
  SettleResponse,
  VerifyResponse,
} from '@x402/core/types';
import { getAddress, isAddressEqual, type Abi, type Chain, type PublicClient, type Transport } from 'viem';
import { collectorDataOf, type EscrowContract } from '../../chain/escrow';
import { EngineError } from '../../errors';
import { recoverAddressFromTypedData } from '../../signatures';
import { AUTH_CAPTURE } from './server-scheme';
import {
  AuthCapturePayloadSchema,
  boundSaltOf,
  EscrowExtraSchema,
  payerAgnosticHashOf,
  paymentInfoOf,
  RECEIVE_WITH_AUTHORIZATION_TYPES,
  type PaymentInfo,
} from './payment-info';

/** A payment must leave the facilitator this long to land its authorize before validBefore. */
const SETTLE_MARGIN_SECONDS = 6;

type Checked =
  | {
      ok: true;
      info: PaymentInfo;
      binding: { signature: `0x${string}`; verifier: `0x${string}`; saltNonce: `0x${string}` };
      payer: `0x${string}`;
    }
  | { ok: false; reason: string; message: string; payer?: `0x${string}` };

export function createAuthCaptureEscrowFacilitatorScheme(deps: {
  chainId: number;
  escrowAddress: `0x${string}`;
  collectorAddress: `0x${string}`;
  publicClient: PublicClient<Transport, Chain>;
  escrowAbi: Abi;
  /** Submits authorize; absent in a verify-only instance. */
  escrow?: Pick<EscrowContract, 'authorize'>;
  signerAddress: `0x${string}`;
  /** Whether an address is a registered verifier (the settlement registry): only those may be named as releaser. */
  isRegisteredVerifier(address: `0x${string}`): Promise<boolean>;
}): SchemeNetworkFacilitator {
  const { chainId, escrowAddress, collectorAddress, publicClient } = deps;

  async function check(payload: PaymentPayload, requirements: PaymentRequirements): Promise<Checked> {
    const wire = AuthCapturePayloadSchema.safeParse(payload.payload);
    if (!wire.success) return { ok: false, reason: 'invalid_auth_capture_evm_payload', message: wire.error.message };
    const payer = wire.data.authorization.from;
    const fail = (reason: string, message: string): Checked => ({ ok: false, reason, message, payer });
    const extra = EscrowExtraSchema.safeParse(requirements.extra);
    if (!extra.success) return fail('invalid_auth_capture_evm_extra', extra.error.message);
    const { authorization, salt, signature, saltNonce } = wire.data;
    const verifier = extra.data.receiverAuthorizer;
    if (boundSaltOf(verifier, saltNonce) !== salt.toLowerCase())
      return fail(
        'invalid_auth_capture_evm_salt_binding',
        'salt is not the binding of receiverAuthorizer and saltNonce',
      );
    if (isAddressEqual(verifier, getAddress(requirements.payTo)))
      return fail('invalid_auth_capture_evm_receiver_authorizer', 'the node cannot release its own payment');
    // Read now, awaited with the signature check below: the chain reads overlap.
    // A failed read is the chain's trouble, not the payment's: it must not come back as "not a registered verifier".
    const registeredVerifier = deps.isRegisteredVerifier(verifier).then(
      (registered) => ({ registered }),
      (cause: unknown) => ({ registered: false, cause }),
    );
    if (extra.data.authCaptureEscrow && !isAddressEqual(extra.data.authCaptureEscrow, escrowAddress))
      return fail('invalid_auth_capture_evm_extra', `authCaptureEscrow must be ${escrowAddress}`);
    if (!isAddressEqual(extra.data.captureAuthorizer, escrowAddress))
      return fail('invalid_auth_capture_evm_operator_not_admitted', 'captureAuthorizer must be the escrow');
    if (!isAddressEqual(authorization.to, collectorAddress))
      return fail(
        'invalid_auth_capture_evm_recipient_mismatch',
        `authorization.to must be the token collector ${collectorAddress}`,
      );
    if (authorization.value !== requirements.amount)
      return fail(
        'invalid_auth_capture_evm_amount_mismatch',
        `authorized ${authorization.value}, required ${requirements.amount}`,
      );
    if (authorization.validAfter !== '0') return fail('invalid_auth_capture_evm_payload', 'validAfter must be 0');
    const now = Math.floor(Date.now() / 1000);
    if (Number(authorization.validBefore) < now + SETTLE_MARGIN_SECONDS)
      return fail('invalid_auth_capture_evm_payload_authorization_valid_before', 'the authorization expires too soon');
    const info = paymentInfoOf({
      extra: extra.data,
      payer,
      payTo: requirements.payTo,
      asset: requirements.asset,
      amount: requirements.amount,
      validBefore: authorization.validBefore,
      salt,
    });
    if (!(info.preApprovalExpiry <= info.authorizationExpiry && info.authorizationExpiry <= info.refundExpiry))
      return fail(
        'invalid_auth_capture_evm_expiry_order',
        'validBefore <= captureDeadline <= refundDeadline is required',
      );
    if (payerAgnosticHashOf(chainId, escrowAddress, info) !== authorization.nonce.toLowerCase())
      return fail(
        'invalid_auth_capture_evm_nonce_mismatch',
        'the nonce is not the payment hash of these requirements and salt',
      );
    const typed = {
      domain: {
        name: extra.data.name,
        version: extra.data.version,
        chainId,
        verifyingContract: getAddress(requirements.asset),
      },
      types: RECEIVE_WITH_AUTHORIZATION_TYPES,
      primaryType: 'ReceiveWithAuthorization' as const,
      message: {
        from: payer,
        to: authorization.to,
        value: BigInt(authorization.value),
        validAfter: 0n,
        validBefore: BigInt(authorization.validBefore),
        nonce: authorization.nonce,
      },
    };
    // An EOA's signature is checked locally (no round trip); anything else (ERC-1271/6492 wallets) through the chain.
    const recovered = recoverAddressFromTypedData(typed, signature);
    const [validSignature, registry] = await Promise.all([
      recovered && isAddressEqual(recovered, payer)
        ? true
        : publicClient.verifyTypedData({ address: payer, signature, ...typed }).catch(() => false),
      registeredVerifier,
    ]);
    if (!validSignature)
      return fail('invalid_auth_capture_evm_signature', "the ReceiveWithAuthorization signature is not the payer's");
    if ('cause' in registry)
      throw new ChainReadFailedError(`could not read whether ${verifier} is a registered verifier`, {
        cause: registry.cause,
      });
    if (!registry.registered)
      return fail('invalid_auth_capture_evm_receiver_authorizer', `${verifier} is not a registered verifier`);
    return { ok: true, info, binding: { signature, verifier, saltNonce }, payer };
  }

  async function simulate(
    info: PaymentInfo,
    binding: Extract<Checked, { ok: true }>['binding'],
  ): Promise<string | undefined> {
    try {
      await publicClient.simulateContract({
        address: escrowAddress,
        abi: deps.escrowAbi,
        functionName: 'authorize',
        args: [info, info.maxAmount, collectorAddress, collectorDataOf(binding)],
        account: deps.signerAddress,
      } as never);
      return undefined;
    } catch (error) {
      return (
        (error as Error).message.split('\n').find((line) => line.includes('reverted')) ??
        (error as Error).message.split('\n')[0]
      );
    }
  }

  return {
    scheme: AUTH_CAPTURE,
    caipFamily: 'eip155:*',
    getExtra: () => ({ authCaptureEscrow: escrowAddress, operatorType: 'custom' }),
    getSigners: () => [deps.signerAddress],
    async verify(payload, requirements): Promise<VerifyResponse> {
      const checked = await check(payload, requirements);
      if (!checked.ok)
        return { isValid: false, invalidReason: checked.reason, invalidMessage: checked.message, payer: checked.payer };
      // The escrow's own checks: unused nonce, balance, hold not yet taken, deadlines.
      const revert = await simulate(checked.info, checked.binding);
      if (revert)
        return {
          isValid: false,
          invalidReason: 'invalid_auth_capture_evm_transaction_simulation_failed',
          invalidMessage: revert,
          payer: checked.payer,
        };
      return { isValid: true, payer: checked.payer };
    },
    async settle(payload, requirements): Promise<SettleResponse> {
      const network = requirements.network as Network;
      const checked = await check(payload, requirements);
      if (!checked.ok)
        return {
          success: false,
          errorReason: checked.reason,
          errorMessage: checked.message,
          transaction: '',
          network,
          payer: checked.payer,
        };
      if (!deps.escrow)
        return {
          success: false,
          errorReason: 'unexpected_settle_error',
          errorMessage: 'verify-only facilitator',
          transaction: '',
          network,
        };
      try {
        const transaction = await deps.escrow.authorize(checked.info, checked.binding);
        return { success: true, transaction, network, payer: checked.payer };
      } catch (error) {
        return {
          success: false,
          errorReason: 'invalid_auth_capture_evm_transaction_failed',
          errorMessage: (error as Error).message,
          transaction: '',
          network,
          payer: checked.payer,
        };
      }
    },
  };
}

/** A chain read the verification needs failed (RPC down or erroring): retry later; the payment was not judged. */
export class ChainReadFailedError extends EngineError<'chain_read_failed'> {
  override readonly name = 'ChainReadFailedError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('chain_read_failed', message, { ...options, retryable: true });
  }
}
