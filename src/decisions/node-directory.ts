// Which inference nodes a decision may pay, and which model id each serves under a model name. Listings are cached
// briefly; a node that does not answer is skipped so a decision can still go to another one.
import { EngineError } from '../errors';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { ModelListingSchema, type ModelListing } from '../contracts/inference-http';

/**
 * ordered: the first reachable node in configuration order (the others stand by for re-decisions).
 * spread: rendezvous hashing on the decision id, so decisions spread over every reachable node, a given decision
 * (and every retry of its activity) lands on the same node while the set of nodes is unchanged, and a node leaving
 * moves only its own share of decisions.
 */
export type NodeSelection = 'ordered' | 'spread';

export type NodeChoice = { nodeUrl: string; nodeId: string; modelId: string };

export class NoInferenceNodeError extends EngineError<'no_inference_node'> {
  override readonly name = 'NoInferenceNodeError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('no_inference_node', message, { ...options, retryable: true });
  }
}

export type NodeDirectory = {
  /** `key` (the decision id) places the decision under the `spread` selection; `ordered` ignores it. */
  choose(modelName: string, excludeNodeIds: readonly string[], key?: string): Promise<NodeChoice>;
  /** Whether a reachable node outside `excludeNodeIds` serves every one of `modelIds` (by id or name). */
  hasAlternate(excludeNodeIds: readonly string[], modelIds?: readonly string[]): Promise<boolean>;
};

/** The rendezvous weight of a node for a key: the node with the highest weight takes the key. */
export function rendezvousWeight(key: string, nodeId: string): string {
  return bytesToHex(sha256(utf8ToBytes(`${key}\u0000${nodeId.toLowerCase()}`)));
}

export function createNodeDirectory(
  nodeUrls: readonly string[],
  options: { ttlMs?: number; fetch?: typeof fetch; selection?: NodeSelection } = {},
): NodeDirectory {
  const selection = options.selection ?? 'ordered';
  const ttlMs = options.ttlMs ?? 30_000;
  const doFetch = options.fetch ?? fetch;
  const cache = new Map<string, { listing: ModelListing; at: number }>();

  async function listing(url: string): Promise<ModelListing | undefined> {
    const cached = cache.get(url);
    if (cached && Date.now() - cached.at < ttlMs) return cached.listing;
    try {
      const response = await doFetch(`${url.replace(/\/$/, '')}/v1/models`, { signal: AbortSignal.timeout(3_000) });
      if (!response.ok) return undefined;
      const parsed = ModelListingSchema.parse(await response.json());
      cache.set(url, { listing: parsed, at: Date.now() });
      return parsed;
    } catch {
      return undefined;
    }
  }

  async function available(excludeNodeIds: readonly string[]): Promise<Array<{ url: string; listing: ModelListing }>> {
    const found = await Promise.all(nodeUrls.map(async (url) => ({ url, listing: await listing(url) })));
    return found.filter(
      (n): n is { url: string; listing: ModelListing } =>
        n.listing !== undefined && !excludeNodeIds.includes(n.listing.nodeId),
    );
  }

  return {
    async choose(modelName, excludeNodeIds, key) {
      const serving = (await available(excludeNodeIds)).flatMap(({ url, listing: l }) => {
        const model = l.models.find((m) => m.name === modelName || m.modelId === modelName);
        return model ? [{ nodeUrl: url, nodeId: l.nodeId, modelId: model.modelId }] : [];
      });
      if (selection === 'spread' && key !== undefined && serving.length > 1) {
        const weighted = serving.map((choice) => ({ choice, weight: rendezvousWeight(key, choice.nodeId) }));
        weighted.sort((a, b) => (a.weight < b.weight ? 1 : a.weight > b.weight ? -1 : 0));
        return weighted[0]!.choice;
      }
      if (serving[0]) return serving[0];
      throw new NoInferenceNodeError(
        `no reachable inference node serves ${modelName} (excluding ${excludeNodeIds.join(', ') || 'none'})`,
      );
    },
    async hasAlternate(excludeNodeIds, modelIds = []) {
      const serves = (l: ModelListing, id: string) => l.models.some((m) => m.modelId === id || m.name === id);
      return (await available(excludeNodeIds)).some(({ listing: l }) => modelIds.every((id) => serves(l, id)));
    },
  };
}
