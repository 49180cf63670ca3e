// Old native prover builds are pruned: records no `stack up` kept for 30 days with their binaries, binaries no record
// names, staged copies and failure records once a day old; never the binary just kept nor a recent record's binary.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pruneOldBuilds, UNUSED_BUILD_MAX_AGE_MS } from '../../../src/verification/proof/native-prover';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-04T12:00:00Z');
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'native-build-prune-'));
const dir = path.join(cacheDir, 'native');
afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

/** A file in the build directory, last written `ageMs` before NOW. */
function file(name: string, ageMs: number, content = ''): string {
  const full = path.join(dir, name);
  fs.writeFileSync(full, content);
  const at = new Date(NOW - ageMs);
  fs.utimesSync(full, at, at);
  return full;
}
const binary = (stamp: string, ageMs: number) => file(`proofpath-groth16-prover-${stamp}`, ageMs);
const record = (id: string, binaryFile: string, ageMs: number) =>
  file(`built-${id}.json`, ageMs, JSON.stringify({ binary: binaryFile, stamp: 'x' }));

it('removes what no stack up needed for a while and keeps the rest', async () => {
  fs.mkdirSync(path.join(dir, 'target'), { recursive: true });
  const kept = binary('aaaa', 40 * DAY); // just kept by this stack up, however old the file
  const recent = binary('bbbb', 90 * DAY); // named by a record a stack up rewrote yesterday
  const recentRecord = record('01', recent, DAY);
  const stale = binary('cccc', 40 * DAY); // named only by a record untouched for longer than the limit
  const staleRecord = record('02', stale, UNUSED_BUILD_MAX_AGE_MS + DAY);
  const orphanOld = binary('dddd', 2 * DAY);
  const orphanNew = binary('eeee', DAY / 2); // another checkout may be about to write its record
  const stagedOld = file('proofpath-groth16-prover-ffff.123.tmp', 2 * DAY);
  const failedOld = file('build-failed-abcd.json', 2 * DAY, '{}');
  const failedNew = file('build-failed-beef.json', DAY / 24, '{}');
  const log = file('build.log', 90 * DAY);
  const messages: string[] = [];
  const logger = { info: (o: { file: string }) => messages.push(o.file), warn: () => undefined } as never;

  await pruneOldBuilds(cacheDir, kept, logger, NOW);

  const present = (f: string) => fs.existsSync(f);
  expect([kept, recent, recentRecord, orphanNew, failedNew, log].filter((f) => !present(f))).toEqual([]);
  const removed = [stale, staleRecord, orphanOld, stagedOld, failedOld];
  expect(removed.filter(present)).toEqual([]);
  expect(messages.sort()).toEqual(removed.sort());
  expect(fs.existsSync(path.join(dir, 'target'))).toBe(true);
});

it('never throws: a cache without a build directory is left as it is', async () => {
  await expect(pruneOldBuilds(path.join(cacheDir, 'missing'), 'x', undefined, NOW)).resolves.toBeUndefined();
});
