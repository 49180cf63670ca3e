// Writes the signed node allow-list file: the operator (development: the deployer key) registers a node's measurements.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Hex } from 'viem';
import { SignedAllowListSchema, signAllowList, type NodeEntry } from './allow-list';

export function defaultAllowListPath(stateDir: string): string {
  return path.join(stateDir, 'attestation', 'allow-list.json');
}

/** Adds or replaces a node's entry in the allow-list file and re-signs the whole list with the operator key. */
export async function registerNode(file: string, entry: NodeEntry, operatorKey: Hex): Promise<void> {
  const current = await fs.readFile(file, 'utf8').then(
    (text) => SignedAllowListSchema.parse(JSON.parse(text)).payload.nodes,
    () => [] as NodeEntry[],
  );
  const nodes = [...current.filter((n) => n.nodeId !== entry.nodeId), entry];
  const signed = await signAllowList({ version: 1, issuedAt: new Date().toISOString(), nodes }, operatorKey);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, JSON.stringify(signed, null, 2));
  await fs.rename(temporary, file);
}
