// The prover process: a failed proof comes back as a named error (the process stays usable), and stopping it fails
// nothing that is not queued and lets the next proof start a new process.
import fs from 'node:fs';
import os from 'node:os';
import {
  fullProveInChild,
  PROVER_NICE,
  proverProcessId,
  ProverProcessError,
  stopProverProcess,
} from '../../../src/verification/proof/prover-process';

afterAll(() => stopProverProcess());

/** The nice value of each thread of a process, from /proc (field 19 of each thread's stat); empty off Linux. */
function threadNices(pid: number): number[] {
  if (!fs.existsSync(`/proc/${pid}/task`)) return [];
  return fs.readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe('prover process', () => {
  it('reports a proof that cannot be made as ProverProcessError with the cause, and serves the next job', async () => {
    const missing = fullProveInChild({ x: ['1'] }, '/nonexistent/circuit.wasm', '/nonexistent/circuit.zkey');
    await expect(missing).rejects.toBeInstanceOf(ProverProcessError);
    await expect(
      fullProveInChild({ x: ['1'] }, '/nonexistent/circuit.wasm', '/nonexistent/circuit.zkey'),
    ).rejects.toThrow(/nonexistent|ENOENT/);
  });

  it('proves at the lowest CPU priority, so proofs take only the CPU the fast path leaves', async () => {
    await fullProveInChild({ x: ['1'] }, '/nonexistent/c.wasm', '/nonexistent/c.zkey').catch(() => undefined);
    const pid = proverProcessId();
    expect(pid).toBeDefined();
    expect(os.getPriority(pid)).toBe(PROVER_NICE);
  });

  it('lowers every thread of the prover, also those Node started before its code ran (Linux)', async () => {
    await fullProveInChild({ x: ['1'] }, '/nonexistent/c.wasm', '/nonexistent/c.zkey').catch(() => undefined);
    const nices = threadNices(proverProcessId() as number);
    if (process.platform !== 'linux') return;
    expect(nices.length).toBeGreaterThan(1);
    expect(nices.filter((nice) => nice !== PROVER_NICE)).toEqual([]);
  });

  it('fails a queued job when the process is stopped, and starts a fresh process for the next one', async () => {
    const queued = fullProveInChild({ x: ['1'] }, '/nonexistent/a.wasm', '/nonexistent/a.zkey');
    await stopProverProcess();
    await expect(queued).rejects.toBeInstanceOf(ProverProcessError);
    await expect(fullProveInChild({ x: ['1'] }, '/nonexistent/b.wasm', '/nonexistent/b.zkey')).rejects.toThrow(
      /nonexistent|ENOENT/,
    );
  });
});
