#!/usr/bin/env node
// The `proofpath` binary (package.json "bin"): runs src/cli/main.ts in this same process with tsx's loader registered,
// instead of spawning `tsx`, so Ctrl-C and SIGTERM reach the command itself and its exit code is this process's.
// Paths come from this file's own location (npm links it from node_modules/.bin), so it works from any directory.
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// tsx looks for tsconfig.json in the working directory by default; the project's own is the one that applies.
process.env.TSX_TSCONFIG_PATH ??= path.join(projectRoot, 'tsconfig.json');
// The same hooks `node --import tsx` installs (ESM and CommonJS), resolved from this package rather than from the cwd.
await import('tsx');
await import(pathToFileURL(path.join(projectRoot, 'src', 'cli', 'main.ts')).href);
