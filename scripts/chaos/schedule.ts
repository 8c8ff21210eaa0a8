/**
 * What one chaos run does, drawn from its own seeded stream: the operation, the simulator's timings, the faults and
 * when the worker dies. Pure: the same (seed, run) always gives the same plan, so `--seed S --run K` replays it.
 */
import { createRng, deriveSeed, type Rng } from './random';

export type Operation = 'failover' | 'switchover' | 'recovery';

/** The fault menu; a knob the simulator refuses is reported as skipped, never silently dropped. */
export type FaultKind =
  | 'post-5xx'
  | 'post-429'
  | 'accept-then-500'
  | 'accept-then-drop'
  | 'post-timeout'
  | 'read-5xx'
  | 'slow-read'
  | 'commit-delay'
  | 'read-lag'
  | 'in-flight-status'
  | 'hidden-tasks'
  | 'refuse-connections'
  | 'old-primary-returns';

export const FAULT_KINDS: readonly FaultKind[] = Object.freeze([
  'post-5xx',
  'post-429',
  'accept-then-500',
  'accept-then-drop',
  'post-timeout',
  'read-5xx',
  'slow-read',
  'commit-delay',
  'read-lag',
  'in-flight-status',
  'hidden-tasks',
  'refuse-connections',
  'old-primary-returns',
]);

/** Which request a fault rule targets: the run's mutating POST or its DR detail GET. */
export type RuleTarget = 'action-post' | 'detail-get';

/** A simulator fault rule before the run's paths are known. */
export interface PlannedRule {
  target: RuleTarget;
  status?: number;
  retryAfter?: number;
  delayMs?: number;
  acceptThen500?: boolean;
  acceptThenDrop?: boolean;
  count: number;
}

export type PlannedFault =
  | { kind: 'post-5xx' | 'post-429' | 'accept-then-500' | 'accept-then-drop' | 'post-timeout'; rule: PlannedRule }
  | { kind: 'read-5xx' | 'slow-read'; rule: PlannedRule }
  | { kind: 'commit-delay'; commitDelayMs: number }
  | { kind: 'read-lag'; readLagMs: { detail: number; list: number; cluster: number } }
  | { kind: 'in-flight-status'; status: string }
  | { kind: 'hidden-tasks' }
  | { kind: 'refuse-connections'; atMs: number; durationMs: number }
  | { kind: 'old-primary-returns'; atMs: number };

export interface WorkerKill {
  /** After the run's start. */
  atMs: number;
  /** How long the worker stays dead before a new one starts. */
  downMs: number;
}

/**
 * A cross-region run: the pair's clusters in cn-north-4 and cn-south-1, each region with its own copy of the record
 * (the far one `replicationLagMs` behind), and maybe an outage of the primary region's endpoint, for a while or to
 * the end of the run.
 */
export interface RegionPlan {
  replicationLagMs: number;
  failoverEndpoint: 'standby-region' | 'primary-region';
  outage: { atMs: number; durationMs: number | null; mode: 'reset' | 'unavailable' } | null;
}

export interface RunPlan {
  seed: number;
  /** 1-based. */
  run: number;
  op: Operation;
  simulator: {
    failoverDurationMs: number;
    switchoverDurationMs: number;
    recoveryDurationMs: number;
    /** Seeds the simulator's own randomness (probabilistic rules, jittered lags). */
    randomSeed: number;
  };
  /** recovery only: the DR status after the failover being recovered from. */
  recoveryFromStatus: 'abnormal' | 'running' | null;
  faults: PlannedFault[];
  workerKills: WorkerKill[];
  /** A cross-region pair (a third of the runs); null: the pair lives in one region, as before. */
  regions: RegionPlan | null;
}

/** The planned bound of commit delay plus the largest read lag: the workflow's fence is 3 s timeout + 4 s lag. */
export const MAX_COMMIT_PLUS_LAG_MS = 4000;
/** Past the worker's 3 s DWS request timeout: the client gives up, the simulator still commits. */
const POST_TIMEOUT_DELAY_MS: [number, number] = [3500, 6000];
/** Statuses that look settled while the operation still runs (the last one is unknown to the workflow). */
const IN_FLIGHT_STATUSES = ['running', 'abnormal', 'dr_switching'] as const;

/** Draws the plan of run `run` (1-based) of master seed `seed`. */
export function drawRunPlan(seed: number, run: number): RunPlan {
  const rng = createRng(deriveSeed(seed, run));
  const op = rng.weighted<Operation>({ failover: 60, switchover: 20, recovery: 20 });
  const simulator = {
    failoverDurationMs: rng.int(1000, 4000),
    switchoverDurationMs: rng.int(1000, 4000),
    recoveryDurationMs: rng.int(1000, 4000),
    randomSeed: deriveSeed(deriveSeed(seed, run), 1),
  };
  const recoveryFromStatus = op === 'recovery' ? rng.pick(['abnormal', 'running'] as const) : null;
  const menu = FAULT_KINDS.filter((k) => k !== 'old-primary-returns' || op === 'failover');
  const kinds = rng.sample(menu, rng.int(0, 4));
  // The lag budget is shared: draw the commit delay first so the lag fits in what is left.
  kinds.sort((a, b) => Number(b === 'commit-delay') - Number(a === 'commit-delay'));
  let commitDelayMs = 0;
  const faults = kinds.map((kind) => {
    const fault = drawFault(rng, kind, commitDelayMs);
    if (fault.kind === 'commit-delay') commitDelayMs = fault.commitDelayMs;
    return fault;
  });
  const killCount = rng.weighted({ '0': 50, '1': 30, '2': 20 });
  const workerKills = Array.from({ length: Number(killCount) }, () => ({
    atMs: rng.int(1000, 15_000),
    downMs: rng.int(0, 3000),
  })).sort((a, b) => a.atMs - b.atMs);
  return { seed, run, op, simulator, recoveryFromStatus, faults, workerKills, regions: drawRegionPlan(seed, run) };
}

/** Drawn from a stream of its own: the rest of every run's plan stays what it was for each seed before regions. */
export function drawRegionPlan(seed: number, run: number): RegionPlan | null {
  const rng = createRng(deriveSeed(deriveSeed(seed, run), 2));
  if (!rng.chance(1 / 3)) return null;
  return {
    replicationLagMs: rng.int(0, 4000),
    failoverEndpoint: rng.chance(0.8) ? 'standby-region' : 'primary-region',
    outage: rng.chance(0.7)
      ? {
          atMs: rng.int(0, 12_000),
          durationMs: rng.chance(0.5) ? null : rng.int(2000, 30_000),
          mode: rng.pick(['reset', 'unavailable'] as const),
        }
      : null,
  };
}

/**
 * Labels of a cross-region run for progress lines and the table: `cross-region` (or `cross-region(primary-only)`),
 * and `north-down(reset)`, `north-down(unavailable, for good)`… The lag is in the plan (`--run K` replays it).
 */
export function regionLabels(regions: RegionPlan): string[] {
  const labels = [regions.failoverEndpoint === 'primary-region' ? 'cross-region(primary-only)' : 'cross-region'];
  const o = regions.outage;
  if (o) labels.push(`north-down(${o.mode}${o.durationMs === null ? ', for good' : ''})`);
  return labels;
}

function drawFault(rng: Rng, kind: FaultKind, commitDelayMs: number): PlannedFault {
  const post = (rule: Omit<PlannedRule, 'target'>): PlannedRule => ({ target: 'action-post', ...rule });
  switch (kind) {
    case 'post-5xx':
      return { kind, rule: post({ status: rng.pick([500, 503]), count: rng.int(1, 3) }) };
    case 'post-429':
      return { kind, rule: post({ status: 429, retryAfter: rng.int(1, 2), count: rng.int(1, 3) }) };
    case 'accept-then-500':
      return { kind, rule: post({ acceptThen500: true, count: 1 }) };
    case 'accept-then-drop':
      return { kind, rule: post({ acceptThenDrop: true, count: 1 }) };
    case 'post-timeout':
      return { kind, rule: post({ delayMs: rng.int(...POST_TIMEOUT_DELAY_MS), count: 1 }) };
    case 'read-5xx':
      return { kind, rule: { target: 'detail-get', status: rng.pick([500, 503]), count: rng.int(1, 8) } };
    case 'slow-read':
      return { kind, rule: { target: 'detail-get', delayMs: rng.int(500, 2500), count: rng.int(1, 5) } };
    case 'commit-delay':
      return { kind, commitDelayMs: rng.int(0, 1000) };
    case 'read-lag': {
      const max = Math.min(3000, MAX_COMMIT_PLUS_LAG_MS - commitDelayMs);
      return { kind, readLagMs: { detail: rng.int(0, max), list: rng.int(0, max), cluster: rng.int(0, max) } };
    }
    case 'in-flight-status':
      return { kind, status: rng.pick(IN_FLIGHT_STATUSES) };
    case 'hidden-tasks':
      return { kind };
    case 'refuse-connections':
      return { kind, atMs: rng.int(0, 15_000), durationMs: rng.int(2000, 20_000) };
    case 'old-primary-returns':
      return { kind, atMs: rng.int(1000, 12_000) };
  }
}

/** A short label per fault for progress lines and the table, e.g. `post-5xx×2`. */
export function faultLabel(fault: PlannedFault): string {
  if ('rule' in fault) return fault.rule.count > 1 ? `${fault.kind}×${fault.rule.count}` : fault.kind;
  if (fault.kind === 'in-flight-status') return `${fault.kind}=${fault.status}`;
  return fault.kind;
}

/**
 * Gaps between Temporal restarts and how long each keeps the server down, drawn from the master seed (a stream
 * no run uses). The first restart comes one gap after the start.
 */
export function* temporalRestartSchedule(seed: number): Generator<{ gapMs: number; downMs: number }> {
  const rng = createRng(deriveSeed(seed, 0));
  for (;;) yield { gapMs: rng.int(40_000, 90_000), downMs: rng.int(1000, 3000) };
}
