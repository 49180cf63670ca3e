// Waits for a transaction receipt by asking for it on an interval, whatever the chain does meanwhile.
//
// viem's waitForTransactionReceipt asks again only when it sees a new block. On a chain that mines one block per
// transaction (anvil's automine) and is otherwise quiet, a receipt missed at the block that carries it (a transient RPC
// error swallowed there, or receipts readable a moment after the block number) may not be asked for again, and the wait
// runs to its three-minute timeout. That is our suspected cause of two CI timeouts (batch-merkle, deploy-accounts) on
// transactions from fresh keys; a unit fake did not reproduce it. Polling the receipt itself removes the dependency on
// block production either way.
import {
  TransactionReceiptNotFoundError,
  WaitForTransactionReceiptTimeoutError,
  type Chain,
  type Hash,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
} from 'viem';
import { getTransactionReceipt } from 'viem/actions';

export type ReceiptWait = { hash: Hash; timeout?: number; pollingInterval?: number };

export async function pollTransactionReceipt(
  client: PublicClient<Transport, Chain>,
  { hash, timeout = 180_000, pollingInterval }: ReceiptWait,
): Promise<TransactionReceipt> {
  const interval = pollingInterval ?? client.pollingInterval;
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await getTransactionReceipt(client, { hash });
    } catch (error) {
      // Not mined yet, or the node hiccuped: both are worth asking again until the deadline.
      if (!(error instanceof TransactionReceiptNotFoundError) && Date.now() >= deadline) throw error;
    }
    if (Date.now() >= deadline) throw new WaitForTransactionReceiptTimeoutError({ hash });
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** A public client whose waitForTransactionReceipt polls the receipt (see above); every other action is viem's. */
export function withReceiptPolling(client: PublicClient<Transport, Chain>): PublicClient<Transport, Chain> {
  return client.extend((base) => ({
    waitForTransactionReceipt: (args: ReceiptWait) =>
      pollTransactionReceipt(base as PublicClient<Transport, Chain>, args),
  })) as unknown as PublicClient<Transport, Chain>;
}
