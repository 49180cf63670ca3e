// Wires the official x402 facilitator (`x402Facilitator` + the EVM exact scheme) to a viem account on our chain, and a
// verify-only twin over a read-only client (no key) that a resource server runs in its own process.
import { EngineError } from '../../errors';
import { x402Facilitator } from '@x402/core/facilitator';
import { toFacilitatorEvmSigner } from '@x402/evm';
import { BatchSettlementEvmScheme } from '@x402/evm/batch-settlement/facilitator';
import { registerExactEvmScheme } from '@x402/evm/exact/facilitator';
import { zeroAddress } from 'viem';
import type { EngineConfig } from '../../config';
import { CONTRACT_ARTIFACTS, createChainClients, networkOf, registryAddressOf } from '../../chain';
import { createEscrowContract, type EscrowContract } from '../../chain/escrow';
import { createChannelContract, type ChannelContract } from '../../chain/channels';
import { ESCROW_ADDRESS, ESCROW_COLLECTOR_ADDRESS } from '../../chain/escrow-placement';
import { createAuthCaptureEscrowFacilitatorScheme } from '../escrow/facilitator-scheme';
import { createPaymentVerificationReadClient } from './payment-verification-read-client';
import { createCodeCache, paymentVerificationReads } from './payment-verification-reads';

export type EvmFacilitator = {
  facilitator: x402Facilitator;
  address: `0x${string}`;
  network: `eip155:${number}`;
  escrow: EscrowContract;
  channels: ChannelContract;
};

export function createEvmFacilitator(
  config: EngineConfig,
  privateKey: `0x${string}` = config.keys.facilitator,
): EvmFacilitator {
  // The account carries viem's nonceManager: concurrent settlements from one key otherwise collide on the account
  // nonce (NOTES: 3-5 of 10 succeeded without it, 10 of 10 with it).
  const clients = createChainClients(config, privateKey);
  const { account, publicClient, walletClient } = clients;
  const signer = toFacilitatorEvmSigner(
    {
      address: account.address,
      readContract: (args) => publicClient.readContract(args as never),
      verifyTypedData: (args) => publicClient.verifyTypedData(args as never),
      writeContract: (args) => walletClient.writeContract(args as never),
      sendTransaction: (args) => walletClient.sendTransaction(args as never),
      waitForTransactionReceipt: (args) => publicClient.waitForTransactionReceipt(args),
      // Not cached, unlike the node's verify: settle acts on the code it reads (an ERC-6492 wallet is deployed when it
      // has none), and a code-less read kept from before a deployment would fail or repeat it after the answer.
      getCode: (args) => publicClient.getCode(args),
    },
    { confirmationTimeoutMs: 30_000 },
  );
  const network = networkOf(config);
  const facilitator = new x402Facilitator();
  registerExactEvmScheme(facilitator, { signer, networks: network });
  // auth-capture (escrow flow) into our escrow, for nodes in PAYMENT_SETTLEMENT_MODE=escrow; same key and nonce order.
  const escrow = createEscrowContract(config, clients);
  facilitator.register(
    network,
    createAuthCaptureEscrowFacilitatorScheme({
      chainId: config.chain.chainId,
      escrowAddress: ESCROW_ADDRESS,
      collectorAddress: ESCROW_COLLECTOR_ADDRESS,
      publicClient,
      escrowAbi: CONTRACT_ARTIFACTS.ProofpathEscrow.abi,
      escrow,
      signerAddress: account.address,
      // Only a verifier the settlement registry's owner enabled may be named as the one who releases a payment.
      async isRegisteredVerifier(address) {
        const registry = registryAddressOf(config);
        if (!registry) return false;
        const { abi } = CONTRACT_ARTIFACTS.SettlementRegistry;
        return (await publicClient.readContract({
          address: registry,
          abi,
          functionName: 'isVerifier',
          args: [address],
        })) as boolean;
      },
    }),
  );
  // batch-settlement (channel mode) as x402 ships it: deposits, voucher verification, claim/settle/refund payloads
  // against our channel contract at the canonical address. No authorizer key: the channel's receiverAuthorizer is the
  // engine's verifier, which signs what it authorizes itself (the facilitator advertises no receiverAuthorizer).
  facilitator.register(network, new BatchSettlementEvmScheme(signer));
  return { facilitator, address: account.address, network, escrow, channels: createChannelContract(config, clients) };
}

/** Thrown if the verify-only facilitator is ever asked to send a transaction: it has no key, by design. */
export class VerifyOnlyFacilitatorError extends EngineError<'facilitator_verify_only'> {
  override readonly name = 'VerifyOnlyFacilitatorError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('facilitator_verify_only', message, { ...options });
  }
}

export type PaymentVerifyOnlyFacilitator = Pick<x402Facilitator, 'verify'> & {
  ready: Promise<void>;
  close(): Promise<void>;
};

/**
 * The same x402 EVM exact scheme, for `verify` only: signature (EIP-712, ERC-1271/6492), recipient, amount, validity
 * window, asset contract, and a simulated transferWithAuthorization (eth_call), which the token rejects for a used
 * nonce, a short balance or a bad signature. No key: anything that would send a transaction throws.
 */
export function createPaymentVerifyOnlyFacilitator(config: EngineConfig): PaymentVerifyOnlyFacilitator {
  const reader = createPaymentVerificationReadClient(config);
  const { client } = reader;
  const refuse = (): never => {
    throw new VerifyOnlyFacilitatorError('this facilitator verifies only; settle through the facilitator process');
  };
  const network = networkOf(config);
  const codeCache = createCodeCache(config.payments.verifyCodeCacheMs);
  return {
    // One scheme instance per verification, over that verification's own reads (verification-reads.ts): they start
    // together as the payment arrives, each is made once, and nothing carries over to the next verification.
    async verify(payload, requirements) {
      const reads = paymentVerificationReads(client, codeCache);
      reads.prefetch(payload.payload, requirements);
      // Let the prefetched requests reach their sockets before x402's in-process signature check holds the thread.
      await new Promise((resolve) => setImmediate(resolve));
      const signer = toFacilitatorEvmSigner({
        address: zeroAddress, // the EIP-3009 verify path never reads the facilitator's own address
        readContract: reads.readContract as never,
        verifyTypedData: (args) => client.verifyTypedData(args as never),
        writeContract: refuse,
        sendTransaction: refuse,
        waitForTransactionReceipt: refuse,
        getCode: reads.getCode,
      });
      const facilitator = new x402Facilitator();
      registerExactEvmScheme(facilitator, { signer, networks: network });
      return facilitator.verify(payload, requirements);
    },
    ready: reader.ready,
    close: () => reader.close(),
  };
}
