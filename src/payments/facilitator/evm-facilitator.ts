// Wires the official x402 facilitator (`x402Facilitator` + the EVM exact scheme) to a viem account on our chain, and a
// verify-only twin over a read-only client (no key) that a resource server runs in its own process.
import { x402Facilitator } from '@x402/core/facilitator';
import { toFacilitatorEvmSigner } from '@x402/evm';
import { registerExactEvmScheme } from '@x402/evm/exact/facilitator';
import { zeroAddress } from 'viem';
import type { EngineConfig } from '../../config';
import { createChainClients, networkOf } from '../../chain';
import { createVerifyReadClient } from './verify-read-client';

export type EvmFacilitator = { facilitator: x402Facilitator; address: `0x${string}`; network: `eip155:${number}` };

export function createEvmFacilitator(config: EngineConfig, privateKey: `0x${string}` = config.keys.facilitator): EvmFacilitator {
  // The account carries viem's nonceManager: concurrent settlements from one key otherwise collide on the account
  // nonce (NOTES: 3-5 of 10 succeeded without it, 10 of 10 with it).
  const { account, publicClient, walletClient } = createChainClients(config, privateKey);
  const signer = toFacilitatorEvmSigner(
    {
      address: account.address,
      readContract: (args) => publicClient.readContract(args as never),
      verifyTypedData: (args) => publicClient.verifyTypedData(args as never),
      writeContract: (args) => walletClient.writeContract(args as never),
      sendTransaction: (args) => walletClient.sendTransaction(args as never),
      waitForTransactionReceipt: (args) => publicClient.waitForTransactionReceipt(args),
      getCode: (args) => publicClient.getCode(args),
    },
    { confirmationTimeoutMs: 30_000 },
  );
  const network = networkOf(config);
  const facilitator = new x402Facilitator();
  registerExactEvmScheme(facilitator, { signer, networks: network });
  return { facilitator, address: account.address, network };
}

/** Thrown if the verify-only facilitator is ever asked to send a transaction: it has no key, by design. */
export class VerifyOnlyFacilitatorError extends Error {
  override readonly name = 'VerifyOnlyFacilitatorError';
  readonly code = 'facilitator_verify_only';
  readonly retryable = false;
}

export type VerifyOnlyFacilitator = Pick<x402Facilitator, 'verify'> & { ready: Promise<void>; close(): Promise<void> };

/**
 * The same x402 EVM exact scheme, for `verify` only: signature (EIP-712, ERC-1271/6492), recipient, amount, validity
 * window, asset contract, and a simulated transferWithAuthorization (eth_call), which the token rejects for a used
 * nonce, a short balance or a bad signature. No key: anything that would send a transaction throws.
 */
export function createVerifyOnlyFacilitator(config: EngineConfig): VerifyOnlyFacilitator {
  const reader = createVerifyReadClient(config);
  const { client } = reader;
  const refuse = (): never => {
    throw new VerifyOnlyFacilitatorError('this facilitator verifies only; settle through the facilitator process');
  };
  const network = networkOf(config);
  return {
    // One scheme instance per verification, so that its signer can read each address's code once: x402's verify asks
    // for the payer's code twice in a row (ERC-6492 classification, then the signature check). Within one
    // verification that is the same answer; across verifications nothing is cached. The simulated transfer that
    // follows runs on current chain state either way.
    verify(payload, requirements) {
      const codeOf = new Map<string, ReturnType<typeof client.getCode>>();
      const signer = toFacilitatorEvmSigner({
        address: zeroAddress, // the EIP-3009 verify path never reads the facilitator's own address
        readContract: (args) => client.readContract(args as never),
        verifyTypedData: (args) => client.verifyTypedData(args as never),
        writeContract: refuse,
        sendTransaction: refuse,
        waitForTransactionReceipt: refuse,
        getCode(args) {
          const key = args.address.toLowerCase();
          const known = codeOf.get(key);
          if (known) return known;
          const read = client.getCode(args);
          codeOf.set(key, read);
          read.catch(() => codeOf.delete(key)); // a failed read is asked again, not remembered
          return read;
        },
      });
      const facilitator = new x402Facilitator();
      registerExactEvmScheme(facilitator, { signer, networks: network });
      return facilitator.verify(payload, requirements);
    },
    ready: reader.ready,
    close: () => reader.close(),
  };
}
