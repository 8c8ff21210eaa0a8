/**
 * The failover policy: every threshold and timing the workflow obeys. Defaults come from configuration; a per-pair
 * policy in the inventory and the workflow input may override single fields. Sandbox-safe.
 */
export interface OperationPolicy {
  /** Largest acceptable data-loss window (now − standby last sync) for an unattended failover. @default 900 */
  dataLossBudgetSeconds: number;
  /** `auto`: approval only when a check asks for it; `always`: every failover waits for a person. @default 'auto' */
  approval: 'auto' | 'always';
  /** How long the approval gate waits before it denies by default. @default 1800 */
  approvalTimeoutSeconds: number;
  /** How long after the request was accepted the workflow waits for the role swap. @default 3600 */
  completionTimeoutSeconds: number;
  /**
   * Longest time between two reads while following an operation; the follow reads more often around the
   * operation's expected end (src/activities/operations/poll-plan.ts). @default 10
   */
  pollIntervalSeconds: number;
  /** Minimum time between two failovers of one pair. @default 3600 */
  cooldownSeconds: number;
  /** First retry delay of the failover request (doubles up to `requestRetryMaxIntervalSeconds`). @default 2 */
  requestRetryInitialIntervalSeconds: number;
  /** @default 60 */
  requestRetryMaxIntervalSeconds: number;
  /**
   * Attempts of the request before the workflow gives up with the kind's refusal (`failover-refused`,
   * `switchover-refused`, `recovery-refused`). @default 8
   */
  requestMaxAttempts: number;
  /**
   * The resend fence. After an ambiguous attempt (5xx, reset, timeout, lost worker) the service may still take the
   * request, and reads may still show the old state; the request is only sent again once this long has passed
   * since the END of that attempt with no sign of the operation on any read path. Derived: the DWS request timeout
   * plus the largest read-after-write lag planned for (`DWS_FAILOVER_MAX_READ_LAG`, 45 s). @default 60
   */
  readAfterWriteWindowSeconds: number;
  /** How long the pre-checks retry reads that fail transiently (5xx, 429, refused, timeouts). @default 300 */
  readOutageAllowanceSeconds: number;
  /** Heartbeat timeout of the long-running activities: how fast a dead worker is noticed. @default 10 */
  heartbeatTimeoutSeconds: number;
  /** Whether a `resolved` alert may cancel a failover that has not sent its request. @default false */
  resolvedAlertCancels: boolean;
}

/** The built-in defaults (documented in README § Configuration). */
export const DEFAULT_POLICY: Readonly<OperationPolicy> = Object.freeze({
  dataLossBudgetSeconds: 900,
  approval: 'auto',
  approvalTimeoutSeconds: 1800,
  completionTimeoutSeconds: 3600,
  pollIntervalSeconds: 10,
  cooldownSeconds: 3600,
  requestRetryInitialIntervalSeconds: 2,
  requestRetryMaxIntervalSeconds: 60,
  requestMaxAttempts: 8,
  readAfterWriteWindowSeconds: 60,
  readOutageAllowanceSeconds: 300,
  heartbeatTimeoutSeconds: 10,
  resolvedAlertCancels: false,
});

/**
 * The service timing: how the worker paces itself against DWS (poll cadence, windows, timeouts, retries). It is the
 * worker's configuration, read by the run from the worker that serves it (`serviceTiming`), never frozen into a
 * run by whoever started it. A run's input may still override single fields explicitly (tests, a demo).
 */
export const TIMING_FIELDS = [
  'completionTimeoutSeconds',
  'pollIntervalSeconds',
  'requestRetryInitialIntervalSeconds',
  'requestRetryMaxIntervalSeconds',
  'requestMaxAttempts',
  'readAfterWriteWindowSeconds',
  'readOutageAllowanceSeconds',
  'heartbeatTimeoutSeconds',
] as const satisfies readonly (keyof OperationPolicy)[];

export type TimingField = (typeof TIMING_FIELDS)[number];
export type ServiceTiming = Pick<OperationPolicy, TimingField>;
/** The per-pair business policy (data-loss budget, approval, cooldown…): fixed when a run starts, recorded in it. */
export type BusinessPolicy = Omit<OperationPolicy, TimingField>;

const isTiming = (key: string): boolean => (TIMING_FIELDS as readonly string[]).includes(key);

/** The business fields of a (partial) policy. */
export function businessPart(policy: Partial<OperationPolicy>): Partial<BusinessPolicy> {
  return Object.fromEntries(Object.entries(policy).filter(([k]) => !isTiming(k))) as Partial<BusinessPolicy>;
}

/** The timing fields of a (partial) policy. */
export function timingPart(policy: Partial<OperationPolicy> | undefined): Partial<ServiceTiming> {
  return Object.fromEntries(Object.entries(policy ?? {}).filter(([k]) => isTiming(k))) as Partial<ServiceTiming>;
}

/** Merges overrides onto a base policy, ignoring `undefined` fields. */
export function resolvePolicy(
  base: OperationPolicy,
  ...overrides: (Partial<OperationPolicy> | undefined)[]
): OperationPolicy {
  const result: OperationPolicy = { ...base };
  for (const override of overrides) {
    if (!override) continue;
    for (const [key, value] of Object.entries(override)) {
      if (value !== undefined) (result as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return result;
}
