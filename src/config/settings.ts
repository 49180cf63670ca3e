// Declarative settings: each leaf names its environment variable, its zod schema (with the development default) and a description.
// The configuration table in the README is generated from this tree, so the documentation cannot drift from the code.
import { z } from 'zod';

export type Setting<S extends z.ZodType = z.ZodType> = {
  readonly env: string;
  readonly schema: S;
  readonly description: string;
  /** Shown in the docs instead of the computed default (for defaults that depend on the machine). */
  readonly defaultLabel?: string;
  readonly secret?: boolean;
};

export type SettingsTree = { readonly [key: string]: Setting | SettingsTree };

export function setting<S extends z.ZodType>(
  env: string,
  schema: S,
  description: string,
  options: { defaultLabel?: string; secret?: boolean } = {},
): Setting<S> {
  return { env, schema, description, ...options };
}

export function isSetting(node: Setting | SettingsTree): node is Setting {
  return typeof (node as Setting).env === 'string' && (node as Setting).schema instanceof z.ZodType;
}

export type ConfigOf<T extends SettingsTree> = {
  -readonly [K in keyof T]: T[K] extends Setting<infer S>
    ? z.output<S>
    : T[K] extends SettingsTree
      ? ConfigOf<T[K]>
      : never;
};

/** Flattens the tree into `[path, setting]` pairs, depth first, in declaration order. */
export function flattenSettings(tree: SettingsTree, prefix: string[] = []): Array<[string[], Setting]> {
  return Object.entries(tree).flatMap(([key, node]) =>
    isSetting(node) ? [[[...prefix, key], node] as [string[], Setting]] : flattenSettings(node, [...prefix, key]),
  );
}

// Environment values are strings; these schemas turn them into the types the engine uses.
export const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
/** A Unix nice value a process gives itself: 0 (normal) to 19 (lowest priority). */
export const niceness = (fallback: number) => z.coerce.number().int().min(0).max(19).default(fallback);
export const boolFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
// zod 4 defaults are output values: the default skips the string transform.
export const bool = (fallback: boolean) => boolFlag.default(fallback);
export const csv = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    );
export const privateKey = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, 'must be a 0x-prefixed 32-byte hex private key')
  .transform((v) => v as `0x${string}`);
export const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address')
  .transform((v) => v as `0x${string}`);
