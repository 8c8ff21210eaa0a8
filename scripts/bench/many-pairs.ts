/**
 * P4 and the two-worker case: N pairs of one project fail over at once, every operation lasting the same fixed
 * time, under the account's DWS rate limit. Worker processes as in production, their RSS sampled from /proc. The
 * floor is what the limit allows at best: N/rate seconds to send one request per pair, plus one operation.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { loadConfig } from '../../src/config';
import type { RequestLogEntry } from '../../src/simulator';
import { addDownPair, start, waitForReport } from './failover-run';
import { log, sharedLimitEnv, startSimulator, waitForPollers, workerEnv, WorkerProcess, type Stack } from './stack';
import { busiestSecond, busiestWindow, busiestWindowStart, max, percentile } from './stats';
import { pairTruths } from './truth';

/** Runs started at once by this process (signal-with-start + describe each); the worker sees them all queued. */
const START_CONCURRENCY = 32;

export interface ManyPairsResult {
  pairs: number;
  workers: number;
  /** What each worker was configured with for the limit, e.g. `DWS_RATE_LIMIT=50 DWS_FAILOVER_WORKERS=2`. */
  workerSettings: string;
  rate: number;
  opSeconds: number;
  floorSeconds: number;
  /** First start → last report. */
  makespanSeconds: number;
  /** First start → the median and the last accepted failover POST. */
  postP50Seconds: number;
  lastPostSeconds: number;
  /** First start → last role swap in the simulator. */
  lastSwapSeconds: number | null;
  startSeconds: number;
  outcomes: Record<string, number>;
  notFinished: number;
  requests: number;
  requestsPerPair: number;
  postsPerPair: number;
  /** Pairs with more than one accepted failover. */
  duplicates: number;
  busiestWindow: number;
  busiestSecond: number;
  /** Every request of the scenario, by endpoint. */
  totalMix: string;
  /** What the busiest window held, by endpoint, e.g. `30 detail, 20 failover`. */
  busiestMix: string;
  /** Peak RSS of each worker, MB (10^6 bytes). */
  peakRssMB: number[];
  rtoP50: number;
  rtoP95: number;
}

export async function runManyPairs(
  stack: Stack,
  options: { pairs: number; workers: number; rate: number; opSeconds: number; label: string }
): Promise<ManyPairsResult> {
  const { pairs: n, workers: count, rate, opSeconds, label } = options;
  const sim = await startSimulator({ failoverDurationMs: opSeconds * 1000 });
  const taskQueue = `bench-${label}-${randomUUID()}`;
  const envs = Array.from({ length: count }, (_, i) =>
    workerEnv(stack, sim, taskQueue, sharedLimitEnv(rate, i, count))
  );
  const config = loadConfig(envs[0] ?? {}, { requireDws: true });
  const workers = envs.map((env) => new WorkerProcess(env));
  const floorSeconds = n / rate + opSeconds;
  const workerSettings = Object.entries(sharedLimitEnv(rate, 0, count))
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const deadlineMs = Date.now() + Math.max(600_000, floorSeconds * 5_000);
  let progress: NodeJS.Timeout | undefined;
  try {
    await waitForPollers(stack.client, taskQueue, workers);
    const projectId = randomBytes(16).toString('hex');
    const pairs = Array.from({ length: n }, () => addDownPair(sim, projectId));
    log(
      `${label}: ${n} pairs at once, ${count} worker(s) with ${workerSettings}; ` +
        `failover ${opSeconds} s; floor ${floorSeconds.toFixed(1)} s`
    );
    const t0 = Date.now();
    let reported = 0;
    progress = setInterval(() => {
      const swapped = [...pairTruths(sim).values()].filter((t) => t.swappedAtMs !== null).length;
      const recent = sim.requests({ since: 0 }).filter((r) => Date.parse(r.time) > Date.now() - 10_000).length;
      log(
        `  ${label} ${Math.round((Date.now() - t0) / 1000)} s: ${swapped}/${n} swapped, ${reported}/${n} reports, ` +
          `${(recent / 10).toFixed(1)} DWS requests/s`
      );
    }, 10_000);
    const runs = await startAll(stack.client, config, pairs, label);
    const startSeconds = (Date.now() - t0) / 1000;
    const results = await Promise.all(
      runs.map(async (run) => {
        const r = await waitForReport(stack.client, run, deadlineMs);
        reported++;
        return r;
      })
    );
    clearInterval(progress);
    const truths = pairTruths(sim);
    const requests = sim.requests();
    const times = requests.map((r) => Date.parse(r.time));
    const outcomes: Record<string, number> = {};
    for (const r of results) {
      const key = r.report?.outcome ?? 'no report';
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
    const swaps = pairs.map((p) => truths.get(p.drId)?.swappedAtMs ?? null);
    const rto = results.map((r) => r.report?.rtoSeconds ?? NaN);
    const posts = requests
      .filter((r) => r.method === 'POST' && r.accepted === true)
      .map((r) => (Date.parse(r.time) - t0) / 1000);
    return {
      pairs: n,
      workers: count,
      workerSettings,
      rate,
      opSeconds,
      floorSeconds,
      makespanSeconds: (Math.max(...results.map((r) => r.atMs)) - t0) / 1000,
      postP50Seconds: percentile(posts, 50),
      lastPostSeconds: max(posts),
      lastSwapSeconds: swaps.includes(null) ? null : (Math.max(...(swaps as number[])) - t0) / 1000,
      startSeconds,
      outcomes,
      notFinished: results.filter((r) => r.report === null).length,
      requests: requests.length,
      requestsPerPair: requests.length / n,
      postsPerPair: requests.filter((r) => r.method === 'POST').length / n,
      duplicates: pairs.filter((p) => (truths.get(p.drId)?.acceptedFailovers ?? 0) > 1).length,
      busiestWindow: busiestWindow(times),
      busiestSecond: busiestSecond(times),
      busiestMix: mixOf(requests, busiestWindowStart(times)),
      totalMix: mixOf(requests, 0, Infinity),
      peakRssMB: workers.map((w) => (w.peakRssMiB * 1024 * 1024) / 1e6),
      rtoP50: percentile(rto, 50),
      rtoP95: percentile(rto, 95),
    };
  } catch (err) {
    for (const w of workers) log(`${label} worker output:\n${w.tail()}`);
    throw err;
  } finally {
    clearInterval(progress);
    await Promise.all(workers.map((w) => w.stop()));
    await sim.close();
  }
}

/** Starts every pair's failover, START_CONCURRENCY at a time, in the order given. */
async function startAll(
  client: Client,
  config: ReturnType<typeof loadConfig>,
  pairs: ReturnType<typeof addDownPair>[],
  label: string
): Promise<{ workflowId: string; runId: string }[]> {
  const runs: { workflowId: string; runId: string }[] = new Array(pairs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(START_CONCURRENCY, pairs.length) }, async () => {
      for (let i = next++; i < pairs.length; i = next++) {
        runs[i] = await start(client, config, pairs[i] as ReturnType<typeof addDownPair>, `bench ${label}`);
      }
    })
  );
  return runs;
}

/** The requests from `startMs` for `spanMs` (a one-second window by default), counted by endpoint. */
function mixOf(requests: RequestLogEntry[], startMs: number, spanMs = 1000): string {
  const counts = new Map<string, number>();
  for (const r of requests) {
    const t = Date.parse(r.time);
    if (!(t >= startMs && t < startMs + spanMs)) continue;
    const kind =
      r.method === 'POST'
        ? (r.path.split('/').at(-1) ?? 'POST')
        : r.path.includes('/clusters/')
          ? 'cluster'
          : r.path.endsWith('/clusters')
            ? 'cluster list'
            : r.path.endsWith('/disaster-recoveries')
              ? 'DR list'
              : r.path.endsWith('/show-progress')
                ? 'progress'
                : 'detail';
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].map(([k, v]) => `${v} ${k}`).join(', ') || 'nothing';
}
