/**
 * The benchmark's command line: `npm run bench -- [--pairs N] [--two-worker-pairs N] [--runs N] [--only p1,p4] …`.
 */
import { parseArgs } from 'node:util';

export const SCENARIOS = ['p1', 'p2', 'p3', 'p4', 'p5', 'two-workers'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** A bad command line; the message names the flag. */
export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

export interface BenchArgs {
  help: boolean;
  /** P4: pairs failing over at once. @default 1000 */
  pairs: number;
  /** Two workers: pairs failing over at once. @default 300 */
  twoWorkerPairs: number;
  /** P1/P2: samples, all running at once. @default 8 */
  runs: number;
  /** P3: samples of each path (alert, direct start). @default 10 */
  alertSamples: number;
  /** P4 and two workers: the account's DWS limit, requests/s. @default 50 */
  rate: number;
  /** P4 and two workers: fixed operation duration, seconds. @default 10 */
  opSeconds: number;
  /** P1: operation durations are drawn uniformly in [min, max] seconds. @default 20, 40 */
  p1MinSeconds: number;
  p1MaxSeconds: number;
  /** P5: the short and the long operation, seconds. @default 5, 120 */
  p5ShortSeconds: number;
  p5LongSeconds: number;
  /** Extra worker environment for every worker (`--worker-env KEY=VALUE`, repeatable). */
  workerEnv: Record<string, string>;
  only: Set<Scenario>;
  json: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]

Runs the performance figures of dws-failover side by side against the DWS simulator over loopback (an in-process
Temporal dev server, worker processes as in production) and prints one table with each goal next to its figure.

Options:
  --pairs N               P4: pairs of one project failing over at once (default 1000)
  --two-worker-pairs N    the P4 scenario with two worker processes (default 300)
  --runs N                P1/P2: failovers (and as many bare loops) running at once (default 8)
  --alert-samples N       P3: samples of each path, one at a time (default 10)
  --rate R                P4: the account's DWS rate limit, requests/s (default 50)
  --op-seconds S          P4: fixed failover duration (default 10)
  --p1-seconds MIN-MAX    P1: failover durations drawn in this range (default 20-40)
  --p5-seconds SHORT,LONG P5: the short and the long failover (default 5,120)
  --worker-env KEY=VALUE  extra environment for every worker process (repeatable), e.g. DWS_FAILOVER_POLL_INTERVAL=1s
  --only LIST             a subset of ${SCENARIOS.join(',')} (p2 comes with p1)
  --json                  print the figures as JSON on stdout instead of the table
  --help                  this text`;

const OPTIONS = {
  pairs: { type: 'string' },
  'two-worker-pairs': { type: 'string' },
  runs: { type: 'string' },
  'alert-samples': { type: 'string' },
  rate: { type: 'string' },
  'op-seconds': { type: 'string' },
  'p1-seconds': { type: 'string' },
  'p5-seconds': { type: 'string' },
  'worker-env': { type: 'string', multiple: true },
  only: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function whole(flag: string, raw: string | undefined, fallback: number, min: number, maxValue: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > maxValue) {
    throw new BenchUsageError(`--${flag} must be a whole number from ${min} to ${maxValue}, got '${raw}'`);
  }
  return n;
}

function pairOf(flag: string, raw: string | undefined, sep: string, fallback: [number, number]): [number, number] {
  if (raw === undefined) return fallback;
  const parts = raw.split(sep).map(Number);
  const [a, b] = parts;
  if (parts.length !== 2 || a === undefined || b === undefined || !(a > 0) || !(b >= a) || b > 3600) {
    throw new BenchUsageError(`--${flag} must be two seconds A${sep}B with 0 < A ≤ B ≤ 3600, got '${raw}'`);
  }
  return [a, b];
}

/** @throws BenchUsageError naming the flag. */
export function parseBenchArgs(argv: string[]): BenchArgs {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true }>>['values'];
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new BenchUsageError((err as Error).message);
  }
  const only = new Set<Scenario>();
  for (const name of (values.only ?? SCENARIOS.join(',')).split(',').map((s) => s.trim().toLowerCase())) {
    if (!(SCENARIOS as readonly string[]).includes(name)) {
      throw new BenchUsageError(`--only: unknown figure '${name}'; use ${SCENARIOS.join(', ')}`);
    }
    only.add(name as Scenario);
  }
  // P2 is measured on P1's runs.
  if (only.has('p2')) only.add('p1');
  if (only.has('p1')) only.add('p2');
  const workerEnv: Record<string, string> = {};
  for (const kv of values['worker-env'] ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new BenchUsageError(`--worker-env must be KEY=VALUE, got '${kv}'`);
    workerEnv[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  const [p1MinSeconds, p1MaxSeconds] = pairOf('p1-seconds', values['p1-seconds'], '-', [20, 40]);
  const [p5ShortSeconds, p5LongSeconds] = pairOf('p5-seconds', values['p5-seconds'], ',', [5, 120]);
  return {
    help: values.help === true,
    pairs: whole('pairs', values.pairs, 1000, 1, 20_000),
    twoWorkerPairs: whole('two-worker-pairs', values['two-worker-pairs'], 300, 1, 20_000),
    runs: whole('runs', values.runs, 8, 1, 200),
    alertSamples: whole('alert-samples', values['alert-samples'], 10, 1, 1000),
    rate: whole('rate', values.rate, 50, 1, 10_000),
    opSeconds: whole('op-seconds', values['op-seconds'], 10, 1, 3600),
    p1MinSeconds,
    p1MaxSeconds,
    p5ShortSeconds,
    p5LongSeconds,
    workerEnv,
    only,
    json: values.json === true,
  };
}
