// Which token the engine is paid in: a configured existing EIP-3009 token (address + EIP-712 domain, e.g. USDC),
// or the development token recorded in contracts.json. Nothing else about the token is assumed.
import { EngineError } from '../errors';
import { getAddress } from 'viem';
import type { EngineConfig } from '../config';
import { readDeployment } from './deployment-file';

export type PaymentAsset = {
  network: `eip155:${number}`;
  address: `0x${string}`;
  /** EIP-712 domain of the token; x402 clients sign TransferWithAuthorization against it (EIP-3009, x402 exact/evm). */
  eip712: { name: string; version: string };
};

export class PaymentAssetMissingError extends EngineError<'payment_asset_missing'> {
  override readonly name = 'PaymentAssetMissingError';
  constructor() {
    super(
      'payment_asset_missing',
      'no payment token: set PAYMENT_TOKEN_ADDRESS (and its EIP-712 name/version) or run `proofpath contracts-deploy`',
    );
  }
}

export function paymentAssetOf(config: EngineConfig): PaymentAsset {
  const network = `eip155:${config.chain.chainId}` as const;
  if (config.chain.tokenAddress) {
    return {
      network,
      address: getAddress(config.chain.tokenAddress),
      eip712: { name: config.chain.tokenName, version: config.chain.tokenVersion },
    };
  }
  const deployment = readDeployment(config);
  if (!deployment || deployment.chainId !== config.chain.chainId) throw new PaymentAssetMissingError();
  return {
    network,
    address: deployment.token.address,
    eip712: { name: deployment.token.name, version: deployment.token.version },
  };
}

export function registryAddressOf(config: EngineConfig): `0x${string}` | undefined {
  if (config.chain.registryAddress) return getAddress(config.chain.registryAddress);
  const deployment = readDeployment(config);
  return deployment && deployment.chainId === config.chain.chainId ? deployment.registry.address : undefined;
}
