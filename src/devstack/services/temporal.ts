// The Temporal dev server: the Temporal CLI built from its Go module at a pinned release (no `replace` directives there),
// cached under the user's cache directory, run as `temporal server start-dev` on SQLite with the Web UI embedded.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { DECISION_SEARCH_ATTRIBUTES } from '../../contracts/search-attributes';
import type { EngineConfig } from '../../config';
import type { StackService } from '../service';

export const TEMPORAL_CLI_VERSION = '1.5.1';
const execFileAsync = promisify(execFile);

export function temporalCliPath(config: Pick<EngineConfig, 'cacheDir'>): string {
  return path.join(config.cacheDir, `temporal-cli-${TEMPORAL_CLI_VERSION}`, 'bin', 'temporal');
}

function hostPort(address: string): { host: string; port: number } {
  const [host, port] = address.split(':');
  return { host: host ?? '127.0.0.1', port: Number(port ?? 7233) };
}

// The SDK's enum names map to the CLI's search attribute type names.
const CLI_TYPE: Record<string, string> = { KEYWORD: 'Keyword', KEYWORD_LIST: 'KeywordList', DOUBLE: 'Double', INT: 'Int', TEXT: 'Text', BOOL: 'Bool', DATETIME: 'Datetime' };

export const temporalService: StackService = {
  name: 'temporal',
  startTimeoutMs: 90_000,
  describe: (config) => `Temporal CLI ${TEMPORAL_CLI_VERSION} dev server, gRPC ${config.temporal.address}, Web UI http://127.0.0.1:${config.temporal.uiPort}`,

  async ensureInstalled(config, logger) {
    const binary = temporalCliPath(config);
    if (fs.existsSync(binary)) return;
    logger.info({ binary }, 'building the Temporal CLI from its Go module (first run only, takes a few minutes)');
    await execFileAsync(
      'go',
      ['install', '-ldflags', `-X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`, `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`],
      { env: { ...process.env, GOBIN: path.dirname(binary), GOFLAGS: '-mod=mod' }, maxBuffer: 64 * 1024 * 1024 },
    );
  },

  async command(config, paths) {
    const { host, port } = hostPort(config.temporal.address);
    const searchAttributes = DECISION_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${CLI_TYPE[key.type] ?? 'Keyword'}`]);
    return {
      command: temporalCliPath(config),
      args: [
        'server', 'start-dev',
        '--ip', host, '--port', String(port), '--ui-port', String(config.temporal.uiPort),
        '--db-filename', path.join(paths.dataDir, 'temporal.sqlite'),
        '--namespace', config.temporal.namespace,
        '--dynamic-config-value', 'frontend.enableExecuteMultiOperation=true',
        '--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true',
        '--log-format', 'json', '--log-level', 'warn',
        ...searchAttributes,
      ],
    };
  },

  async healthy(config) {
    const connection = await Connection.connect({ address: config.temporal.address, connectTimeout: 1_000 });
    try {
      const { namespaceInfo } = await connection.workflowService.describeNamespace({ namespace: config.temporal.namespace });
      const ui = await fetch(`http://127.0.0.1:${config.temporal.uiPort}/`, { signal: AbortSignal.timeout(1_000) });
      return namespaceInfo?.name === config.temporal.namespace && ui.ok;
    } finally {
      await connection.close();
    }
  },
};
