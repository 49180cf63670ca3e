// `proofpath nodes list [--json]`: the inference nodes the worker may pay (INFERENCE_NODE_URL, then
// INFERENCE_NODE_ALTERNATE_URLS), each asked for GET /v1/models: reachable or not, node id, settlement mode, models.
import { ModelListingSchema } from '../../contracts/inference-http';
import { parseChoice, parseCommandArgs } from '../args';
import type { ToolCommand } from '../command';
import { ExitCode } from '../exit-codes';
import { renderNodes, type NodeProbe } from '../render/nodes';

const LISTING_TIMEOUT_MS = 3_000;

export async function probeNode(url: string, role: NodeProbe['role']): Promise<NodeProbe> {
  const endpoint = `${url.replace(/\/+$/, '')}/v1/models`;
  try {
    const response = await fetch(endpoint, { signal: AbortSignal.timeout(LISTING_TIMEOUT_MS) });
    if (!response.ok) return { url, role, reachable: false, error: `GET /v1/models answered ${response.status}` };
    const listing = ModelListingSchema.safeParse(await response.json());
    if (!listing.success)
      return { url, role, reachable: false, error: 'GET /v1/models answered something that is not a model listing' };
    return { url, role, reachable: true, listing: listing.data };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const why =
      cause === 'ECONNREFUSED'
        ? 'connection refused'
        : (error as Error).name === 'TimeoutError'
          ? `no answer within ${LISTING_TIMEOUT_MS} ms`
          : (cause ?? (error as Error).message);
    return { url, role, reachable: false, error: why };
  }
}

export const nodesCommand: ToolCommand = {
  name: 'nodes',
  summary: 'list [--json]: the inference nodes the worker knows, reachable or not, with their models and prices',
  usage: [
    'nodes list [--json]',
    '',
    'Asks INFERENCE_NODE_URL and each of INFERENCE_NODE_ALTERNATE_URLS for GET /v1/models.',
    'Exit 0 when at least one node answers, 3 when none does.',
  ].join('\n'),
  logsToStderr: true,
  async run({ config, args }) {
    const { values, positionals } = parseCommandArgs(
      args,
      { json: { type: 'boolean' } },
      { min: 1, max: 1, names: 'action (list)' },
    );
    parseChoice(positionals[0], ['list'] as const, 'nodes action');
    const urls: Array<[string, NodeProbe['role']]> = [
      [config.payments.nodeUrl, 'primary'],
      ...config.decisions.alternateNodeUrls.map((u): [string, NodeProbe['role']] => [u, 'alternate']),
    ];
    const nodes = await Promise.all(urls.map(([url, role]) => probeNode(url, role)));
    process.stdout.write(
      values.json
        ? `${JSON.stringify(nodes, null, 2)}\n`
        : renderNodes(nodes, { color: process.stdout.isTTY === true }),
    );
    if (nodes.some((n) => n.reachable)) return ExitCode.OK;
    process.stderr.write(`no inference node answered: is one running? (npx proofpath node, or npm start)\n`);
    return ExitCode.UNREACHABLE;
  },
};
