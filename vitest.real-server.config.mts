import { defineConfig } from 'vitest/config';

// `npm run test:real-server`: part of the Temporal suite against a self-hosted Temporal server v1.29.1 on PostgreSQL
// with SQL visibility (what users run), instead of the dev server. The files are the ones whose behaviour depends
// most on the server: failover under faults, exactly-once (within and across regions) and worker crashes, operator
// control, schedules, drills and readiness (list queries on SQL visibility) and the intake. Sized to stay well under
// 15 minutes on 2 cores.
// Left out: test/intake/fanout.temporal.test.ts. Its 1,000 failovers each make a visibility list call (the cooldown
// check), and the server's default limit of 10 visibility calls per second per namespace (the dev server raises it to
// 100) then starves every other file's list calls: tests running beside it time out.
export default defineConfig({
  test: {
    name: 'real-server',
    pool: 'forks',
    environment: 'node',
    include: [
      'test/workflows/failover.temporal.test.ts',
      'test/workflows/exactly-once.temporal.test.ts',
      'test/workflows/regions.temporal.test.ts',
      'test/workflows/fault-recovery.temporal.test.ts',
      'test/workflows/worker-crash.temporal.test.ts',
      'test/workflows/operator.temporal.test.ts',
      'test/cli/operator.temporal.test.ts',
      'test/cli/commands.temporal.test.ts',
      'test/cli/startup.temporal.test.ts',
      'test/drills/*.temporal.test.ts',
      'test/intake/intake.temporal.test.ts',
      'test/intake/decisions.temporal.test.ts',
      'test/intake/replay.temporal.test.ts',
      'test/intake/resolved.temporal.test.ts',
    ],
    // One server (and PostgreSQL) per run, shared by every file; each test uses its own task queue and ids.
    globalSetup: ['test/helpers/global-setup-real-server.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    maxWorkers: 2,
  },
});
