// A long-lived child process spoken to in JSON lines: one request line per job on its stdin, one answer line per job
// on its stdout, answered in the order asked. Both users of the native binary (native/groth16-prover) speak it: the
// verifier (native-verifier.ts, in TypeScript) and the node's prover process (prover-process.ts), whose program runs
// without a TypeScript loader, so this file is plain CommonJS that both can require (types: json-lines-process.d.ts).
//
// Every answer must be a JSON object carrying the id of the job at the head of the queue and be one the caller accepts
// (`outOfProtocol` names what is wrong); anything else (a line that is not JSON, another job's id, an answer of the wrong shape), an exit, a
// failure to start or a job outliving its timeout ends the process and fails every waiting job with the caller's
// process error. The next job then needs a new process.
// @ts-check
'use strict';
const { spawn } = require('node:child_process');
const readline = require('node:readline');

/** How long after the process exits its pipes may stay open before its waiting jobs fail anyway. */
const EXIT_GRACE_MS = 1000;

/** @param {string} binary @param {import("./json-lines-process").JsonLinesOptions} options @returns {import("./json-lines-process").JsonLinesProcess} */
function startJsonLinesProcess(binary, options) {
  const child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'] });
  const onStderrLine = options.onStderrLine ?? ((line) => process.stderr.write(`${line}\n`));
  /** @type {Array<{ id: number; resolve(answer: object): void; reject(error: Error): void; timer: NodeJS.Timeout }>} */
  const waiting = [];
  let gone = false;
  let nextId = 0;

  /** Ends the process and fails every waiting job; `failed` (not a stop) also tells the caller. */
  const end = (/** @type {string} */ why, /** @type {boolean} */ failed) => {
    if (gone) return;
    gone = true;
    child.kill('SIGKILL');
    for (const job of waiting.splice(0)) {
      clearTimeout(job.timer);
      job.reject(options.processError(why));
    }
    if (failed) options.onFailure?.(why);
  };
  const fail = (/** @type {string} */ why) => end(why, true);

  child.on('error', (error) => fail(`failed: ${error.message}`));
  // 'close', not 'exit': it comes after the last of stdout was read, so an answer written just before exiting counts.
  // Should something else still hold the pipes open ('close' waits for them), the exit fails the jobs a second later.
  const exited = (/** @type {number | null} */ code, /** @type {NodeJS.Signals | null} */ signal) =>
    fail(`exited (${signal ?? code})`);
  child.on('close', exited);
  child.on('exit', (code, signal) => setTimeout(() => exited(code, signal), EXIT_GRACE_MS).unref());
  child.stdin.on('error', () => undefined);
  child.stdout.on('error', () => undefined);
  child.stderr.on('error', () => undefined);
  readline.createInterface({ input: child.stderr }).on('line', (line) => line.trim() && onStderrLine(line));
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    if (gone || !line.trim()) return;
    let answer;
    try {
      answer = JSON.parse(line);
    } catch {
      return fail('answered a line that is not JSON');
    }
    if (answer === null || typeof answer !== 'object') return fail('answered a line that is not a JSON object');
    // Checked before the job leaves the queue, so a wrong answer fails the job waiting for it rather than losing it.
    const job = waiting[0];
    if (!job || answer.id !== job.id) return fail(`answered out of order (id ${String(answer.id)})`);
    const wrong = options.outOfProtocol(answer);
    if (wrong) return fail(wrong);
    waiting.shift();
    clearTimeout(job.timer);
    job.resolve(answer);
  });

  return {
    pid: child.pid,
    get gone() {
      return gone;
    },
    ask(request, timeoutMs) {
      if (gone) return Promise.reject(options.processError('stopped'));
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => fail(`took longer than ${timeoutMs} ms`), timeoutMs);
        waiting.push({ id, resolve, reject, timer });
        child.stdin.write(`${JSON.stringify({ id, ...request })}\n`);
      });
    },
    stop() {
      end('stopped', false);
    },
  };
}

module.exports = { startJsonLinesProcess };
