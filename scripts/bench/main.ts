/**
 * The performance figures of dws-failover, side by side, in one run: `npm run bench -- [--pairs N] [--runs N] …`.
 * Starts a Temporal dev server, then for each scenario a DWS simulator and worker processes on loopback, and prints
 * one table with every goal next to its figure (progress goes to stderr). See docs/performance.md.
 */
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { runAlertLatency, type AlertSample } from './alert-latency';
import { BenchUsageError, parseBenchArgs, USAGE } from './args';
import { runEndToEnd, type E2eResult } from './end-to-end';
import { runManyPairs, type ManyPairsResult } from './many-pairs';
import { cleanups, log, startStack, type Stack } from './stack';
import { alertRows, endToEndRows, manyPairsRows, renderTable, type Row } from './table';

const ROOT = join(__dirname, '..', '..');

async function main(): Promise<number> {
  const args = parseBenchArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (!existsSync(join(ROOT, 'lib', 'cli', 'main.js'))) {
    throw new Error('lib/ is missing: run `npm run build` first (npm run bench does it for you)');
  }
  const onSignal = (): void => {
    log('interrupted: stopping every worker, simulator and the Temporal dev server');
    for (const cleanup of cleanups) cleanup();
    setTimeout(() => process.exit(130), 500).unref();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const began = Date.now();
  let stack: Stack | null = null;
  try {
    stack = await startStack(args.workerEnv);
    const rows: Row[] = [];
    const raw: { endToEnd?: E2eResult; alerts?: AlertSample[]; p4?: ManyPairsResult; twoWorkers?: ManyPairsResult } =
      {};
    if (args.only.has('p3')) {
      raw.alerts = await runAlertLatency(stack, args.alertSamples);
      rows.push(...alertRows(raw.alerts));
    }
    if (args.only.has('p1') || args.only.has('p5')) {
      raw.endToEnd = await runEndToEnd(stack, args);
      rows.unshift(...endToEndRows(raw.endToEnd));
    }
    if (args.only.has('p4')) {
      raw.p4 = await runManyPairs(stack, {
        pairs: args.pairs,
        workers: 1,
        rate: args.rate,
        opSeconds: args.opSeconds,
        label: 'p4',
      });
      rows.push(...manyPairsRows(raw.p4, 'P4'));
    }
    if (args.only.has('two-workers')) {
      raw.twoWorkers = await runManyPairs(stack, {
        pairs: args.twoWorkerPairs,
        workers: 2,
        rate: args.rate,
        opSeconds: args.opSeconds,
        label: 'two-workers',
      });
      rows.push(...manyPairsRows(raw.twoWorkers, '2W'));
    }
    rows.sort((a, b) => order(a.id) - order(b.id));
    const machine = `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`;
    const sizes = [
      args.only.has('p1') ? `--runs ${args.runs} --p1-seconds ${args.p1MinSeconds}-${args.p1MaxSeconds}` : '',
      args.only.has('p3') ? `--alert-samples ${args.alertSamples}` : '',
      args.only.has('p4') ? `--pairs ${args.pairs}` : '',
      args.only.has('two-workers') ? `--two-worker-pairs ${args.twoWorkerPairs}` : '',
      args.only.has('p4') || args.only.has('two-workers') ? `--rate ${args.rate} --op-seconds ${args.opSeconds}` : '',
      args.only.has('p5') ? `--p5-seconds ${args.p5ShortSeconds},${args.p5LongSeconds}` : '',
      ...Object.entries(args.workerEnv).map(([k, v]) => `--worker-env ${k}=${v}`),
    ]
      .filter((part) => part !== '')
      .join(' ');
    const took = `${((Date.now() - began) / 60_000).toFixed(1)} min`;
    if (args.json) {
      console.log(JSON.stringify({ machine, sizes, took, rows, raw }, null, 2));
    } else {
      console.log(renderTable(rows, `dws-failover benchmark (${sizes}; ${machine}; took ${took})`));
    }
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stack?.close();
  }
}

const order = (id: string): number => ['P1', 'P2', 'P3', 'P4', 'P5', '2W'].indexOf(id);

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    for (const cleanup of cleanups) cleanup();
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(err instanceof BenchUsageError ? 2 : 1);
  }
);
