// @ts-check
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

const NODE_BUILTINS = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

/**
 * What each part of src/ may import (docs/architecture.md explains the parts). A folder not listed here (cli, worker.ts)
 * is a front end or the composition root and may import any part. `.ts` entries are the top-level files.
 */
const MAY_IMPORT = {
  shared: [],
  workflows: ['shared', 'activities'], // activities: types only (rule below)
  activities: ['dws', 'inventory', 'notify', 'shared'],
  dws: ['shared', 'inventory', 'config.ts', 'logger.ts'],
  inventory: ['dws', 'shared'],
  notify: ['inventory', 'shared'],
  identity: ['shared', 'secret-files.ts'],
  report: ['shared', 'version.ts'],
  simulator: ['dws', 'shared', 'logger.ts'],
  temporal: ['shared', 'config.ts', 'logger.ts'],
  metrics: ['shared'],
  observability: ['shared', 'config.ts', 'dws', 'logger.ts', 'metrics', 'temporal'],
  operations: ['shared', 'activities', 'config.ts', 'identity', 'inventory', 'temporal', 'workflows'],
  drills: ['shared', 'activities', 'config.ts', 'inventory', 'temporal', 'workflows'],
  intake: [
    'shared',
    'config.ts',
    'identity',
    'inventory',
    'logger.ts',
    'metrics',
    'operations',
    'temporal',
    'workflows',
  ],
  devstack: [
    'shared',
    'config.ts',
    'identity',
    'intake',
    'logger.ts',
    'observability',
    'simulator',
    'temporal',
    'worker.ts',
  ],
};

const zones = Object.entries(MAY_IMPORT).map(([part, allowed]) => ({
  target: `./src/${part}`,
  from: './src',
  except: [part, ...allowed].map((name) => `./${name}`),
  message: `src/${part} may import only ${allowed.length ? allowed.join(', ') : 'itself'} (docs/architecture.md).`,
}));

export default tseslint.config(
  { ignores: ['lib/**', 'node_modules/**', 'coverage/**', 'bin/**', 'test/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })] },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'import-x/no-restricted-paths': ['error', { zones }] },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node builtins, no I/O clients.
    files: ['src/workflows/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...NODE_BUILTINS.map((name) => ({ name, message: 'Workflow code must not use Node builtins.' })),
            { name: 'undici', message: 'Workflow code must not do I/O; call an activity.' },
          ],
          patterns: [
            { group: ['node:*'], message: 'Workflow code must not use Node builtins.' },
            {
              group: ['**/dws/**', '**/dws', '**/intake/**', '**/cli/**', '**/simulator/**', '**/config'],
              message: 'Workflow code must stay sandbox-safe.',
            },
            {
              group: ['**/activities/**', '**/activities'],
              allowTypeImports: true,
              message: 'Import activity types only.',
            },
          ],
        },
      ],
    },
  },
  {
    // The simulator stands alone (tests, the dev stack and scripts embed it): the command line is the CLI's.
    files: ['src/simulator/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/cli/**', '**/cli'],
              message: 'The simulator must not import the CLI; its command lives in src/cli/simulator-command.ts.',
            },
          ],
        },
      ],
    },
  }
);
