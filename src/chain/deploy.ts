// Deploys the development token (unless an existing EIP-3009 token is configured), the settlement registry and the
// Multicall3 stand-in; registers the node, enables the verifier, and mints development tokens to the payer accounts.
import { getAddress, type Abi, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { anvilAccounts, ConfigError, type EngineConfig } from '../config';
import type { ChainDeployment } from '../contracts/chain-deployment';
import type { Logger } from '../log';
import { createChainClients, type ChainClients } from './clients';
import { CONTRACT_ARTIFACTS as artifacts, CONTRACT_BUILD } from './artifacts';
import { ensureMulticall3, MULTICALL3_ADDRESS } from './multicall';

export type DeployOptions = {
  config: EngineConfig;
  logger: Logger;
  /** Who receives development tokens; defaults to anvil accounts 4..39 (the payers). */
  mintTo?: readonly `0x${string}`[];
  /** Token units minted to each recipient; defaults to 1,000,000 tokens (6 decimals). */
  mintAmount?: bigint;
  /** Extra node addresses to register besides the configured node key's address. */
  extraNodes?: readonly `0x${string}`[];
};

export const DEFAULT_MINT_AMOUNT = 1_000_000n * 1_000_000n;
const DEV_TOKEN_SYMBOL = 'pUSD';

/** The account to register: given as an address, else derived from the key (which a production deployer need not hold). */
function accountToRegister(
  given: `0x${string}` | undefined,
  key: () => `0x${string}`,
  variable: string,
): `0x${string}` {
  if (given) return getAddress(given);
  try {
    return privateKeyToAccount(key()).address;
  } catch (error) {
    if (error instanceof ConfigError)
      throw new ConfigError([...error.problems, `or set ${variable} to the account's address`]);
    throw error;
  }
}

async function deployContract(
  clients: ChainClients,
  abi: Abi,
  bytecode: Hex,
  args: readonly unknown[],
): Promise<`0x${string}`> {
  const hash = await clients.walletClient.deployContract({ abi, bytecode, args });
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success' || !receipt.contractAddress)
    throw new Error(`deployment transaction ${hash} failed`);
  return getAddress(receipt.contractAddress);
}

async function sendAll(clients: ChainClients, writes: Array<() => Promise<Hex>>): Promise<void> {
  // Sent concurrently (the nonce manager orders them), then awaited together: one block wait instead of one per call.
  const hashes = await Promise.all(writes.map((write) => write()));
  const receipts = await Promise.all(hashes.map((hash) => clients.publicClient.waitForTransactionReceipt({ hash })));
  const failed = receipts.find((r) => r.status !== 'success');
  if (failed) throw new Error(`transaction ${failed.transactionHash} reverted`);
}

export async function deployContracts(options: DeployOptions): Promise<ChainDeployment> {
  const { config, logger } = options;
  const deployer = createChainClients(config, config.keys.deployer);
  const nodeAddress = accountToRegister(config.chain.nodeAddress, () => config.keys.node, 'NODE_ADDRESS');
  const verifierAddress = accountToRegister(
    config.chain.verifierAddress,
    () => config.keys.verifier,
    'VERIFIER_ADDRESS',
  );

  let token: ChainDeployment['token'];
  if (config.chain.tokenAddress) {
    // An existing EIP-3009 token (e.g. USDC): only its address and EIP-712 domain are used, nothing is minted.
    const decimals = (await deployer.publicClient.readContract({
      address: config.chain.tokenAddress,
      abi: artifacts.ProofpathToken.abi,
      functionName: 'decimals',
    })) as number;
    token = {
      address: getAddress(config.chain.tokenAddress),
      name: config.chain.tokenName,
      version: config.chain.tokenVersion,
      symbol: 'external',
      decimals,
    };
  } else {
    const address = await deployContract(deployer, artifacts.ProofpathToken.abi, artifacts.ProofpathToken.bytecode, [
      config.chain.tokenName,
      config.chain.tokenVersion,
      DEV_TOKEN_SYMBOL,
    ]);
    token = {
      address,
      name: config.chain.tokenName,
      version: config.chain.tokenVersion,
      symbol: DEV_TOKEN_SYMBOL,
      decimals: 6,
    };
  }
  const registry = await deployContract(
    deployer,
    artifacts.SettlementRegistry.abi,
    artifacts.SettlementRegistry.bytecode,
    [],
  );
  await ensureMulticall3(deployer.publicClient, artifacts.Multicall3Lite.deployedBytecode);

  const nodes = [nodeAddress, ...(options.extraNodes ?? [])];
  const registryAbi = artifacts.SettlementRegistry.abi;
  const writes: Array<() => Promise<Hex>> = [
    ...nodes.map(
      (node) => () =>
        deployer.walletClient.writeContract({
          address: registry,
          abi: registryAbi,
          functionName: 'registerNode',
          args: [node],
        }),
    ),
    () =>
      deployer.walletClient.writeContract({
        address: registry,
        abi: registryAbi,
        functionName: 'setVerifier',
        args: [verifierAddress, true],
      }),
  ];
  if (!config.chain.tokenAddress) {
    const recipients =
      options.mintTo ??
      anvilAccounts()
        .slice(4)
        .map((a) => a.address);
    const amount = options.mintAmount ?? DEFAULT_MINT_AMOUNT;
    for (const to of recipients) {
      writes.push(() =>
        deployer.walletClient.writeContract({
          address: token.address,
          abi: artifacts.ProofpathToken.abi,
          functionName: 'mint',
          args: [to, amount],
        }),
      );
    }
  }
  await sendAll(deployer, writes);

  const deployment: ChainDeployment = {
    chainId: config.chain.chainId,
    rpcUrl: config.chain.rpcUrl,
    sourceHash: CONTRACT_BUILD.sourceHash,
    deployedAt: new Date().toISOString(),
    deployer: deployer.account.address,
    token,
    registry: { address: registry },
    multicall3: { address: MULTICALL3_ADDRESS },
    registeredNodes: nodes,
  };
  logger.info({ token: token.address, registry, nodes }, 'contracts deployed');
  return deployment;
}
