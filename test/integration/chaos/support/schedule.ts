// The chaos run's workload and fault schedule, drawn from one seed (printed, so a failing run can be replayed): which
// events are procurement or routing, which need approval or get cancelled, and which fault fires after which event.

export const FAULT_KINDS = [
  'kill_worker',
  'kill_bridge',
  'restart_kafka',
  'restart_temporal',
  'node_crash_after_verify',
  'facilitator_down',
  'chain_rpc_errors',
  'slow_proof',
  'redeliver',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type PlannedEvent = {
  kind: 'procurement' | 'routing';
  /** Procurement above the approval threshold: the ERP approves it through the `approve` update. */
  needsApproval: boolean;
  /** A `requisition.cancelled` follows this event after `cancelAfterMs`. */
  cancelAfterMs?: number;
};
export type FaultStep = { afterEvent: number; fault: FaultKind };
export type ChaosPlan = { events: PlannedEvent[]; faults: FaultStep[] };

/** mulberry32: a small seeded generator, so a failing schedule can be replayed by its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How many of each fault a run of `decisions` gets: every kind at least once, the cheap ones more often. */
export function faultCounts(decisions: number): Record<FaultKind, number> {
  const per = (n: number) => Math.max(1, Math.round(decisions / n));
  return {
    kill_worker: per(25),
    kill_bridge: per(40),
    restart_kafka: per(100),
    restart_temporal: per(100),
    node_crash_after_verify: per(40),
    facilitator_down: per(100),
    chain_rpc_errors: per(40),
    slow_proof: per(30),
    redeliver: per(7),
  };
}

export function planChaos(seed: number, decisions: number): ChaosPlan {
  const random = seeded(seed);
  const events: PlannedEvent[] = Array.from({ length: decisions }, () => {
    const procurement = random() < 0.55;
    if (!procurement) return { kind: 'routing', needsApproval: false };
    const needsApproval = random() < 0.3;
    const cancelled = random() < 0.15;
    return {
      kind: 'procurement',
      needsApproval,
      ...(cancelled ? { cancelAfterMs: 500 + Math.floor(random() * 8_000) } : {}),
    };
  });
  const faults: FaultStep[] = [];
  for (const [fault, count] of Object.entries(faultCounts(decisions)) as Array<[FaultKind, number]>)
    for (let i = 0; i < count; i++)
      // Not after the last event: a fault must land while decisions are still flowing.
      faults.push({ afterEvent: 1 + Math.floor(random() * Math.max(1, decisions - 2)), fault });
  faults.sort((a, b) => a.afterEvent - b.afterEvent || FAULT_KINDS.indexOf(a.fault) - FAULT_KINDS.indexOf(b.fault));
  return { events, faults };
}
