// PCR values of the development enclave, computed from what a real enclave image would measure: the node's code (PCR0),
// the model ids it serves (PCR1) and its configuration (PCR2). All SHA-384, like Nitro's PCRs.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { canonicalJson } from '../../../contracts/canonical-json';

export type MeasuredFile = { path: string; sha256: string };
export type DevelopmentMeasurements = {
  files: MeasuredFile[];
  modelIds: string[];
  nodeConfig: Record<string, unknown>;
};

const sha384 = (text: string) => crypto.createHash('sha384').update(text).digest('hex');

/** PCR index → lowercase hex; pure, so the operator can recompute the allow-list entry from the same inputs. */
export function developmentPcrs(m: DevelopmentMeasurements): Record<number, string> {
  const files = [...m.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    0: sha384(files.map((f) => `${f.path} ${f.sha256}\n`).join('')),
    1: sha384([...m.modelIds].sort().join('\n')),
    2: sha384(canonicalJson(m.nodeConfig)),
  };
}

/** Lists every file under the given directories (relative to `root`, '/'-separated) with its SHA-256. */
export async function measureFiles(root: string, directories: string[]): Promise<MeasuredFile[]> {
  const out: MeasuredFile[] = [];
  async function walk(relative: string): Promise<void> {
    const entries = await fs.readdir(path.join(root, relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const child = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile())
        out.push({
          path: child,
          sha256: crypto
            .createHash('sha256')
            .update(await fs.readFile(path.join(root, child)))
            .digest('hex'),
        });
    }
  }
  for (const directory of directories) await walk(directory);
  return out;
}

/** The directories whose files make up PCR0 of an inference node. */
export const NODE_CODE_DIRECTORIES = ['src/inference-node', 'src/models'];
