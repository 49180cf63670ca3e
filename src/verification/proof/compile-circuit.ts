// Compiles a circom source with circom2 (the circom compiler built to WebAssembly, run by node), offline.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { ProvingSetupError } from '../errors';

const run = promisify(execFile);

/** Writes `<dir>/model.circom` and produces `<dir>/model.r1cs` and `<dir>/model_js/model.wasm` (the witness generator). */
export async function compileCircuit(dir: string, source: string): Promise<{ r1cs: string; wasm: string }> {
  await fs.writeFile(path.join(dir, 'model.circom'), source);
  const cli = require.resolve('circom2/cli.js');
  try {
    // circom2's WASI runtime only sees paths relative to its working directory.
    await run(process.execPath, [cli, 'model.circom', '--r1cs', '--wasm', '-o', '.'], {
      cwd: dir,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new ProvingSetupError((e.stderr || e.stdout || e.message).slice(-2000), 'circom compile');
  }
  return { r1cs: path.join(dir, 'model.r1cs'), wasm: path.join(dir, 'model_js', 'model.wasm') };
}
