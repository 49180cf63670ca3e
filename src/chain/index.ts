// Public surface of the chain concern: clients, contract compilation and deployment, the registry port, Merkle trees.
export { createChainClients, createReadClient, chainOf, networkOf, pollingIntervalFor, type ChainClients } from './clients';
export { loadContractArtifacts, ContractCompilationError, CONTRACTS_DIR, CONTRACT_NAMES, type ContractArtifacts, type ContractName } from './compile';
export { deployContracts, DEFAULT_MINT_AMOUNT, type DeployOptions } from './deploy';
export { readDeployment, writeDeployment, deploymentFilePath, DeploymentFileError } from './deployment-file';
export { ensureDevelopmentContracts } from './ensure';
export { ensureMulticall3, MULTICALL3_ADDRESS, MulticallPlacementError } from './multicall';
export { paymentAssetOf, registryAddressOf, PaymentAssetMissingError, type PaymentAsset } from './payment-asset';
export { createReceiptRegistry, NodeNotRegisteredError, RegistryCommitError, type ReceiptRegistry, type Commitment, type CommitResult } from './registry';
export { buildMerkleTree, merkleProof, verifyMerkleProof, merkleLeaf, hashPair, EmptyMerkleTreeError, type MerkleTree } from './merkle';
export { tokenBalanceOf } from './token';
export { checkTokenDomain, TokenDomainMismatchError, type TokenDomainCheck } from './token-domain';
export { fundedDevelopmentKey } from './dev-accounts';
export { registerNodeOnRegistry } from './register-node';
