// Per-check deadlines, the proof service's HTTP states, and the fault catalogue's promises.
import {
  createFaultHooks,
  createProofService,
  FAULT_CATALOGUE,
  NODE_FAULTS,
  parseFaults,
  runCheck,
  type Groth16Prover,
} from '../../../src/verification';

describe('runCheck', () => {
  it('reports pass, fail with its reason, and timeout as distinct statuses', async () => {
    await expect(runCheck(1000, async () => ({ ok: true }))).resolves.toMatchObject({ status: 'pass' });
    await expect(
      runCheck(1000, async () => ({ ok: false, reason: 'proof_invalid', detail: 'x' })),
    ).resolves.toMatchObject({ status: 'fail', reason: 'proof_invalid' });
    await expect(runCheck(20, () => new Promise(() => undefined))).resolves.toMatchObject({
      status: 'timeout',
      reason: 'check_timeout',
    });
  });
});

describe('proof service', () => {
  const bundle = {
    receiptId: 'r',
    modelId: 'm',
    circuitId: 'c',
    scheme: 'groth16-bn254-circom' as const,
    rows: [[1]],
    outputs: [[2]],
    proofs: [],
    provedAt: new Date().toISOString(),
    provingMs: 1,
  };
  const prover: Groth16Prover = {
    prove: async (request, rows) => ({ ...bundle, receiptId: request.receiptId, rows: rows ?? request.rows }),
  };

  it('answers 202 while pending, 200 when ready and 404 for unknown receipts', async () => {
    const service = createProofService({ prover });
    expect(service.handle('r').status).toBe(404);
    service.request('r', 'm', [[1]], [[2]]);
    expect(service.handle('r').status).toBe(202);
    await service.idle();
    expect(service.handle('r')).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('reports a failed proof as 500 with proof_failed', async () => {
    const service = createProofService({
      prover: { prove: async () => Promise.reject(new Error('witness out of range')) },
    });
    service.request('r', 'm', [[1]], [[2]]);
    await service.idle();
    expect(service.handle('r')).toMatchObject({ status: 500, body: { reason: 'proof_failed' } });
  });

  it('proves other rows under proof_for_other_input and never finishes under proof_never_delivered', async () => {
    const cheat = createProofService({ prover, faults: createFaultHooks(['proof_for_other_input']) });
    cheat.request('r', 'm', [[1]], [[2]]);
    await cheat.idle();
    expect(cheat.get('r')).toMatchObject({ status: 'ready', bundle: { rows: [[2]] } });
    const silent = createProofService({ prover, faults: createFaultHooks(['proof_never_delivered']) });
    silent.request('r', 'm', [[1]], [[2]]);
    await silent.idle();
    expect(silent.handle('r').status).toBe(202);
  });
});

describe('fault catalogue', () => {
  it('names a catching check and reason for every fault, and parses fault lists', () => {
    for (const fault of NODE_FAULTS) expect(FAULT_CATALOGUE[fault].caughtBy.length).toBeGreaterThan(0);
    expect(parseFaults('wrong_output, expired_attestation')).toEqual(['wrong_output', 'expired_attestation']);
    expect(() => parseFaults('lie')).toThrow(/unknown node faults/);
  });

  it('leaves an honest node unchanged', () => {
    const hooks = createFaultHooks([]);
    expect(hooks.outputsToReturn([[0.5]])).toEqual([[0.5]]);
    expect(hooks.rowsToProve([[1, 2]])).toEqual([[1, 2]]);
    expect(hooks.modelToRun('m')).toBe('m');
    expect(hooks.attestationMode()).toBe('honest');
  });
});
