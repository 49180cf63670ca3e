// Forged verdicts on the real stack: a node returns a manipulated output, and before the verifier's verdict (a failed
// check) comes back, forged passing verdicts for that receipt arrive on the verdicts topic and as direct signals. The
// bridge dead-letters the ones on Kafka, the decision ignores the direct ones by name, and the verifier's own verdict
// decides: the decision is rolled back, never VERIFIED.
import type { Producer } from 'kafkajs';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { decisionWorkflowId } from '../../../src/contracts/decision';
import { auditQuery, verdictSignal } from '../../../src/contracts/decision-messages';
import type { Verdict } from '../../../src/contracts/verdict';
import { createKafka } from '../../../src/kafka/client';
import { verdictSignerFor } from '../../../src/verification';
import { startEngine, type Engine } from '../decisions/support/engine';
import { buildRequisition, requisitionCreated } from '../decisions/support/events';
import { createTally } from './support/tally';

const tally = createTally();

describe('forged passing verdicts for a manipulated result', () => {
  let engine: Engine;
  let producer: Producer;
  beforeAll(async () => {
    engine = await startEngine({ faults: ['wrong_output'] });
    producer = createKafka(engine.config, engine.logger, 'forger').producer();
    await producer.connect();
  });
  afterAll(async () => {
    console.log(`bad-input campaign (forged verdicts)\n${tally.table()}`);
    if (process.env.BAD_INPUT_COUNTS_FILE) tally.save(process.env.BAD_INPUT_COUNTS_FILE);
    await producer?.disconnect();
    await engine?.close();
  });

  it('ignores them on Kafka and as signals; the verifier’s verdict rolls the decision back', async () => {
    const requisition = buildRequisition();
    const id = decisionWorkflowId('procurement', requisition.requisitionId);
    const handle = engine.client.workflow.getHandle(id);
    await engine.emit(requisitionCreated(requisition));
    const [receiptId] = await engine.waitFor('the paid inference', async () => {
      const audit = await handle.query(auditQuery).catch(() => undefined);
      return audit?.inferences.length ? audit.inferences.map((i) => i.receiptId) : undefined;
    });
    const pass = { status: 'pass' as const, detail: 'trust me' };
    const passing = (decisionId: string): Verdict => ({
      receiptId: receiptId!,
      decisionId,
      checks: { attestation: pass, proof: pass, reexecution: pass },
      verified: true,
      verifiedAt: new Date().toISOString(),
    });
    const forger = verdictSignerFor(generatePrivateKey());
    const verifierAddress = privateKeyToAccount(engine.config.keys.verifier).address;
    const signedByForger = await forger(passing(id));
    const forged = [
      { name: 'unsigned', verdict: passing(id), reason: 'verdict_unsigned' },
      { name: 'signed by another key', verdict: signedByForger, reason: 'verdict_signer_unknown' },
      {
        name: 'another key’s signature claiming the verifier',
        verdict: { ...signedByForger, signer: verifierAddress },
        reason: 'verdict_signature_invalid',
      },
      {
        // The verifier's signature over a verdict for another decision (as if captured there) proves nothing here.
        name: 'the verifier’s verdict for another decision',
        verdict: await verdictSignerFor(engine.config.keys.verifier)(passing(`${id}-other`)),
        reason: 'verdict_for_another_decision',
        directOnly: true,
      },
    ];

    // Straight to the decision, past the bridge: the workflow itself refuses each one by name.
    for (const f of forged) await handle.signal(verdictSignal, f.verdict);
    // Through Kafka: the bridge dead-letters them before they reach the decision.
    const onKafka = forged.filter((f) => !f.directOnly);
    await producer.send({
      topic: engine.config.kafka.verdictsTopic,
      messages: onKafka.map((f) => ({ key: id, value: JSON.stringify(f.verdict) })),
    });

    const final = await engine.waitFor('final event', () =>
      engine.decisionEvents(id).find((e) => e.type === 'decision.rolled_back' || e.type === 'decision.verified'),
    );
    expect(final.type).toBe('decision.rolled_back');
    expect(final.data.reason).toMatch(/(reexecution_output_mismatch|proof_output_mismatch)/);

    const audit = await handle.query(auditQuery);
    const ignored = audit.trail.filter((e) => e.step === 'verdict_ignored');
    const received = audit.trail.filter((e) => e.step === 'verdict_received');
    expect(ignored.map((e) => e.detail.reason)).toEqual(forged.map((f) => f.reason));
    // Refused for what they are, not because the real verdict was already in: they came first.
    expect(audit.trail.indexOf(ignored.at(-1)!)).toBeLessThan(audit.trail.indexOf(received[0]!));
    expect(received.map((e) => e.detail)).toEqual([{ receiptId, verified: false, signer: verifierAddress }]);
    expect(audit.verifications.map((v) => v.receiptId)).toEqual([receiptId]);
    for (const [i, f] of forged.entries())
      tally.record('signals verdict (forged, to a decision)', f.name, {
        refused: ignored[i]?.detail.reason === f.reason,
        reason: String(ignored[i]?.detail.reason ?? 'accepted'),
      });

    const letters = await engine.waitFor('dead letters of the forged verdicts', () => {
      const found = engine
        .deadLetters()
        .filter((l) => l.originalTopic === engine.config.kafka.verdictsTopic && l.originalKey === id);
      return found.length >= onKafka.length ? found : undefined;
    });
    expect(letters.map((l) => l.reason)).toEqual(onKafka.map((f) => f.reason));
    for (const [i, f] of onKafka.entries())
      tally.record('bridge verdicts (forged, for a live decision)', f.name, {
        refused: letters[i]?.reason === f.reason,
        reason: letters[i]?.reason ?? 'delivered',
      });
  }, 300_000);
});
