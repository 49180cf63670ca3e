// Which inference nodes a decision may pay, and which model id each serves under a model name. Listings are cached
// briefly; a node that does not answer is skipped so a decision can still go to another one.
import { ModelListingSchema, type ModelListing } from '../contracts/inference-http';

export type NodeChoice = { nodeUrl: string; nodeId: string; modelId: string };

export class NoInferenceNodeError extends Error {
  override readonly name = 'NoInferenceNodeError';
  readonly code = 'no_inference_node';
  readonly retryable = true;
}

export type NodeDirectory = {
  choose(modelName: string, excludeNodeIds: readonly string[]): Promise<NodeChoice>;
  /** Whether a reachable node outside `excludeNodeIds` serves every one of `modelIds` (by id or name). */
  hasAlternate(excludeNodeIds: readonly string[], modelIds?: readonly string[]): Promise<boolean>;
};

export function createNodeDirectory(nodeUrls: readonly string[], options: { ttlMs?: number; fetch?: typeof fetch } = {}): NodeDirectory {
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
    return found.filter((n): n is { url: string; listing: ModelListing } => n.listing !== undefined && !excludeNodeIds.includes(n.listing.nodeId));
  }

  return {
    async choose(modelName, excludeNodeIds) {
      for (const { url, listing: l } of await available(excludeNodeIds)) {
        const model = l.models.find((m) => m.name === modelName || m.modelId === modelName);
        if (model) return { nodeUrl: url, nodeId: l.nodeId, modelId: model.modelId };
      }
      throw new NoInferenceNodeError(`no reachable inference node serves ${modelName} (excluding ${excludeNodeIds.join(', ') || 'none'})`);
    },
    async hasAlternate(excludeNodeIds, modelIds = []) {
      const serves = (l: ModelListing, id: string) => l.models.some((m) => m.modelId === id || m.name === id);
      return (await available(excludeNodeIds)).some(({ listing: l }) => modelIds.every((id) => serves(l, id)));
    },
  };
}
