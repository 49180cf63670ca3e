// The three proxies of a chaos run and what each injects, counted from the proxy's side (an independent record):
//   - chain RPC: during a window, a seeded share of JSON-RPC calls fails (HTTP 503, before reaching anvil, so no
//     transaction is half sent) or is delayed;
//   - node B's facilitator: when armed, the next successful /verify is answered by killing node B instead;
//   - node B itself: when armed, the next receipt whose proof is asked for gets "not yet" (404) forever, i.e. a proof
//     slower than the verification timeout.
import { seeded } from './schedule';
import { startFaultProxy, type FaultProxy } from './fault-proxy';

export type ChainFaultProxy = FaultProxy & {
  /** Fails `failShare` and delays `delayShare` of the calls for `ms`. */
  openWindow(ms: number): void;
  injected: { failed: number; delayed: number };
};

export async function startChainFaultProxy(anvilUrl: string, seed: number): Promise<ChainFaultProxy> {
  const random = seeded(seed ^ 0x5eed);
  const injected = { failed: 0, delayed: 0 };
  let openUntil = 0;
  const proxy = await startFaultProxy(anvilUrl, {
    async before() {
      if (Date.now() > openUntil) return undefined;
      const r = random();
      if (r < 0.2) {
        injected.failed += 1;
        return { answer: { status: 503, body: Buffer.from('{"error":"chaos: rpc unavailable"}') } };
      }
      if (r < 0.35) {
        injected.delayed += 1;
        return { delayMs: 200 + Math.floor(random() * 1_300) };
      }
      return undefined;
    },
  });
  return { ...proxy, injected, openWindow: (ms) => void (openUntil = Date.now() + ms) };
}

export type CrashAfterVerifyProxy = FaultProxy & {
  /** The next /verify the facilitator accepts kills the node (`crash`) and the node never gets the answer. */
  arm(crash: () => void): void;
  crashes: number;
};

export async function startCrashAfterVerifyProxy(facilitatorUrl: string): Promise<CrashAfterVerifyProxy> {
  let armed: (() => void) | undefined;
  const state = { crashes: 0 };
  const proxy = await startFaultProxy(facilitatorUrl, {
    async after(request, answer) {
      if (!armed || request.url !== '/verify' || answer.status !== 200) return 'deliver';
      if ((JSON.parse(answer.body.toString()) as { isValid?: boolean }).isValid !== true) return 'deliver';
      const crash = armed;
      armed = undefined;
      state.crashes += 1;
      crash();
      return 'drop';
    },
  });
  return {
    ...proxy,
    arm: (crash) => void (armed = crash),
    get crashes() {
      return state.crashes;
    },
  };
}

export type ProofHoldProxy = FaultProxy & {
  /** The next receipt whose proof is requested (and not held already) has its proof withheld for good. */
  arm(): void;
  held: Set<string>;
};

export async function startProofHoldProxy(nodeUrl: string): Promise<ProofHoldProxy> {
  const held = new Set<string>();
  let armed = 0;
  const proof = /^\/v1\/receipts\/([^/]+)\/proof$/;
  const proxy = await startFaultProxy(nodeUrl, {
    async before(request) {
      const match = proof.exec(request.url);
      if (!match) return undefined;
      const receiptId = decodeURIComponent(match[1] as string).toLowerCase();
      if (armed > 0 && !held.has(receiptId)) {
        armed -= 1;
        held.add(receiptId);
      }
      // 404 is "not queued yet" to the verifier, which keeps asking until its proof timeout.
      return held.has(receiptId) ? { answer: { status: 404, body: Buffer.from('{}') } } : undefined;
    },
  });
  return { ...proxy, held, arm: () => void (armed += 1) };
}
