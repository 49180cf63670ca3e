// `nodes list` for a person: each inference node the worker may pay (INFERENCE_NODE_URL, then the alternates), whether
// it answered GET /v1/models, its node id and settlement mode, and the models it sells with their prices. Pure.
import type { ModelListing } from '../../contracts/inference-http';
import { createStyle, short } from './style';

export type NodeProbe = { url: string; role: 'primary' | 'alternate' } & (
  { reachable: true; listing: ModelListing } | { reachable: false; error: string }
);

export function renderNodes(nodes: NodeProbe[], options: { color?: boolean } = {}): string {
  const style = createStyle(options.color ?? false);
  const urlWidth = Math.max(...nodes.map((n) => n.url.length), 3);
  const lines: string[] = [];
  for (const node of nodes) {
    const head = `${node.url.padEnd(urlWidth)}  ${node.role.padEnd(9)}`;
    if (!node.reachable) {
      lines.push(`${head}  ${style.paint('unreachable', 'red')}  ${node.error}`);
      continue;
    }
    const { listing } = node;
    lines.push(
      `${head}  ${style.paint('reachable', 'green')}  node ${listing.nodeId}  settlement ${listing.settlementMode}  ${listing.models.length} model(s)`,
    );
    const nameWidth = Math.max(0, ...listing.models.map((m) => (m.name ?? '(unnamed)').length));
    for (const model of listing.models) {
      const price = `${model.price.amount} units of ${model.price.eip712.name} (${short(model.price.asset, 6)}) on ${model.price.network}`;
      lines.push(
        `    ${(model.name ?? '(unnamed)').padEnd(nameWidth)}  ${style.paint(modelIdPrefix(model.modelId), 'cyan')}  ${price}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Model ids are content hashes (`sha256:` + 64 hex, or bare hex): the first 12 hex digits tell them apart. */
export function modelIdPrefix(modelId: string): string {
  const [scheme, hash] = modelId.includes(':') ? modelId.split(':', 2) : [undefined, modelId];
  return `${scheme ? `${scheme}:` : ''}${(hash ?? '').slice(0, 12)}`;
}
