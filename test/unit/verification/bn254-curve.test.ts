// The verifier's BN254 curve: one single-thread build, put where snarkjs finds it, so its checks start no worker threads.
import * as snarkjs from 'snarkjs';
import { useSingleThreadBn254 } from '../../../src/verification/proof/bn254-curve';

type Slot = { curve_bn128?: { tm: { singleThread: boolean }; terminate(): Promise<void> } | null };
const slot = globalThis as Slot;

afterAll(async () => {
  const curve = slot.curve_bn128;
  slot.curve_bn128 = null;
  await curve?.terminate();
});

describe('single-thread BN254 for the verifier', () => {
  it('fills the process slot once with a single-thread curve that snarkjs then uses', async () => {
    expect(slot.curve_bn128 ?? undefined).toBeUndefined();
    await useSingleThreadBn254();
    const installed = slot.curve_bn128;
    expect(installed?.tm.singleThread).toBe(true);
    await useSingleThreadBn254();
    expect(slot.curve_bn128).toBe(installed);
    // snarkjs' own lookup (what groth16.verify calls) now returns this curve rather than building a threaded one.
    await expect(snarkjs.curves.getCurveFromName('bn128')).resolves.toBe(installed);
  });

  it('installs a single-thread curve again after the slot was emptied', async () => {
    await useSingleThreadBn254();
    const first = slot.curve_bn128;
    slot.curve_bn128 = null; // what a threaded curve's terminate() does; a single-thread one leaves the slot as is
    await useSingleThreadBn254();
    const again = (globalThis as Slot).curve_bn128; // read afresh: the call above filled the slot
    expect(again?.tm.singleThread).toBe(true);
    expect(again).not.toBe(first);
  });
});
