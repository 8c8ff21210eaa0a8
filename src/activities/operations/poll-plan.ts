/**
 * When to read the DR detail next while an operation runs: sparse while it cannot be done yet, dense around the
 * moment it is expected to end, then less and less often if it overruns far beyond that. Pure: the follow
 * (dr-follow.ts) passes what it knows and sleeps for the answer; tests compute lags and read rates from it alone.
 *
 * The readings that decide a verdict (the settle after a confirmation, a pair seen without the change after it was
 * seen working) are a second apart: those rules count readings, and readings a fraction of a second apart could
 * all come from one lagging replica; ten seconds apart, they would hold the report back for twenty.
 */

/** Never sooner than this after a read: the rate limit of the API is shared with requests and pre-checks. */
export const FLOOR_MS = 250;

/** Spacing around the expected end: a change there is seen within 0.45 s, 0.225 s on median (2.2 reads/s). */
export const DENSE_MS = 450;

/** Longest spacing the planner chooses: early on, and after a long overrun (0.2 reads/s). */
export const SPARSE_MS = 5_000;

/**
 * The dense window, in fractions of the expected duration: 0.7–1.3 covers 21–39 s around the 30 s default (of
 * 20–40 s operations those before 21 s are seen by the read at 21 s), and a pair's own ±15 % with margin.
 */
export const DENSE_FROM = 0.7;
export const DENSE_UNTIL = 1.3;

/** Past the window, the spacing doubles every this many ms (a 25 % longer sleep every second read or so). */
export const BACKOFF_DOUBLING_MS = 3_000;

/**
 * After the detail showed the change, the other witnesses are read again this often until they confirm it: the
 * change has happened and only a lagging path holds the report back, but each retry reads three paths.
 */
export const CONFIRM_RETRY_MS = 600;

/** Spacing of the readings a verdict counts (the 2 s settle is judged on two or three of them). */
export const JUDGING_MS = 1_000;
/** After a failed read: a failing API is not asked twice a second. */
export const AFTER_ERROR_MS = 1_000;

/**
 * What the last reading left the follow waiting for.
 * `running`: the change, not seen yet. `read-failed`: the last read failed. `unconfirmed`: the detail shows the
 * change and the list or the serving cluster does not yet. `judging`: a verdict counts readings (the settle, or a
 * pair seen without the change after it was seen working).
 */
export type PollStage = 'running' | 'read-failed' | 'unconfirmed' | 'judging';

export interface PollPlanInput {
  /** Time since the service took the request. */
  elapsedMs: number;
  /** How long the operation is expected to take (see {@link expectedDurationMs}). */
  expectedMs: number;
  /** The run's poll interval: the longest sleep, and the spacing of readings a verdict counts. */
  maxIntervalMs: number;
  stage: PollStage;
}

/**
 * The sleep before the next read, in ms: never below {@link FLOOR_MS}, never above the run's poll interval (nor
 * the floor). A non-finite or non-positive expectation counts as {@link DEFAULT_EXPECTED_MS}; an unknown or
 * negative elapsed time (a clock step) as the start.
 */
export function nextPollDelay(p: PollPlanInput): number {
  const cap = Math.max(FLOOR_MS, p.maxIntervalMs);
  if (p.stage === 'judging') return Math.min(cap, JUDGING_MS);
  const floor = p.stage === 'read-failed' ? AFTER_ERROR_MS : FLOOR_MS;
  const wanted = p.stage === 'unconfirmed' ? CONFIRM_RETRY_MS : spacing(p.elapsedMs, p.expectedMs);
  return Math.round(Math.min(cap, Math.max(floor, wanted)));
}

/** The spacing the planner wants at `elapsedMs` into an operation expected to last `expectedMs`. */
function spacing(elapsedMs: number, expectedMs: number): number {
  const expected = Number.isFinite(expectedMs) && expectedMs > 0 ? expectedMs : DEFAULT_EXPECTED_MS;
  const at = Number.isFinite(elapsedMs) ? Math.max(0, elapsedMs) : 0;
  const from = DENSE_FROM * expected;
  const until = DENSE_UNTIL * expected;
  // Early reads land on the window's start exactly; the few before it still catch an estimate far too long.
  if (at < from) return Math.min(SPARSE_MS, from - at);
  if (at <= until) return DENSE_MS;
  return Math.min(SPARSE_MS, DENSE_MS * 2 ** ((at - until) / BACKOFF_DOUBLING_MS));
}

/**
 * The expected duration when nothing better is known: the middle of the 20–40 s that failovers and switchovers of
 * a DWS pair take, and what the simulator's progress endpoint reports as `recovery_time_object`.
 */
export const DEFAULT_EXPECTED_MS = 30_000;

/**
 * The expected duration of an operation, first known source wins: what this worker learned from the pair's previous
 * operations of the same kind, the service's own estimate (`recovery_time_object`), the default.
 */
export function expectedDurationMs(learnedMs: number | null, serviceMs: number | null): number {
  return learnedMs ?? serviceMs ?? DEFAULT_EXPECTED_MS;
}
