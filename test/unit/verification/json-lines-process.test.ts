// The JSON-lines protocol both users of the native binary speak (json-lines-process.js), against shell stand-ins: answers
// in the order asked; anything out of protocol, an exit, a missing binary or a timeout fails every waiting job with the
// caller's error and tells it once; a stop fails them without telling; an answer written just before exiting counts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startJsonLinesProcess, type JsonLinesOptions } from '../../../src/verification/proof/json-lines-process';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'json-lines-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let scripts = 0;
/** An executable shell script standing in for the binary. */
function standIn(body: string): string {
  const file = path.join(dir, `stand-in-${++scripts}.sh`);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

const ECHO = 'while IFS= read -r line; do printf "%s\\n" "$line"; done';

class StandInError extends Error {}

function start(binary: string, overrides: Partial<JsonLinesOptions> = {}) {
  const failures: string[] = [];
  const stderr: string[] = [];
  const lines = startJsonLinesProcess(binary, {
    processError: (why) => new StandInError(why),
    outOfProtocol: (answer) => (typeof answer.n === 'number' ? undefined : 'answered without n'),
    onFailure: (why) => failures.push(why),
    onStderrLine: (line) => stderr.push(line),
    ...overrides,
  });
  return { lines, failures, stderr };
}

it('answers each job with the line carrying its id, in the order asked', async () => {
  const { lines, failures } = start(standIn(ECHO));
  const answers = await Promise.all([1, 2, 3].map((n) => lines.ask({ n }, 2_000)));
  expect(answers).toEqual([
    { id: 1, n: 1 },
    { id: 2, n: 2 },
    { id: 3, n: 3 },
  ]);
  lines.stop();
  expect(failures).toEqual([]);
});

it.each<[string, string, RegExp]>([
  ['an answer the caller refuses', ECHO, /^answered without n$/],
  ['another job’s id', 'read -r line; echo \'{"id":99,"n":1}\'; exec sleep 5', /^answered out of order \(id 99\)$/],
  ['a line that is not JSON', 'read -r line; echo "not json"; exec sleep 5', /^answered a line that is not JSON$/],
  ['null', 'read -r line; echo null; exec sleep 5', /^answered a line that is not a JSON object$/],
  ['an exit without an answer', 'read -r line; exit 3', /^exited \(3\)$/],
])('%s fails every waiting job with the caller’s error and tells it once', async (_case, body, why) => {
  const { lines, failures } = start(standIn(body));
  const first = lines.ask({ m: 1 }, 2_000);
  const second = lines.ask({ n: 2 }, 2_000);
  await expect(first).rejects.toThrow(why);
  await expect(second).rejects.toBeInstanceOf(StandInError);
  expect(lines.gone).toBe(true);
  await expect(lines.ask({ n: 3 }, 2_000)).rejects.toThrow(/^stopped$/);
  await new Promise((resolve) => setTimeout(resolve, 100)); // the exit after the kill is not a second failure
  expect(failures).toHaveLength(1);
  expect(failures[0]).toMatch(why);
});

it('fails a job that outlives its timeout, and the process with it', async () => {
  const { lines, failures } = start(standIn('cat > /dev/null'));
  await expect(lines.ask({ n: 1 }, 200)).rejects.toThrow(/^took longer than 200 ms$/);
  expect(lines.gone).toBe(true);
  expect(failures).toEqual(['took longer than 200 ms']);
});

it('stop fails the waiting jobs without telling the caller of a failure', async () => {
  const { lines, failures } = start(standIn('cat > /dev/null'));
  const waiting = lines.ask({ n: 1 }, 2_000);
  lines.stop();
  await expect(waiting).rejects.toThrow(/^stopped$/);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(failures).toEqual([]);
});

it('counts an answer written just before the process exits', async () => {
  const { lines } = start(standIn('read -r line; printf "%s\\n" "$line"; exit 0'));
  await expect(lines.ask({ n: 7 }, 2_000)).resolves.toEqual({ id: 1, n: 7 });
});

it('a binary that is not there fails its jobs once, with the reason', async () => {
  const { lines, failures } = start(path.join(dir, 'no-such-binary'));
  await expect(lines.ask({ n: 1 }, 2_000)).rejects.toThrow(/^failed: spawn .*ENOENT/);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(failures).toHaveLength(1);
});

it('fails the jobs a second after the exit when something else still holds the pipes open', async () => {
  // The stand-in leaves a child of its own holding stdout, so 'close' would wait for it.
  const { lines, failures } = start(standIn('read -r line; sleep 2 & exit 4'));
  const started = Date.now();
  await expect(lines.ask({ n: 1 }, 1_900)).rejects.toThrow(/^exited \(4\)$/);
  expect(Date.now() - started).toBeLessThan(1_900);
  expect(failures).toEqual(['exited (4)']);
  await new Promise((resolve) => setTimeout(resolve, 1_200)); // the stand-in's child ends, and its pipes close
});

it('hands each non-empty stderr line to the caller', async () => {
  const { lines, stderr } = start(standIn('echo "panicked at src/main.rs:1" >&2; echo >&2; ' + ECHO));
  await lines.ask({ n: 1 }, 2_000);
  // stderr is its own pipe: its line may arrive after the answer.
  for (let waited = 0; stderr.length === 0 && waited < 2_000; waited += 20)
    await new Promise((resolve) => setTimeout(resolve, 20));
  lines.stop();
  expect(stderr).toEqual(['panicked at src/main.rs:1']);
});
