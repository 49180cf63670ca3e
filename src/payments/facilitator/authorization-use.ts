// Finds on chain the transfer an EIP-3009 authorization made, for settlements whose outcome the facilitator lost: a
// transaction that landed after the facilitator stopped waiting, or one sent before a restart. EIP-3009 tokens (USDC
// among them) emit AuthorizationUsed(authorizer, nonce) in the transaction that uses an authorization; the Transfer in
// that same transaction must be the one the authorization signed (same payer, recipient and amount).
import { parseAbiItem, type Hex } from 'viem';
import type { EngineConfig } from '../../config';
import { createReadClient } from '../../chain';

const AUTHORIZATION_USED = parseAbiItem('event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce)');
const TRANSFER = parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)');
/** How far back to look: settlement windows are minutes (PAYMENT_MAX_TIMEOUT_SECONDS); this is hours on any chain. */
const LOOKBACK_BLOCKS = 50_000n;

export type AuthorizationTransfer = { asset: Hex; from: Hex; to: Hex; value: bigint; nonce: Hex };
export type AuthorizationUseFinder = (transfer: AuthorizationTransfer) => Promise<{ transaction: Hex } | undefined>;

export function createAuthorizationUseFinder(config: Pick<EngineConfig, 'chain'>): AuthorizationUseFinder {
  const client = createReadClient(config);
  return async ({ asset, from, to, value, nonce }) => {
    const latest = await client.getBlockNumber();
    const fromBlock = latest > LOOKBACK_BLOCKS ? latest - LOOKBACK_BLOCKS : 0n;
    const uses = await client.getLogs({
      address: asset,
      event: AUTHORIZATION_USED,
      args: { authorizer: from, nonce },
      fromBlock,
      toBlock: latest,
    });
    for (const use of uses) {
      if (!use.transactionHash) continue;
      const transfers = await client.getLogs({
        address: asset,
        event: TRANSFER,
        args: { from, to },
        blockHash: use.blockHash as Hex,
      });
      if (transfers.some((t) => t.transactionHash === use.transactionHash && t.args.value === value))
        return { transaction: use.transactionHash };
    }
    return undefined;
  };
}
