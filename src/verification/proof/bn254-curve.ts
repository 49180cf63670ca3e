// snarkjs asks ffjavascript for the BN254 curve on every proof and verification, and ffjavascript keeps one threaded
// build per process in globalThis.curve_bn128. A process that only checks small proofs (the verifier service) is
// better served by a single-thread build in that slot: a Groth16 verification of a supplier-risk proof costs 13.7 ms of
// CPU on it against 26.9 ms threaded (50 each, this machine), the worker threads' hand-offs costing more than they
// share. Everything snarkjs does in the process uses it afterwards (a key setup too, slower on one thread), so only
// the verifier command installs it, before its first check. The prover process does the same in its own program
// (prover-process.ts).
import * as snarkjs from 'snarkjs';

type CurveSlot = { curve_bn128?: unknown };
let installing: Promise<void> | undefined;
let installed = false;

export function useSingleThreadBn254(): Promise<void> {
  // A slot emptied afterwards (as a threaded curve's terminate() does) gets a single-thread curve again on the next call.
  if (installed && (globalThis as CurveSlot).curve_bn128 == null) {
    installing = undefined;
    installed = false;
  }
  installing ??= snarkjs.curves
    .getCurveFromName('bn128', { singleThread: true })
    .then((curve) => {
      (globalThis as CurveSlot).curve_bn128 ??= curve;
      installed = true;
    })
    .catch((error: unknown) => {
      installing = undefined; // a failed build is not kept: the next call tries again
      throw error;
    });
  return installing;
}
