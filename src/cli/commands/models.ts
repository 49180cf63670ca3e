// `proofpath models add|list|show`: register an ONNX model the project did not train (MODELS_DIR), and print what is
// registered and what each model supports (serving, the zk proof, the decision roles whose feature schema it takes).
import { readFile } from 'node:fs/promises';
import {
  addUserModel,
  DEFAULT_MODELS_DIR,
  FEATURE_ORDER,
  loadModelManifest,
  loadUserModels,
  MODEL_NAMES,
  ModelError,
  modelIdOf,
  OUTPUT_ORDER,
  userModelsDirOf,
  type AddModelRequest,
  type ProofSupport,
} from '../../models';
import { ProvingSetupError } from '../../verification';
import {
  ensureProvingKeys,
  PROVEN_FAMILY,
  proofSupportOf,
  provingKeyPolicyOf,
  unsupportedBecause,
} from '../../verification/proof';
import type { EngineConfig } from '../../config';
import { parseChoice, parseCommandArgs } from '../args';
import type { ToolCommand } from '../command';
import { CliError, InvalidInputError } from '../errors';
import { ExitCode } from '../exit-codes';

type Listed = {
  id: string;
  name: string;
  source: 'built-in' | 'registered';
  inputs: string[];
  outputs: string[];
  omittedOutputs: Array<{ name: string; reason: string }>;
  proof: ProofSupport;
  roles: string[];
  file: string;
  operators: string[];
};

/** Roles whose features the model takes in the same order, and whose outputs come first in the same order. */
function rolesOf(inputs: string[], outputs: string[]): string[] {
  return MODEL_NAMES.filter(
    (role) =>
      FEATURE_ORDER[role].join(',') === inputs.join(',') && OUTPUT_ORDER[role].every((o, k) => outputs[k] === o),
  );
}

async function listModels(userDir: string): Promise<Listed[]> {
  const builtIn = (await loadModelManifest(DEFAULT_MODELS_DIR)).models.map((m): Listed => {
    const inputs = m.featureOrder.map((f) => f.name);
    const outputs = m.outputs.map((o) => o.name);
    return {
      id: m.id,
      name: m.name,
      source: 'built-in',
      inputs,
      outputs,
      omittedOutputs: [],
      proof: { status: 'supported', family: 'project export (standardize, Gemm, ReLU, heads)' },
      roles: rolesOf(inputs, outputs),
      file: m.file,
      operators: m.operators,
    };
  });
  const registered = (await loadUserModels(userDir)).map((m): Listed => {
    const inputs = m.featureOrder.map((f) => f.name);
    const outputs = m.outputs.map((o) => o.name);
    return {
      id: m.id,
      name: m.name,
      source: 'registered',
      inputs,
      outputs,
      omittedOutputs: m.omittedOutputs,
      proof: m.proof,
      roles: rolesOf(inputs, outputs),
      file: m.file,
      operators: m.operators,
    };
  });
  return [...builtIn, ...registered];
}

const proofLine = (p: ProofSupport) =>
  p.status === 'supported'
    ? `supported (${p.family})`
    : `unsupported at ${p.step}${p.operator ? `, operator ${p.operator}` : ''}${p.tensor ? `, tensor ${p.tensor}` : ''}: ${p.reason}`;

function renderShow(m: Listed): string {
  return [
    `${m.name}  ${m.id}  (${m.source})`,
    `  inputs (${m.inputs.length}): ${m.inputs.join(', ')}`,
    `  outputs (${m.outputs.length}): ${m.outputs.join(', ')}`,
    ...m.omittedOutputs.map((o) => `  not served: ${o.name} (${o.reason})`),
    `  operators: ${m.operators.join(', ')}`,
    `  served: yes (node, re-execution, attestation PCR1)`,
    `  zk proof: ${proofLine(m.proof)}`,
    `  decision roles: ${m.roles.join(', ') || 'none (the feature schema matches no role)'}`,
    '',
  ].join('\n');
}

/** Steps of key setup whose failure is the model's (its graph, its circuit), not the machine's or the policy's. */
const MODEL_SETUP_STEPS = new Set(['read model graph', 'circom compile']);

/**
 * The proof support recorded at registration: the graph is traced, and a supported model gets its circuit and keys set
 * up now (tens of seconds, once per model id), so a setup failure surfaces here, named, rather than at the first proof.
 */
async function proofSupportWithKeys(config: EngineConfig, bytes: Uint8Array): Promise<ProofSupport> {
  const support = proofSupportOf(bytes);
  if (support.status !== 'supported') return support;
  try {
    const keys = await ensureProvingKeys(
      modelIdOf(bytes),
      config.cacheDir,
      () => Promise.resolve(bytes),
      provingKeyPolicyOf(config),
    );
    return { ...support, family: `${support.family}; ${keys.circuit.constraints} constraints` };
  } catch (error) {
    if (!(error instanceof ProvingSetupError) || !MODEL_SETUP_STEPS.has(error.step)) throw error;
    return unsupportedBecause(error);
  }
}

/** `--inputs`: a role name (its feature schema), a JSON file of features, or comma-separated feature names. */
async function featuresOf(spec: string): Promise<AddModelRequest['features']> {
  if ((MODEL_NAMES as readonly string[]).includes(spec)) {
    const entry = (await loadModelManifest(DEFAULT_MODELS_DIR)).models.find((m) => m.name === spec);
    return entry?.featureOrder ?? [];
  }
  if (spec.endsWith('.json')) {
    const json: unknown = JSON.parse(
      await readFile(spec, 'utf8').catch((e: Error) => {
        throw new InvalidInputError(`--inputs ${spec}: ${e.message}`);
      }),
    );
    if (!Array.isArray(json))
      throw new InvalidInputError(
        `--inputs ${spec}: expected a JSON array of features ({ name, unit?, min?, max?, description? })`,
      );
    return json.map((f: unknown) => (typeof f === 'string' ? { name: f } : (f as { name: string })));
  }
  return spec
    .split(',')
    .map((name) => ({ name: name.trim() }))
    .filter((f) => f.name.length > 0);
}

export const modelsCommand: ToolCommand = {
  name: 'models',
  summary: 'add <file.onnx> --name … --inputs … | list | show <id|name>: the models nodes serve and verifiers check',
  usage: [
    'models add <file.onnx> --name <name> --inputs <role|names,…|features.json> [--output <graph output>] [--columns <names,…>]',
    'models list [--json]',
    'models show <id|name> [--json]',
    '',
    'add copies the model into MODELS_DIR under its sha256 id, after checking the declared inputs and output against the graph,',
    'and sets up its zk circuit and keys when the proof covers it (tens of seconds, once per model id).',
    '  --inputs   a decision role (supplier-risk, lane-eta, demand-forecast) to take its feature schema, feature names, or a JSON file',
    '  --output   the graph output to serve (default: the only float32 [N, k] output); others (e.g. an int64 label) are not served',
    "  --columns  names of the served output's columns; a decision role reads its outputs first, in its order",
    `The zk proof covers: ${PROVEN_FAMILY}. Other models are registered as proof: unsupported.`,
    'Exit 2 when the model or the declaration is refused (the error names the field), 4 when show finds no such model.',
  ].join('\n'),
  logsToStderr: true,
  async run({ config, args }) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        json: { type: 'boolean' },
        name: { type: 'string' },
        inputs: { type: 'string' },
        output: { type: 'string' },
        columns: { type: 'string' },
      },
      { min: 1, max: 2, names: 'action (add|list|show)' },
    );
    const action = parseChoice(positionals[0], ['add', 'list', 'show'] as const, 'models action');
    const userDir = userModelsDirOf(config);
    try {
      if (action === 'add') {
        const file = positionals[1];
        if (!file || !values.name || !values.inputs)
          throw new InvalidInputError('models add needs <file.onnx>, --name and --inputs');
        const entry = await addUserModel(userDir, {
          file,
          name: values.name,
          features: await featuresOf(values.inputs),
          output: values.output,
          columns: values.columns?.split(',').map((c) => c.trim()),
          proofSupport: (bytes) => proofSupportWithKeys(config, bytes),
        });
        const listed = (await listModels(userDir)).find((m) => m.id === entry.id) as Listed;
        process.stdout.write(
          values.json ? `${JSON.stringify(entry, null, 2)}\n` : `registered in ${userDir}\n${renderShow(listed)}`,
        );
        return ExitCode.OK;
      }
      const models = await listModels(userDir);
      if (action === 'list') {
        if (positionals.length > 1) throw new InvalidInputError(`unexpected argument "${positionals[1]}"`);
        const lines = models.map(
          (m) =>
            `${m.id.slice(0, 12)}  ${m.name.padEnd(22)} ${m.source.padEnd(10)} in ${String(m.inputs.length).padStart(2)} out ${m.outputs.length}  proof ${m.proof.status.padEnd(11)} roles ${m.roles.join(',') || '-'}`,
        );
        process.stdout.write(values.json ? `${JSON.stringify(models, null, 2)}\n` : `${lines.join('\n')}\n`);
        return ExitCode.OK;
      }
      const wanted = positionals[1];
      if (!wanted) throw new InvalidInputError('models show needs an id or a name');
      const model = models.find(
        (m) => m.id === wanted || m.name === wanted || (wanted.length >= 8 && m.id.startsWith(wanted)),
      );
      if (!model)
        throw new CliError(
          'model_not_found',
          `no model ${wanted} (built-in or registered in ${userDir})`,
          ExitCode.NOT_FOUND,
        );
      process.stdout.write(values.json ? `${JSON.stringify(model, null, 2)}\n` : renderShow(model));
      return ExitCode.OK;
    } catch (error) {
      if (error instanceof ModelError) throw new InvalidInputError(`${error.name} (${error.code}): ${error.message}`);
      throw error;
    }
  },
};
