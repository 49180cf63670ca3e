// Which prover a node uses when the native one cannot be built: `native` refuses (the node does not start), `auto`
// proves with snarkjs and says why, `snarkjs` never looks for it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ensureNativeProver,
  nativeProverChoice,
  NativeProverUnavailableError,
} from '../../../src/verification/proof/native-prover';

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'native-prover-choice-'));
const saved = process.env.CARGO;
beforeEach(() => {
  process.env.CARGO = path.join(cacheDir, 'no-such-cargo');
});
afterAll(() => {
  if (saved === undefined) delete process.env.CARGO;
  else process.env.CARGO = saved;
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

describe('native prover choice without cargo', () => {
  it('reports the native prover unavailable with the reason, never throws', async () => {
    await expect(ensureNativeProver(cacheDir)).resolves.toEqual({
      available: false,
      reason: expect.stringMatching(/cargo not found/),
    });
  });

  it('native: refuses with NativeProverUnavailableError', async () => {
    await expect(nativeProverChoice({ backend: 'native' }, cacheDir)).rejects.toBeInstanceOf(
      NativeProverUnavailableError,
    );
  });

  it('auto: proves with snarkjs (no binary) and logs why', async () => {
    const warnings: unknown[] = [];
    const logger = { warn: (o: unknown) => warnings.push(o), info: () => undefined } as never;
    const choose = await nativeProverChoice({ backend: 'auto' }, cacheDir, logger);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(choose()).toBeUndefined();
    expect(warnings).toEqual([{ reason: expect.stringMatching(/cargo not found/) }]);
  });

  it('uses a configured binary as is (no cargo needed), and refuses one that is not executable', async () => {
    const choose = await nativeProverChoice({ backend: 'native', binary: process.execPath }, cacheDir);
    expect(choose()).toBe(process.execPath);
    const notExecutable = path.join(cacheDir, 'prover.txt');
    fs.writeFileSync(notExecutable, 'x', { mode: 0o644 });
    await expect(nativeProverChoice({ backend: 'native', binary: notExecutable }, cacheDir)).rejects.toThrow(
      /not an executable file/,
    );
  });

  it('snarkjs: never uses a binary', async () => {
    const choose = await nativeProverChoice({ backend: 'snarkjs', binary: process.execPath }, cacheDir);
    expect(choose()).toBeUndefined();
  });
});
