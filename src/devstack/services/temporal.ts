// The Temporal dev server: the Temporal CLI built from its Go module at a pinned release (no `replace` directives there),
// cached under the user's cache directory, run as `temporal server start-dev` on SQLite with the Web UI embedded.
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { DECISION_SEARCH_ATTRIBUTES } from '../../contracts/search-attributes';
import type { EngineConfig } from '../../config';
import { runInstallCommand } from '../install-command';
import type { StackService } from '../service';

export const TEMPORAL_CLI_VERSION = '1.5.1';
/**
 * Packages `go install -v` compiles for this release on an empty build cache (`go list -deps ./cmd/temporal` in the
 * module: 1,298, standard library included), for the progress bar; a different count only makes the bar less exact.
 */
const TEMPORAL_CLI_PACKAGES = 1_298;

export function temporalCliPath(config: Pick<EngineConfig, 'cacheDir'>): string {
  return path.join(config.cacheDir, `temporal-cli-${TEMPORAL_CLI_VERSION}`, 'bin', 'temporal');
}

function hostPort(address: string): { host: string; port: number } {
  const [host, port] = address.split(':');
  return { host: host ?? '127.0.0.1', port: Number(port ?? 7233) };
}

// The SDK's enum names map to the CLI's search attribute type names.
const CLI_TYPE: Record<string, string> = {
  KEYWORD: 'Keyword',
  KEYWORD_LIST: 'KeywordList',
  DOUBLE: 'Double',
  INT: 'Int',
  TEXT: 'Text',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
};

export const temporalService: StackService = {
  name: 'temporal',
  // Measured on a cold 2-core machine: the first start on an empty SQLite file took over 90 s to serve the namespace.
  startTimeoutMs: 300_000,
  describe: (config) =>
    `Temporal CLI ${TEMPORAL_CLI_VERSION} dev server, gRPC ${config.temporal.address}, Web UI http://127.0.0.1:${config.temporal.uiPort}`,
  installTitle: `temporal: building the Temporal CLI ${TEMPORAL_CLI_VERSION} from its Go module (first run only, about 5 min on 2 cores)`,
  needsInstall: (config) => !fs.existsSync(temporalCliPath(config)),

  async ensureInstalled(config, { step, paths, signal }) {
    const binary = temporalCliPath(config);
    if (fs.existsSync(binary)) return;
    let modules = 0;
    let packages = 0;
    // Built into a scratch folder and renamed: an interrupted build never leaves a binary that looks installed.
    const scratch = `${path.dirname(binary)}.building-${process.pid}`;
    try {
      await runInstallCommand({
        command: 'go',
        args: [
          'install',
          '-v',
          '-ldflags',
          `-X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`,
          `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`,
        ],
        env: { ...process.env, GOBIN: scratch, GOFLAGS: '-mod=mod' },
        logFile: paths.installLogFile,
        signal,
        onLine(line) {
          if (line.startsWith('go: downloading ')) {
            modules += 1;
            step.progress({ note: `downloading Go modules (${modules})` });
          } else if (/^[\w.-]+(\/[\w.~+-]+)*$/.test(line.trim())) {
            packages += 1;
            step.progress({ done: packages, total: TEMPORAL_CLI_PACKAGES, note: `${packages} packages compiled` });
          }
        },
      });
      fs.mkdirSync(path.dirname(binary), { recursive: true });
      fs.renameSync(path.join(scratch, 'temporal'), binary);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  },

  async command(config, paths) {
    const { host, port } = hostPort(config.temporal.address);
    const searchAttributes = DECISION_SEARCH_ATTRIBUTES.flatMap((key) => [
      '--search-attribute',
      `${key.name}=${CLI_TYPE[key.type] ?? 'Keyword'}`,
    ]);
    return {
      command: temporalCliPath(config),
      args: [
        'server',
        'start-dev',
        '--ip',
        host,
        '--port',
        String(port),
        '--ui-port',
        String(config.temporal.uiPort),
        '--db-filename',
        path.join(paths.dataDir, 'temporal.sqlite'),
        '--namespace',
        config.temporal.namespace,
        '--dynamic-config-value',
        'frontend.enableExecuteMultiOperation=true',
        '--dynamic-config-value',
        'frontend.enableUpdateWorkflowExecution=true',
        '--log-format',
        'json',
        '--log-level',
        'warn',
        ...searchAttributes,
      ],
    };
  },

  async healthy(config) {
    const connection = await Connection.connect({ address: config.temporal.address, connectTimeout: 1_000 });
    try {
      // A server that accepted the connection but is still creating its schema would hold the call open: bound it.
      const { namespaceInfo } = await connection.withDeadline(Date.now() + 3_000, () =>
        connection.workflowService.describeNamespace({ namespace: config.temporal.namespace }),
      );
      const ui = await fetch(`http://127.0.0.1:${config.temporal.uiPort}/`, { signal: AbortSignal.timeout(1_000) });
      return namespaceInfo?.name === config.temporal.namespace && ui.ok;
    } finally {
      await connection.close();
    }
  },
};
