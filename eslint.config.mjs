// Lint rules; the important one fences workflows/ off from I/O, Node built-ins and non-pure engine code,
// because Temporal replays workflow code and anything non-deterministic there breaks running decisions.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
// Last in the list: turns off every stylistic rule, so layout is Prettier's job alone (npm run format).
import prettier from 'eslint-config-prettier';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'crypto',
  'http',
  'https',
  'net',
  'child_process',
  'worker_threads',
  'stream',
  'util',
  'events',
  'timers',
  'process',
  'buffer',
  'zlib',
  'dns',
  'tls',
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', 'build/**', 'models/**/*.py', '**/*.cjs', '.scratch/**'] },
  js.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
        process: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
  ...tseslint.configs.recommended,
  // Plain CommonJS (a module the prover process's program requires without a TypeScript loader): require is its import.
  { files: ['**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.flatMap((name) => [
              { name, message: 'workflows are replayed in a sandbox: no Node built-ins' },
              { name: `node:${name}`, message: 'workflows are replayed in a sandbox: no Node built-ins' },
            ]),
          ],
          patterns: [
            {
              group: [
                'viem',
                'viem/*',
                'kafkajs',
                'pino',
                'pino-*',
                'onnxruntime-node',
                '@x402/*',
                'express',
                '@temporalio/client',
                '@temporalio/worker',
                '@temporalio/activity',
                'tiny-secp256k1',
              ],
              message: 'I/O libraries belong in activities/ and src/, not in workflow code',
            },
            {
              regex:
                '^(\\.\\./)+src/(?!contracts(/|$)|models/workflow-safe$|models/features(/|$)|models/canonical-hash$|decisions/policy(/|$))',
              message:
                'workflows may import only the pure engine modules (contracts, feature builders, canonical hashing, decision policy)',
            },
          ],
        },
      ],
    },
  },
  {
    // The engine modules workflows may import are bundled into the workflow sandbox, which cannot load WebAssembly from
    // a file: the libsecp256k1 signatures (src/signatures) stay out of them; the verdict check there uses noble.
    files: [
      'src/contracts/**/*.ts',
      'src/models/workflow-safe.ts',
      'src/models/features/**/*.ts',
      'src/models/canonical-hash.ts',
      'src/decisions/policy/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['tiny-secp256k1', '**/signatures', '**/signatures/*'],
              message: 'workflow-safe modules cannot load WebAssembly: keep src/signatures out (inject it instead)',
            },
          ],
        },
      ],
    },
  },
  {
    // The real ERP/TMS adapters talk to any back-office service over HTTP; the development service is not their library.
    files: ['src/erp/**/*.ts', 'src/tms/**/*.ts', 'src/back-office-client/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./back-office(/|$)',
              message: 'adapters share src/back-office-client, never the development service in src/back-office',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['activities/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../workflows/*', '../../workflows/*'], message: 'activities never import workflow code' },
          ],
        },
      ],
    },
  },
  prettier,
);
