// Offered load and what came of it: sends requisition events onto a lane's input topic at a fixed rate (bounded in count
// and time), and watches its decisions and verdicts topics to time each decision from event in to `decision.acted` out
// (the fast path) and from acted to `decision.verified` (time to verdict), plus the verdict backlog over time.
import fs from 'node:fs';
import path from 'node:path';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { percentile } from '../report';

const SAMPLE_EVENT = path.resolve(__dirname, '../../examples/requisition-created.json');

export type DecisionTimes = {
  sentAt: number;
  actedAt?: number;
  verifiedAt?: number;
  rolledBackAt?: number;
  failedAt?: number;
};
export type CheckDurations = { attestation: number[]; proof: number[]; reexecution: number[] };
export type Latency = { count: number; p50Ms: number; p90Ms: number; p99Ms: number; maxMs: number };
export type StepResult = {
  offeredPerSec: number;
  sent: number;
  acted: number;
  actedPerSec: number;
  fastPath: Latency;
  /** Decisions of the step that reached a verdict outcome (verified, rolled back, failed) within the verdict wait. */
  verdicts: number;
  /** Verdict outcomes per second between the step's first and last one (as actedPerSec is for acts). */
  verdictsPerSec: number;
  /** Decisions carried all the way through, acted and judged, per second: the lower of the two rates. */
  completedPerSec: number;
  /** The fast path fell behind the offered rate (fewer than 90% acted in time, or acted below 85% of offered). */
  actsBehind: boolean;
  /** Verification fell behind the fast path (fewer than 90% of acts judged, or verdicts below 85% of the acted rate):
   *  kept up at this rate, the verdict backlog would grow without bound. */
  verdictsBehind: boolean;
  /** actsBehind or verdictsBehind: the lane is offered no higher rate. */
  saturated: boolean;
};
/** A step as the fast path saw it, before its verdicts are in (LaneObserver.judge completes it). */
export type OfferedStep = Pick<
  StepResult,
  'offeredPerSec' | 'sent' | 'acted' | 'actedPerSec' | 'fastPath' | 'actsBehind'
>;

/**
 * Completions per second between the first and the last of `times`: a lane that keeps up completes as fast as it is
 * offered whatever its latency; one that cannot falls behind, and its last completion drifts later. (Counting from the
 * first send instead charged every lane its latency once per step as lost throughput: at 2/s for 10 s a lane keeping
 * up with a 1.8 s fast path measured 1.77/s, so the slower lane looked saturated when it was not.)
 */
export function completionRate(times: number[]): number {
  if (times.length < 2) return 0;
  const span = Math.max(...times) - Math.min(...times);
  return span > 0 ? ((times.length - 1) * 1000) / span : 0;
}

/** A step completed by the times its acted decisions reached a verdict outcome (see LaneObserver.judge). */
export function judgeStep(step: OfferedStep, verdictTimes: number[]): StepResult {
  // Verdicts that all came at one instant have no span to count over: they kept pace with anything.
  const rate = completionRate(verdictTimes);
  const verdictsPerSec = rate === 0 && verdictTimes.length > 1 ? step.actedPerSec : rate;
  // Against the acted rate, but never more than was offered: acts that bunched up (a burst after a stall) may
  // complete faster than the offered rate for a while, and a verifier keeping pace with the offer is not behind.
  const pace = Math.min(step.actedPerSec, step.offeredPerSec);
  const verdictsBehind = verdictTimes.length < 0.9 * step.acted || verdictsPerSec < 0.85 * pace;
  return {
    ...step,
    verdicts: verdictTimes.length,
    verdictsPerSec,
    completedPerSec: Math.min(step.actedPerSec, verdictsPerSec),
    verdictsBehind,
    saturated: step.actsBehind || verdictsBehind,
  };
}

export type BacklogSample = { atSec: number; awaitingAct: number; awaitingVerdict: number };

export function latencyOf(samplesMs: number[]): Latency {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? Number.NaN,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Watches one lane's output topics; every timestamp is this process's clock, like the send times. */
export class LaneObserver {
  readonly decisions = new Map<string, DecisionTimes>();
  readonly checks: CheckDurations = { attestation: [], proof: [], reexecution: [] };
  readonly backlog: BacklogSample[] = [];
  private consumer?: Consumer;
  private producer?: Producer;
  private sampler?: NodeJS.Timeout;
  private readonly startedAt = Date.now();
  private readonly template = JSON.parse(fs.readFileSync(SAMPLE_EVENT, 'utf8')) as {
    id: string;
    subject: string;
    time: string;
    data: Record<string, unknown>;
  };

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: { input: string; decisions: string; verdicts: string },
    private readonly tag: string,
  ) {}

  async start(): Promise<void> {
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.consumer = this.kafka.consumer({ groupId: `bench-observer-${this.tag}`, maxWaitTimeInMs: 100 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.topics.decisions, this.topics.verdicts], fromBeginning: true });
    const joined = new Promise<void>((resolve) => this.consumer?.on(this.consumer.events.GROUP_JOIN, () => resolve()));
    await this.consumer.run({
      eachMessage: async ({ topic, message }) => this.onMessage(topic, String(message.value ?? 'null')),
    });
    await Promise.race([joined, sleep(30_000)]);
    this.sampler = setInterval(() => this.sampleBacklog(), 1_000);
  }

  private onMessage(topic: string, value: string): void {
    const at = Date.now();
    const parsed = JSON.parse(value) as {
      type?: string;
      data?: { decisionId?: string };
      checks?: Record<string, { durationMs?: number }>;
    };
    if (topic === this.topics.verdicts) {
      for (const name of ['attestation', 'proof', 'reexecution'] as const) {
        const ms = parsed.checks?.[name]?.durationMs;
        if (ms !== undefined) this.checks[name].push(ms);
      }
      return;
    }
    const times = this.decisions.get(parsed.data?.decisionId ?? '');
    if (!times) return;
    if (parsed.type === 'decision.acted') times.actedAt ??= at;
    else if (parsed.type === 'decision.verified') times.verifiedAt ??= at;
    else if (parsed.type === 'decision.rolled_back') times.rolledBackAt ??= at;
    else if (parsed.type === 'decision.failed') times.failedAt ??= at;
  }

  private sampleBacklog(): void {
    let awaitingAct = 0;
    let awaitingVerdict = 0;
    for (const t of this.decisions.values()) {
      if (t.actedAt === undefined && t.failedAt === undefined && t.rolledBackAt === undefined) awaitingAct += 1;
      else if (t.actedAt !== undefined && t.verifiedAt === undefined && t.rolledBackAt === undefined)
        awaitingVerdict += 1;
    }
    this.backlog.push({ atSec: (Date.now() - this.startedAt) / 1000, awaitingAct, awaitingVerdict });
  }

  /** One requisition (no quantity: a demand forecast and a supplier-risk score, both paid) with a unique business key. */
  private event(sequence: number): { decisionId: string; value: string; key: string } {
    const requisitionId = `BENCH-${this.tag}-${sequence}`;
    const event = {
      ...this.template,
      id: `evt-${requisitionId}`,
      subject: requisitionId,
      time: new Date().toISOString(),
      data: { ...this.template.data, requisitionId },
    };
    return { decisionId: `procurement-${requisitionId}`, key: requisitionId, value: JSON.stringify(event) };
  }

  private sequence = 0;

  /**
   * Offers `count` decisions at `perSec`, then waits (at most `settleMs` after the last send) for each to act. The
   * fast path is behind when fewer than 90% acted in time or the acted rate (completionRate of the acts) fell below 85%
   * of the offered one.
   */
  async offer(
    perSec: number,
    count: number,
    settleMs: number,
  ): Promise<{ step: OfferedStep; ids: string[]; actedIds: string[] }> {
    const ids: string[] = [];
    const started = Date.now();
    const sends: Array<Promise<unknown>> = [];
    for (let i = 0; i < count; i++) {
      const due = started + (i * 1000) / perSec;
      if (due > Date.now()) await sleep(due - Date.now());
      const { decisionId, key, value } = this.event(this.sequence++);
      ids.push(decisionId);
      this.decisions.set(decisionId, { sentAt: Date.now() });
      sends.push(this.producer!.send({ topic: this.topics.input, acks: -1, messages: [{ key, value }] }));
    }
    await Promise.all(sends);
    const deadline = Date.now() + settleMs;
    const finishedFastPath = () =>
      ids.every((id) => {
        const t = this.decisions.get(id)!;
        return t.actedAt ?? t.failedAt ?? t.rolledBackAt;
      });
    while (!finishedFastPath() && Date.now() < deadline) await sleep(100);
    const actedIds = ids.filter((id) => this.decisions.get(id)!.actedAt !== undefined);
    const acted = actedIds.map((id) => this.decisions.get(id)!);
    const actedPerSec = completionRate(acted.map((t) => t.actedAt!));
    const actsBehind = acted.length < 0.9 * count || actedPerSec < 0.85 * perSec;
    return {
      ids,
      actedIds,
      step: {
        offeredPerSec: perSec,
        sent: count,
        acted: acted.length,
        actedPerSec,
        fastPath: latencyOf(acted.map((t) => t.actedAt! - t.sentAt)),
        actsBehind,
      },
    };
  }

  /**
   * Completes a step once its verdicts are in (or the verdict wait ended): how fast verification judged what the fast
   * path acted on within the step (`actedIds` from `offer`; a decision that acted only after the step's wait is not
   * the step's). A lane whose verification cannot keep up acts at its rate only while the verdict backlog grows, so
   * its sustainable rate is the verdict rate; a step counts at the lower of the two (completedPerSec).
   */
  judge(step: OfferedStep, actedIds: string[]): StepResult {
    const outcomes = actedIds
      .map((id) => this.decisions.get(id)!)
      .map((t) => t.verifiedAt ?? t.rolledBackAt ?? t.failedAt)
      .filter((at): at is number => at !== undefined);
    return judgeStep(step, outcomes);
  }

  /** Waits (bounded) until every decision offered so far has a verdict outcome: verified, rolled back or failed. */
  async awaitVerdicts(maxMs: number): Promise<boolean> {
    const deadline = Date.now() + maxMs;
    const open = () =>
      [...this.decisions.values()].some(
        (t) =>
          t.actedAt !== undefined &&
          t.verifiedAt === undefined &&
          t.rolledBackAt === undefined &&
          t.failedAt === undefined,
      );
    while (open() && Date.now() < deadline) await sleep(250);
    return !open();
  }

  fastPathOf(ids: string[]): Latency {
    return latencyOf(
      ids
        .map((id) => this.decisions.get(id)!)
        .filter((t) => t.actedAt !== undefined)
        .map((t) => t.actedAt! - t.sentAt),
    );
  }

  timeToVerdictOf(ids: string[]): Latency {
    return latencyOf(
      ids
        .map((id) => this.decisions.get(id)!)
        .filter((t) => t.actedAt !== undefined && t.verifiedAt !== undefined)
        .map((t) => t.verifiedAt! - t.actedAt!),
    );
  }

  outcomes(): { verified: number; rolledBack: number; failed: number; unfinished: number } {
    const all = [...this.decisions.values()];
    return {
      verified: all.filter((t) => t.verifiedAt !== undefined).length,
      rolledBack: all.filter((t) => t.rolledBackAt !== undefined).length,
      failed: all.filter((t) => t.failedAt !== undefined).length,
      unfinished: all.filter(
        (t) => t.verifiedAt === undefined && t.rolledBackAt === undefined && t.failedAt === undefined,
      ).length,
    };
  }

  async stop(): Promise<void> {
    clearInterval(this.sampler);
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }
}
