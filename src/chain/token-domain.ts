// Checks that the EIP-712 domain the engine will advertise for a token (name, version, chain id, address) is the one
// the token itself uses, by comparing domain separators. A wrong name or version (say "USD Coin" version "1" where the
// deployment uses version "2") would otherwise make every payment signature invalid, each refused as a bad signature.
import { EngineError } from '../errors';
import { domainSeparator, parseAbi, type Hex } from 'viem';
import type { EngineConfig } from '../config';
import { createReadClient } from './clients';
import type { PaymentAsset } from './payment-asset';

const DOMAIN_SEPARATOR_ABI = parseAbi(['function DOMAIN_SEPARATOR() view returns (bytes32)']);

export class TokenDomainMismatchError extends EngineError<'payment_asset_domain_mismatch'> {
  override readonly name = 'TokenDomainMismatchError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('payment_asset_domain_mismatch', message, { ...options });
  }
}

export type TokenDomainCheck = { checked: true } | { checked: false; reason: string };

/** Throws TokenDomainMismatchError on a mismatch; a token without DOMAIN_SEPARATOR() cannot be checked (returned). */
export async function checkTokenDomain(
  config: Pick<EngineConfig, 'chain'>,
  asset: PaymentAsset,
): Promise<TokenDomainCheck> {
  let onChain: Hex;
  try {
    onChain = await createReadClient(config).readContract({
      address: asset.address,
      abi: DOMAIN_SEPARATOR_ABI,
      functionName: 'DOMAIN_SEPARATOR',
    });
  } catch (error) {
    return { checked: false, reason: `DOMAIN_SEPARATOR() unreadable: ${(error as Error).message.split('\n')[0]}` };
  }
  const expected = domainSeparator({
    domain: {
      name: asset.eip712.name,
      version: asset.eip712.version,
      chainId: config.chain.chainId,
      verifyingContract: asset.address,
    },
  });
  if (onChain.toLowerCase() !== expected.toLowerCase()) {
    throw new TokenDomainMismatchError(
      `token ${asset.address} on chain ${config.chain.chainId} does not use the EIP-712 domain {name: "${asset.eip712.name}", version: "${asset.eip712.version}"}: ` +
        'check PAYMENT_TOKEN_EIP712_NAME and PAYMENT_TOKEN_EIP712_VERSION against the token',
    );
  }
  return { checked: true };
}
