// A verifier's long poll: `settled` wakes the moment a pending proof is ready or failed, and never holds longer than
// asked, or past an abort (the poller left, the node shuts down).
import { createProofService } from '../../../src/verification';
import type { ProofBundle } from '../../../src/contracts/proof';
import type { Groth16Prover } from '../../../src/verification/proof/prover';

/** A prover whose proofs finish when the test says so. */
function heldProver(): Groth16Prover & { finish(outcome: 'ready' | 'failed'): void } {
  let release: ((outcome: 'ready' | 'failed') => void) | undefined;
  return {
    finish: (outcome) => release?.(outcome),
    prove: (request) =>
      new Promise<ProofBundle>((resolve, reject) => {
        release = (outcome) =>
          outcome === 'failed'
            ? reject(new Error('witness does not satisfy the circuit'))
            : resolve({
                receiptId: request.receiptId,
                modelId: 'm',
                circuitId: 'c',
                scheme: 'groth16-bn254-circom',
                rows: [[1]],
                outputs: [[2]],
                proofs: [],
                provedAt: '2026-12-04T00:00:00.000Z',
                provingMs: 1,
              });
      }),
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('proof long poll', () => {
  it.each(['ready', 'failed'] as const)('wakes a held poll as soon as the proof is %s', async (outcome) => {
    const prover = heldProver();
    const service = createProofService({ prover });
    service.request('r1', 'm', [[1]], [[2]]);
    let woke = false;
    const held = service.settled('r1', 60_000).then(() => (woke = true));
    await flush();
    expect(woke).toBe(false);
    expect(service.handle('r1').status).toBe(202);

    prover.finish(outcome);
    await held;
    expect(service.handle('r1').status).toBe(outcome === 'ready' ? 200 : 500);
  });

  it('answers at once for a finished proof, an unknown receipt, or no wait', async () => {
    const prover = heldProver();
    const service = createProofService({ prover });
    service.request('r1', 'm', [[1]], [[2]]);
    const started = Date.now();
    await service.settled('unknown', 60_000);
    await service.settled('r1', 0);
    prover.finish('ready');
    await service.idle();
    await service.settled('r1', 60_000);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('gives up after the wait, the proof still pending', async () => {
    jest.useFakeTimers();
    try {
      const service = createProofService({ prover: heldProver() });
      service.request('r1', 'm', [[1]], [[2]]);
      let woke = false;
      const held = service.settled('r1', 10_000).then(() => (woke = true));
      await jest.advanceTimersByTimeAsync(9_999);
      expect(woke).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await held;
      expect(service.handle('r1').status).toBe(202);
    } finally {
      jest.useRealTimers();
    }
  });

  it('lets go of a poll whose signal aborts, and of nothing else', async () => {
    const prover = heldProver();
    const service = createProofService({ prover });
    service.request('r1', 'm', [[1]], [[2]]);
    const left = new AbortController();
    let first = false;
    let second = false;
    const abandoned = service.settled('r1', 60_000, left.signal).then(() => (first = true));
    const staying = service.settled('r1', 60_000).then(() => (second = true));
    left.abort();
    await abandoned;
    await flush();
    expect(first).toBe(true);
    expect(second).toBe(false);
    prover.finish('ready');
    await staying;
    expect(second).toBe(true);
  });
});
