// Public surface of the chain concern: clients, the compiled contracts (typed artifacts) and their deployment, the registry port, Merkle trees.
export {
  createChainClients,
  createReadClient,
  chainOf,
  networkOf,
  pollingIntervalFor,
  rpcTransport,
  type ChainClients,
} from './clients';
export { CONTRACT_ARTIFACTS, CONTRACT_BUILD } from './artifacts';
export { ContractCompilationError, CONTRACT_NAMES, type ContractName } from './compile';
export { deployContracts, DEFAULT_MINT_AMOUNT, type DeployOptions } from './deploy';
export { readDeployment, writeDeployment, deploymentFilePath, DeploymentFileError } from './deployment-file';
export { ensureDevelopmentContracts } from './ensure';
export { ensureMulticall3, MULTICALL3_ADDRESS, MulticallPlacementError } from './multicall';
export { paymentAssetOf, registryAddressOf, PaymentAssetMissingError, type PaymentAsset } from './payment-asset';
export {
  createReceiptRegistry,
  NodeNotRegisteredError,
  RegistryCommitError,
  type ReceiptRegistry,
  type Commitment,
  type CommitResult,
} from './registry';
export {
  buildMerkleTree,
  merkleProof,
  verifyMerkleProof,
  merkleLeaf,
  hashPair,
  EmptyMerkleTreeError,
  type MerkleTree,
} from './merkle';
export { tokenBalanceOf } from './token';
export { checkTokenDomain, TokenDomainMismatchError, type TokenDomainCheck } from './token-domain';
export { fundDevelopmentAccount, fundedDevelopmentKey } from './dev-accounts';
export { registerNodeOnRegistry } from './register-node';
export { ensureEscrowContracts, ESCROW_ADDRESS, ESCROW_COLLECTOR_ADDRESS } from './escrow-placement';
export { CanonicalPlacementError } from './canonical-placement';
export { ChainClientReadOnlyError } from './read-only';
export { ensureChannelContracts, CHANNELS_ADDRESS, CHANNEL_DEPOSIT_COLLECTOR_ADDRESS } from './channel-placement';
export {
  createEscrowContract,
  releaseTypedData,
  type EscrowContract,
  type EscrowHold,
  type EscrowAction,
  type EscrowEvent,
} from './escrow';
export {
  createChannelContract,
  channelIdOf,
  channelDomain,
  voucherTypedData,
  chargeVerdictTypedData,
  chargeKeyOf,
  ChannelWriteError,
  type ChannelContract,
  type ChannelConfig,
  type Charge,
  type ChargeClaim,
  type ChargeState,
  type ChargeVerdictKind,
  type ChannelBalance,
} from './channels';
