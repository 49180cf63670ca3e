// Writes the signed node allow-list file: the operator (development: the deployer key) registers a node's measurements.
// Registration is a read-modify-write of one file that several nodes (processes, or nodes in one process) may do at
// once, so it runs under a lock file (proper-lockfile: atomic mkdir, stale locks taken over) and replaces the file
// atomically: no registration is lost and no reader sees half a file.
import fs from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import lockfile from 'proper-lockfile';
import type { Hex } from 'viem';
import { SignedAllowListSchema, signAllowList, type NodeEntry } from './allow-list';

export function defaultAllowListPath(stateDir: string): string {
  return path.join(stateDir, 'attestation', 'allow-list.json');
}

/** Adds or replaces a node's entry in the allow-list file and re-signs the whole list with the operator key. */
export async function registerNode(file: string, entry: NodeEntry, operatorKey: Hex): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const release = await lockfile.lock(file, {
    realpath: false,
    stale: 10_000,
    retries: { retries: 50, factor: 1.5, minTimeout: 10, maxTimeout: 500 },
  });
  try {
    const current = await fs.readFile(file, 'utf8').then(
      (text) => SignedAllowListSchema.parse(JSON.parse(text)).payload.nodes,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [] as NodeEntry[];
        throw error;
      },
    );
    const nodes = [...current.filter((n) => n.nodeId !== entry.nodeId), entry];
    const signed = await signAllowList({ version: 1, issuedAt: new Date().toISOString(), nodes }, operatorKey);
    await writeFileAtomic(file, JSON.stringify(signed, null, 2));
  } finally {
    await release();
  }
}
