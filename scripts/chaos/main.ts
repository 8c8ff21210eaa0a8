/**
 * The chaos run: `npm run chaos -- --runs N --seed S [--concurrency C] [--run K] [--no-temporal-restarts] [--json]`.
 * Proves or disproves the exactly-once guarantee against random fault schedules: every run is a real workflow on a
 * real Temporal dev server (restarted now and then), a worker process that gets SIGKILLed, and a simulator with
 * planned faults; the simulator's ground truth judges the report. Exits 0 only when every invariant held.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { ChaosUsageError, parseChaosArgs, USAGE, type ChaosArgs } from './args';
import { executeRun, type RunContext, type RunResult } from './run';
import { drawRunPlan, temporalRestartSchedule } from './schedule';
import { renderTable, summarize } from './table';
import { runRestarts, sleep, TemporalServer } from './temporal';

const ROOT = join(__dirname, '..', '..');
/** How long a replayed run keeps Temporal down at each `--restart-at` offset. */
const REPLAY_DOWN_MS = 2000;

const log = (line: string): void => {
  process.stderr.write(`[chaos] ${line}\n`);
};

/** Clean-up steps of everything still running, for SIGINT and failures. */
const cleanups = new Set<() => void>();

async function main(): Promise<number> {
  const args = parseChaosArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (!existsSync(join(ROOT, 'lib', 'devstack', 'bundle.js'))) {
    throw new Error('lib/ is missing: run `npm run build` first (npm run chaos does it for you)');
  }
  const runs = args.run !== null ? [args.run] : Array.from({ length: args.runs }, (_, i) => i + 1);
  const concurrency = Math.min(args.run !== null ? 1 : args.concurrency, runs.length);
  log(
    `seed ${args.seed}${args.seedGiven ? '' : ' (drawn at random)'}; ${args.run !== null ? `replaying run ${args.run}` : `${runs.length} runs`}, ` +
      `${concurrency} at a time, Temporal restarts ${args.temporalRestarts ? 'on' : 'off'}`
  );

  const dir = mkdtempSync(join(tmpdir(), 'dws-chaos-'));
  const stopRestarts = new AbortController();
  const temporal = new TemporalServer(dir, (line) => log(line));
  let connection: Connection | null = null;
  const onSigint = (): void => {
    log('interrupted: stopping every worker, simulator and the Temporal dev server');
    stopRestarts.abort();
    for (const cleanup of cleanups) cleanup();
    void temporal.stop().finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  try {
    const bundlePath = join(dir, 'workflow-bundle.js');
    await Promise.all([temporal.start(), writeBundle(bundlePath)]);
    connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection, namespace: 'default' });
    const restarting = startRestarts(args, temporal, stopRestarts.signal);
    const ctx: RunContext = {
      client,
      temporalAddress: temporal.address,
      workflowBundlePath: bundlePath,
      restartsDuring: (from, to) => temporal.restartsDuring(from, to),
      onAbort: (cleanup) => {
        cleanups.add(cleanup);
        return () => cleanups.delete(cleanup);
      },
      ...(args.run !== null && args.temporalRestarts && args.restartAt.length > 0
        ? { onStarted: (t0: number) => void replayRestarts(temporal, t0, args.restartAt, stopRestarts.signal) }
        : {}),
    };

    const results: RunResult[] = [];
    let next = 0;
    const total = args.run !== null ? `${args.run} (replay)` : String(runs.length);
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < runs.length && !stopRestarts.signal.aborted) {
          const k = runs[next++] as number;
          const result = await executeRun(drawRunPlan(args.seed, k), ctx);
          results.push(result);
          log(progressLine(result, total));
        }
      })
    );
    stopRestarts.abort();
    await restarting;
    results.sort((a, b) => a.plan.run - b.plan.run);
    const summary = summarize(args.seed, results, temporal.restarts.length);
    if (args.json) console.log(JSON.stringify({ summary, runs: results }, null, 2));
    else console.log(renderTable(summary));
    return summary.failed === 0 ? 0 : 1;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    stopRestarts.abort();
    for (const cleanup of cleanups) cleanup();
    // The connection is not closed: a client call still retrying from a Temporal restart (a run's abandoned wait for
    // its result) would fire on the closed channel and throw from its timer, after the verdict was printed. The
    // process exits right after this, which closes it.
    await temporal.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Bundles the built workflows (lib/, what the worker processes run) once for every worker. */
async function writeBundle(path: string): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    ['-e', `require('./lib/devstack/bundle').writeWorkflowBundle(${JSON.stringify(path)})`],
    { cwd: ROOT }
  );
}

/** Random restarts from the master seed (a whole chaos run); none for a replay, which uses `--restart-at`. */
async function startRestarts(args: ChaosArgs, temporal: TemporalServer, signal: AbortSignal): Promise<void> {
  if (!args.temporalRestarts || args.run !== null) return;
  const schedule = temporalRestartSchedule(args.seed);
  await runRestarts(
    temporal,
    () => schedule.next().value ?? null,
    signal,
    (err) => log(`Temporal did not come back after a restart: ${err.message}`)
  );
}

/** A replay's restarts, at the offsets the original run saw. */
async function replayRestarts(temporal: TemporalServer, t0: number, offsets: number[], signal: AbortSignal) {
  for (const offset of [...offsets].sort((a, b) => a - b)) {
    if (!(await sleep(Math.max(0, t0 + offset * 1000 - Date.now()), signal))) return;
    await temporal.restart(REPLAY_DOWN_MS).catch((err: Error) => log(`Temporal restart failed: ${err.message}`));
  }
}

function progressLine(r: RunResult, total: string): string {
  const faults = r.faults.length > 0 ? r.faults.join(',') : 'none';
  const skipped = r.skipped.length > 0 ? ` skipped=${r.skipped.map((s) => s.fault).join(',')}` : '';
  const restarts = r.restartOffsets.length > 0 ? ` temporal-restarts@${r.restartOffsets.join(',')}s` : '';
  const status = r.verdict.violations.length === 0 ? 'ok' : `FAIL (${r.verdict.violations.join('; ')})`;
  return (
    `run ${r.plan.run}/${total} ${r.plan.op} faults=${faults}${skipped} kills=${r.workerKills}${restarts} → ` +
    `${r.outcome ?? 'not finished'} ${status} ${r.seconds.toFixed(1)}s`
  );
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    for (const cleanup of cleanups) cleanup();
    if (err instanceof ChaosUsageError) {
      console.error(`chaos: ${err.message}`);
      process.exit(2);
    }
    console.error(`chaos: ${(err as Error).message}`);
    process.exit(1);
  }
);
