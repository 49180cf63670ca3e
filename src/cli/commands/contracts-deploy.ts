// `proofpath contracts-deploy [--force]`: deploys the token, registry and Multicall3 stand-in and writes contracts.json.
// Without --force an existing deployment whose code is still on the chain is kept (idempotent).
import { deployContracts, deploymentFilePath, ensureDevelopmentContracts, writeDeployment } from '../../chain';
import { parseCommandArgs } from '../args';
import type { ToolCommand } from '../command';

export const contractsDeployCommand: ToolCommand = {
  name: 'contracts-deploy',
  summary:
    'deploy the payment token, settlement registry and Multicall3 stand-in; mint dev tokens; write contracts.json',
  usage:
    'contracts-deploy [--force]\n\n  --force  deploy afresh even when the recorded deployment is still on the chain',
  logsToStderr: true,
  keys: ['deployer'], // node and verifier accounts: NODE_ADDRESS / VERIFIER_ADDRESS, or derived from their keys
  async run({ config, logger, args }) {
    const force = parseCommandArgs(args, { force: { type: 'boolean' } }).values.force === true;
    const deployment = force
      ? await deployContracts({ config, logger })
      : await ensureDevelopmentContracts(config, logger);
    if (force) writeDeployment(config, deployment);
    process.stdout.write(`${JSON.stringify({ file: deploymentFilePath(config), ...deployment }, null, 2)}\n`);
  },
};
