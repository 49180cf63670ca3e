// The benchmark's engine processes: each engine part runs as its own OS process (as deployed), started from the
// project's CLI or from a bench script, and is measured from /proc: CPU seconds and peak resident memory (VmHWM).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const PROJECT_ROOT = path.resolve(__dirname, '../..');
const OUTPUT_KEPT = 32 * 1024;
const READY_TIMEOUT_MS = 120_000;
/** Linux reports utime/stime in clock ticks; 100 per second on every mainstream kernel configuration. */
const CLOCK_TICKS_PER_SECOND = 100;

export type ProcessUsage = { name: string; pid: number; cpuSeconds: number; peakRssMb: number; wallSeconds: number };

export type BenchProcess = {
  name: string;
  child: ChildProcess;
  /** CPU seconds and peak memory so far (the process must still run). */
  usage(): ProcessUsage;
  stop(): Promise<ProcessUsage>;
};

/** `entry` is a CLI subcommand (`worker`, `node`, ...) or a script path relative to the project root. */
export async function startBenchProcess(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  readyMessage: string,
  extraArgs: string[] = [],
): Promise<BenchProcess> {
  const script = entry.endsWith('.ts') ? [entry] : ['src/cli/main.ts', entry];
  // BENCH_CPU_PROFILE_DIR=<dir>: each process writes V8 CPU profiles to <dir>/<name>/ when it stops, one per thread
  // (Node's default file names carry the pid and thread id; a fixed name made the threads overwrite each other's, and
  // the surviving file was often the module loader's thread). Open them in Chrome DevTools.
  const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
  const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, name)}`] : [];
  const child = spawn(process.execPath, [...profiling, '--import', 'tsx', ...script, ...extraArgs], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const startedAt = Date.now();
  let output = '';
  let ready = false;
  const keep = (chunk: unknown) => {
    output = (output + String(chunk)).slice(-OUTPUT_KEPT);
  };
  child.stderr?.on('data', keep);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} not ready within ${READY_TIMEOUT_MS / 1000} s:\n${output.slice(-2000)}`)),
      READY_TIMEOUT_MS,
    );
    child.stdout?.on('data', (chunk) => {
      keep(chunk);
      if (!ready && output.includes(`"msg":"${readyMessage}"`)) {
        ready = true;
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`${name} exited (${code}) before it was ready:\n${output.slice(-2000)}`));
    });
  });
  return { name, child, ...meteredChild(name, child, startedAt) };
}

/**
 * Usage and stop of a child process the bench started: its last CPU and peak-memory reading (kept once it has gone),
 * and a stop that sends SIGTERM, then SIGKILL after 10 s, and answers the reading taken before the signal.
 */
export function meteredChild(
  name: string,
  child: ChildProcess,
  startedAt: number,
): { usage(): ProcessUsage; stop(): Promise<ProcessUsage> } {
  const pid = child.pid as number;
  let last: ProcessUsage = { name, pid, cpuSeconds: 0, peakRssMb: 0, wallSeconds: 0 };
  const usage = (): ProcessUsage => {
    const read = readUsage(pid);
    if (read) last = { name, pid, ...read, wallSeconds: (Date.now() - startedAt) / 1000 };
    return last;
  };
  return {
    usage,
    async stop() {
      const final = usage();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      return final;
    },
  };
}

/**
 * CPU seconds (user + system) and peak resident set of a live process and its live descendants (the node's prover
 * process, snarkjs' workers are threads), from /proc; undefined once it has gone. Peaks of separate processes add up:
 * an upper bound of the memory the part needed at once.
 */
export function readUsage(pid: number): { cpuSeconds: number; peakRssMb: number } | undefined {
  const own = readOne(pid);
  if (!own) return undefined;
  const children = readChildrenUsage(pid);
  return { cpuSeconds: own.cpuSeconds + children.cpuSeconds, peakRssMb: own.peakRssMb + children.peakRssMb };
}

/** CPU seconds of a process alone (its threads, not its children); undefined once it has gone. */
export function readOwnCpuSeconds(pid: number): number | undefined {
  return readOne(pid)?.cpuSeconds;
}

/** CPU seconds and peak resident set of a process's live descendants (the node's prover process), summed. */
export function readChildrenUsage(pid: number): { cpuSeconds: number; peakRssMb: number } {
  const sum = { cpuSeconds: 0, peakRssMb: 0 };
  for (const child of childrenOf(pid)) {
    const usage = readUsage(child);
    if (usage) {
      sum.cpuSeconds += usage.cpuSeconds;
      sum.peakRssMb += usage.peakRssMb;
    }
  }
  return sum;
}

function childrenOf(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((tid) =>
        fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
      );
  } catch {
    return [];
  }
}

function readOne(pid: number): { cpuSeconds: number; peakRssMb: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'; utime, stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwmKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND, peakRssMb: Math.round(hwmKb / 1024) };
  } catch {
    return undefined;
  }
}
