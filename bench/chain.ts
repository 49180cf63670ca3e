// The benchmark's own chain: a fresh anvil on a free port, with the devstack's flags, for the whole run. The shared
// dev chain keeps every contract every test run deployed (thousands of contracts, tens of thousands of storage slots
// after a few days), and anvil recomputes its state root over all of them for every block it mines: measured on this
// machine, a transaction cost anvil 1 ms of CPU on a fresh chain and 100 ms on a 4,096-account dev chain. That is a
// property of the dev chain's age, not of the engine (a production chain is someone else's CPU), and it made the
// verifiable lanes' figures depend on how long the machine had been used. A fresh chain per run removes it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/log';
import { freeLocalPort } from '../src/devstack/engine-process';
import { waitUntil } from '../src/devstack/process';
import { stackPaths } from '../src/devstack/stack';
import { anvilService } from '../src/devstack/services/anvil';
import { meteredChild, type ProcessUsage } from './e2e/processes';

export type BenchChain = { rpcUrl: string; pid: number; usage(): ProcessUsage; stop(): Promise<ProcessUsage> };

/** Starts a fresh anvil (devstack flags, empty state) and answers once it serves the configured chain id. */
export async function startBenchChain(): Promise<BenchChain> {
  const rpcUrl = `http://127.0.0.1:${await freeLocalPort()}`;
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proofpath-bench-chain-'));
  const config = loadConfig({ ...process.env, CHAIN_RPC_URL: rpcUrl, PROOFPATH_STATE_DIR: stateDir });
  const paths = stackPaths(config, 'anvil');
  fs.mkdirSync(paths.dataDir, { recursive: true });
  const { command, args } = await anvilService.command(config, paths, createLogger('bench-chain', config));
  const child = spawn(command, args, { stdio: 'ignore' });
  const pid = child.pid as number;
  const metered = meteredChild('anvil (bench chain)', child, Date.now());
  // Ctrl-C, a stop signal or a crash of the bench must not leave the chain running. A signal is raised again once the
  // chain is killed (the handlers are once-only), so the bench still ends as the signal says.
  const killOnExit = () => child.kill('SIGKILL');
  const onSignal = (signal: NodeJS.Signals) => {
    killOnExit();
    process.kill(process.pid, signal);
  };
  process.once('exit', killOnExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const forget = () => {
    process.off('exit', killOnExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  try {
    await waitUntil('the benchmark chain', () => anvilService.healthy(config), anvilService.startTimeoutMs, {
      isStillStarting: () => child.exitCode === null && child.signalCode === null,
    });
  } catch (error) {
    await metered.stop();
    forget();
    fs.rmSync(stateDir, { recursive: true, force: true });
    throw error;
  }
  return {
    rpcUrl,
    pid,
    usage: metered.usage,
    async stop() {
      const final = await metered.stop();
      forget();
      fs.rmSync(stateDir, { recursive: true, force: true });
      return final;
    },
  };
}
