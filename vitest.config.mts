import { defineConfig } from 'vitest/config';

// Temporal's core bridge is a native addon: run test files in forked processes, never in worker threads.
export default defineConfig({
  test: {
    pool: 'forks',
    environment: 'node',
    projects: [
      {
        test: {
          name: 'unit',
          // Unit files first, then the Temporal ones: the two groups never compete for the two cores.
          sequence: { groupOrder: 0 },
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.temporal.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'temporal',
          sequence: { groupOrder: 1 },
          include: ['test/**/*.temporal.test.ts'],
          // One dev server per run, shared by every file; each test uses its own task queue and ids.
          globalSetup: ['test/helpers/global-setup.ts'],
          // Generous: bundling workflows and real-time polling on a loaded 2-core machine.
          testTimeout: 180_000,
          hookTimeout: 180_000,
          maxWorkers: 2,
        },
      },
    ],
  },
});
