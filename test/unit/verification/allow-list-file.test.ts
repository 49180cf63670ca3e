// Node registration is a read-modify-write of one signed file: concurrent registrations must all land, and a
// corrupt file must stop a registration rather than be silently replaced (which would drop every other node).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { privateKeyToAccount } from 'viem/accounts';
import { anvilPrivateKey } from '../../../src/config';
import { defaultAllowListPath, openAllowList, registerNode } from '../../../src/verification';

const operator = anvilPrivateKey(0);
const entry = (i: number) => ({
  nodeId: `0x${i.toString(16).padStart(40, '0')}`,
  pcrs: { '0': 'ab'.repeat(48), '1': 'bc'.repeat(48), '2': 'cd'.repeat(48) },
  modelIds: ['cd'.repeat(32)],
});

describe('allow-list file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proofpath-allow-list-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps every one of many concurrent registrations, under a valid operator signature', async () => {
    const file = defaultAllowListPath(dir);
    await Promise.all(Array.from({ length: 12 }, (_, i) => registerNode(file, entry(i + 1), operator)));
    const registry = await openAllowList(
      JSON.parse(fs.readFileSync(file, 'utf8')),
      privateKeyToAccount(operator).address,
    );
    for (let i = 1; i <= 12; i += 1) expect(registry.lookup(entry(i).nodeId)).toEqual(entry(i));
    expect(fs.readdirSync(path.dirname(file)).sort()).toEqual(['allow-list.json']); // no lock or temporary file left
  });

  it('replaces a node entry on re-registration', async () => {
    const file = defaultAllowListPath(dir);
    await registerNode(file, entry(1), operator);
    await registerNode(file, { ...entry(1), modelIds: ['ef'.repeat(32)] }, operator);
    const registry = await openAllowList(
      JSON.parse(fs.readFileSync(file, 'utf8')),
      privateKeyToAccount(operator).address,
    );
    expect(registry.lookup(entry(1).nodeId)?.modelIds).toEqual(['ef'.repeat(32)]);
  });

  it('refuses to overwrite a corrupt file', async () => {
    const file = defaultAllowListPath(dir);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{"payload": {"nodes": [');
    await expect(registerNode(file, entry(1), operator)).rejects.toThrow(SyntaxError);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"payload": {"nodes": [');
  });
});
