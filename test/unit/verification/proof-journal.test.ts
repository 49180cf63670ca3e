// Proof jobs outlive the node's process: a restarted node serves what it proved and proves again what it left.
import {
  createProofService,
  ProvingInterruptedError,
  type ProofJournal,
  type ProofJournalRecord,
} from '../../../src/verification';
import type { ProofBundle } from '../../../src/contracts/proof';
import type { Groth16Prover } from '../../../src/verification/proof/prover';

function memoryJournal(): ProofJournal & { records: ProofJournalRecord[] } {
  const records: ProofJournalRecord[] = [];
  // Round-trips through JSON, as the file journal does.
  return {
    records,
    append: (r) => void records.push(JSON.parse(JSON.stringify(r)) as ProofJournalRecord),
    replay: () => records.map((r) => JSON.parse(JSON.stringify(r)) as ProofJournalRecord),
  };
}

const bundleFor = (receiptId: string): ProofBundle => ({
  receiptId,
  modelId: 'm',
  circuitId: 'c',
  scheme: 'groth16-bn254-circom',
  rows: [[1]],
  outputs: [[2]],
  proofs: [],
  provedAt: '2026-11-25T00:00:00.000Z',
  provingMs: 1,
});

function prover(behaviour: 'prove' | 'interrupt' | 'fail'): Groth16Prover & { proved: string[] } {
  const proved: string[] = [];
  return {
    proved,
    async prove(request) {
      if (behaviour === 'interrupt') throw new ProvingInterruptedError();
      if (behaviour === 'fail') throw new Error('witness does not satisfy the circuit');
      proved.push(request.receiptId);
      return bundleFor(request.receiptId);
    },
  };
}

describe('proof journal', () => {
  it('serves a finished proof after a restart without proving it again', async () => {
    const journal = memoryJournal();
    const first = createProofService({ prover: prover('prove'), journal });
    first.request('r1', 'm', [[1]], [[2]]);
    await first.idle();
    expect(journal.records.map((r) => r.t)).toEqual(['requested', 'finished']);

    const again = prover('prove');
    const restarted = createProofService({ prover: again, journal });
    await restarted.idle();
    expect(restarted.handle('r1')).toMatchObject({
      status: 200,
      body: { status: 'ready', bundle: { receiptId: 'r1' } },
    });
    expect(again.proved).toEqual([]);
  });

  it('leaves a proof interrupted by shutdown pending, and the next start proves it', async () => {
    const journal = memoryJournal();
    const closing = createProofService({ prover: prover('interrupt'), journal });
    closing.request('r2', 'm', [[1]], [[2]]);
    await closing.idle();
    expect(closing.handle('r2').status).toBe(202);
    expect(journal.records.map((r) => r.t)).toEqual(['requested']);

    const next = prover('prove');
    const restarted = createProofService({ prover: next, journal });
    expect(restarted.handle('r2').status).toBe(202);
    await restarted.idle();
    expect(next.proved).toEqual(['r2']);
    expect(restarted.handle('r2')).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('keeps a failed proof failed across restarts (a verifier must not see it turn into a pass)', async () => {
    const journal = memoryJournal();
    const failing = createProofService({ prover: prover('fail'), journal });
    failing.request('r3', 'm', [[1]], [[2]]);
    await failing.idle();
    const restarted = createProofService({ prover: prover('prove'), journal });
    await restarted.idle();
    expect(restarted.handle('r3')).toMatchObject({ status: 500, body: { status: 'failed', reason: 'proof_failed' } });
  });

  it('proves an accepted job whose start never came (the node died right after answering) on the next start', async () => {
    const journal = memoryJournal();
    const dying = prover('prove');
    const answered = createProofService({ prover: dying, journal });
    answered.accept('r4', 'm', [[1]], [[2]]); // journaled before the answer; the process dies before starting it
    expect(answered.handle('r4').status).toBe(202);
    expect(dying.proved).toEqual([]);

    const next = prover('prove');
    const restarted = createProofService({ prover: next, journal });
    await restarted.idle();
    expect(next.proved).toEqual(['r4']);
    expect(restarted.handle('r4')).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('accepts a receipt once: a second accept neither journals nor proves it again', async () => {
    const journal = memoryJournal();
    const counting = prover('prove');
    const service = createProofService({ prover: counting, journal });
    service.accept('r5', 'm', [[1]], [[2]])();
    service.accept('r5', 'm', [[1]], [[2]])();
    await service.idle();
    expect(counting.proved).toEqual(['r5']);
    expect(journal.records.filter((r) => r.t === 'requested')).toHaveLength(1);
  });
});
