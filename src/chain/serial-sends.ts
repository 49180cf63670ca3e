// One transaction broadcast at a time per account and chain, within this process.
//
// viem's nonceManager hands out nonces before a transaction is prepared. When several sends from one key run at once
// and one of them fails before it is broadcast (gas estimation reverts, an RPC call times out), its nonce is never
// used: every later transaction from the key waits behind the gap, and nothing fills it. Running prepare + sign +
// broadcast one after another per key (not the wait for the receipt, which stays concurrent) closes that hole: a
// failed send releases its nonce before the next one asks for one. Across processes the rule is simpler still: a key
// that sends transactions belongs to exactly one process.
import { sendTransaction } from 'viem/actions';
import {
  walletActions,
  type Account,
  type Chain,
  type Client,
  type Hash,
  type Transport,
  type WalletClient,
} from 'viem';

const tails = new Map<string, Promise<void>>();

/** Runs `task` after every earlier task queued under `key` has settled (fulfilled or rejected). */
export function inSendOrder<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.then(task);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return run;
}

/** A client extension whose `sendTransaction` waits its turn among this account's sends. */
function serialSends(client: Client<Transport, Chain, Account>): {
  sendTransaction(parameters: unknown): Promise<Hash>;
} {
  const key = `${client.chain.id}:${client.account.address.toLowerCase()}`;
  return { sendTransaction: (parameters) => inSendOrder(key, () => sendTransaction(client, parameters as never)) };
}

/**
 * viem's wallet actions over `client`, with every broadcast serialized per account. The extension goes in before the
 * wallet actions, because viem's `writeContract` and `deployContract` look `sendTransaction` up on the client they were
 * built on, and again after them, because the wallet actions bring their own direct `sendTransaction`.
 */
export function serialWalletClient(client: Client<Transport, Chain, Account>): WalletClient<Transport, Chain, Account> {
  type Extendable = { extend(extension: (client: never) => object): Extendable };
  return (client as unknown as Extendable)
    .extend(serialSends as never)
    .extend(walletActions as never)
    .extend(serialSends as never) as unknown as WalletClient<Transport, Chain, Account>;
}
