/**
 * P1, P2 and P5 on one simulator and one worker: failovers of random duration run at once, each beside a bare
 * read-POST-poll loop on a pair of the same duration. The simulator's failover duration is a global knob read when
 * a failover is accepted, so samples start one after the other: set the duration, start both, wait until both
 * POSTs were accepted, then the next. The operations still overlap (they last 20–40 s, the stagger is ~1 s each).
 * Each pair has a project of its own, so every request in the log belongs to exactly one sample.
 */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config';
import type { OperationReport } from '../../src/shared/operation-model';
import type { Simulator } from '../../src/simulator';
import type { BenchArgs } from './args';
import { bareFailover, type BareResult } from './bare-loop';
import { addDownPair, start, waitForReport, type BenchPair } from './failover-run';
import { log, sleep, startSimulator, waitForPollers, workerEnv, WorkerProcess, type Stack } from './stack';
import { acceptedPostAt, pairTruths, requestsByProject } from './truth';

/** A run that has no report this long after its start is terminated and counted as failed. */
const RUN_DEADLINE_MS = 15 * 60_000;
/** How long a sample may take to get its POSTs accepted before the next one starts anyway. */
const POST_WAIT_MS = 60_000;

export interface E2eSample {
  kind: 'p1' | 'p5-short' | 'p5-long';
  plannedMs: number;
  tool: {
    pair: BenchPair;
    startMs: number;
    reportMs: number | null;
    outcome: string | null;
    error: string | null;
    /** `report.completion.observedAt`: when dws-failover confirmed the swap (epoch ms). */
    confirmedMs: number | null;
    postMs: number | null;
    swappedAtMs: number | null;
    /** The real operation duration (commit → swap) from the simulator. */
    operationMs: number | null;
    /** GET requests of the pair between its POST and the confirmation, per second. */
    readsPerSecond: number | null;
    /** Every DWS request of the pair. */
    requests: number;
    historyEvents: number | null;
  };
  bare: {
    pair: BenchPair;
    startMs: number;
    result: BareResult | null;
    error: string | null;
    swappedAtMs: number | null;
    operationMs: number | null;
    readsPerSecond: number | null;
  } | null;
}

export interface E2eResult {
  samples: E2eSample[];
  /** The worker's settings that shape these figures, as the worker read them. */
  pollIntervalSeconds: number;
  rateLimit: number;
}

/** Runs the P1 samples (with bare loops) and the two P5 samples. */
export async function runEndToEnd(stack: Stack, args: BenchArgs): Promise<E2eResult> {
  const plans: { kind: E2eSample['kind']; ms: number }[] = [];
  if (args.only.has('p1')) {
    for (let i = 0; i < args.runs; i++) {
      const s = args.p1MinSeconds + Math.random() * (args.p1MaxSeconds - args.p1MinSeconds);
      plans.push({ kind: 'p1', ms: Math.round(s * 1000) });
    }
  }
  if (args.only.has('p5')) {
    plans.push(
      { kind: 'p5-short', ms: args.p5ShortSeconds * 1000 },
      { kind: 'p5-long', ms: args.p5LongSeconds * 1000 }
    );
  }
  const sim = await startSimulator({});
  const taskQueue = `bench-e2e-${randomUUID()}`;
  const env = workerEnv(stack, sim, taskQueue);
  const config = loadConfig(env, { requireDws: true });
  const worker = new WorkerProcess(env);
  try {
    await waitForPollers(stack.client, taskQueue, [worker]);
    log(
      `P1/P2/P5: ${plans.length} failovers (${plans.filter((p) => p.kind === 'p1').length} beside a bare loop); ` +
        `DWS_FAILOVER_POLL_INTERVAL ${config.policy.pollIntervalSeconds} s, DWS_RATE_LIMIT ${config.dws.rateLimitPerSecond}`
    );
    const running: Promise<E2eSample>[] = [];
    for (const [i, plan] of plans.entries()) {
      sim.configure({ failoverDurationMs: plan.ms });
      const toolPair = addDownPair(sim);
      const barePair = plan.kind === 'p1' ? addDownPair(sim) : null;
      const sample = runSample(stack, config, sim, plan, toolPair, barePair);
      running.push(
        sample.then((s) => {
          const wall = s.tool.reportMs !== null ? ((s.tool.reportMs - s.tool.startMs) / 1000).toFixed(1) : '–';
          const bare = s.bare?.result
            ? `, bare loop ${((s.bare.result.doneMs - s.bare.startMs) / 1000).toFixed(1)} s`
            : '';
          const outcome = s.tool.outcome ?? s.tool.error ?? 'no report';
          log(`  ${s.kind} #${i + 1} (${(plan.ms / 1000).toFixed(1)} s): dws-failover ${wall} s (${outcome})${bare}`);
          return s;
        })
      );
      await untilPostsAccepted(
        sim,
        [toolPair, barePair].filter((p): p is BenchPair => p !== null)
      );
    }
    const samples = await Promise.all(running);
    const truths = pairTruths(sim);
    const byProject = requestsByProject(sim.requests());
    for (const s of samples) {
      const t = truths.get(s.tool.pair.drId);
      s.tool.swappedAtMs = t?.swappedAtMs ?? null;
      s.tool.operationMs = t?.swappedAtMs && t.committedAtMs ? t.swappedAtMs - t.committedAtMs : null;
      s.tool.postMs = acceptedPostAt(sim, s.tool.pair.projectId, s.tool.pair.drId);
      const reqs = byProject.get(s.tool.pair.projectId) ?? [];
      s.tool.requests = reqs.length;
      s.tool.readsPerSecond = readRate(reqs, s.tool.postMs, s.tool.confirmedMs);
      s.tool.historyEvents = await stack.client.workflow
        .getHandle(`dws-failover:${s.tool.pair.projectId}:${s.tool.pair.drId}`)
        .fetchHistory()
        .then((h) => h.events?.length ?? null)
        .catch(() => null);
      if (s.bare) {
        const b = truths.get(s.bare.pair.drId);
        s.bare.swappedAtMs = b?.swappedAtMs ?? null;
        s.bare.operationMs = b?.swappedAtMs && b.committedAtMs ? b.swappedAtMs - b.committedAtMs : null;
        const postMs = acceptedPostAt(sim, s.bare.pair.projectId, s.bare.pair.drId);
        s.bare.readsPerSecond = readRate(
          byProject.get(s.bare.pair.projectId) ?? [],
          postMs,
          s.bare.result?.doneMs ?? null
        );
      }
    }
    return {
      samples,
      pollIntervalSeconds: config.policy.pollIntervalSeconds,
      rateLimit: config.dws.rateLimitPerSecond,
    };
  } catch (err) {
    log(`P1/P2/P5 worker output:\n${worker.tail()}`);
    throw err;
  } finally {
    await worker.stop();
    await sim.close();
  }
}

async function runSample(
  stack: Stack,
  config: ReturnType<typeof loadConfig>,
  sim: Simulator,
  plan: { kind: E2eSample['kind']; ms: number },
  toolPair: BenchPair,
  barePair: BenchPair | null
): Promise<E2eSample> {
  const bare = barePair
    ? (async () => {
        const startMs = Date.now();
        try {
          return { startMs, result: await bareFailover(sim.url, barePair.projectId, barePair.drId), error: null };
        } catch (err) {
          return { startMs, result: null, error: (err as Error).message };
        }
      })()
    : null;
  const startMs = Date.now();
  let report: OperationReport | null = null;
  let reportMs: number | null = null;
  let error: string | null = null;
  try {
    const run = await start(stack.client, config, toolPair, `bench ${plan.kind}`);
    const waited = await waitForReport(stack.client, run, startMs + RUN_DEADLINE_MS);
    report = waited.report;
    reportMs = waited.report ? waited.atMs : null;
    error = waited.error;
  } catch (err) {
    error = (err as Error).message;
  }
  const b = bare ? await bare : null;
  const observedAt = report?.completion?.observedAt;
  return {
    kind: plan.kind,
    plannedMs: plan.ms,
    tool: {
      pair: toolPair,
      startMs,
      reportMs,
      outcome: report?.outcome ?? null,
      error,
      confirmedMs: observedAt ? Date.parse(observedAt) : null,
      postMs: null,
      swappedAtMs: null,
      operationMs: null,
      readsPerSecond: null,
      requests: 0,
      historyEvents: null,
    },
    bare: barePair && b ? { pair: barePair, ...b, swappedAtMs: null, operationMs: null, readsPerSecond: null } : null,
  };
}

/** Waits until every pair has an accepted failover POST (or the wait runs out: the next sample starts anyway). */
async function untilPostsAccepted(sim: Simulator, pairs: BenchPair[]): Promise<void> {
  const deadline = Date.now() + POST_WAIT_MS;
  while (Date.now() < deadline) {
    if (pairs.every((p) => acceptedPostAt(sim, p.projectId, p.drId) !== null)) return;
    await sleep(20);
  }
  log(`  a sample's POST was not accepted within ${POST_WAIT_MS / 1000} s; its duration may differ from the plan`);
}

/** GET requests per second between `fromMs` and `toMs`; null when either is unknown. */
function readRate(
  requests: { method: string; time: string }[],
  fromMs: number | null,
  toMs: number | null
): number | null {
  if (fromMs === null || toMs === null || toMs <= fromMs) return null;
  const reads = requests.filter((r) => {
    const t = Date.parse(r.time);
    return r.method === 'GET' && t > fromMs && t <= toMs;
  }).length;
  return reads / ((toMs - fromMs) / 1000);
}
