/**
 * The individual pre-checks, each recording what it observed. Pure functions over one reading of the pair.
 */
import type { ClusterDetailWire, DrDetailWire } from '../../dws/types';
import { classifyDrStatus, clusterHealth, compareVersions, parseDwsTime } from '../../dws/model';
import { formatSeconds } from '../../shared/duration';
import type { CheckId, CheckResult } from '../../shared/operation-model';
import { describeError, isNotFound } from '../failure';

function describeCluster(c: ClusterDetailWire | Error): string {
  if (c instanceof Error) return `unreadable (${describeError(c)})`;
  return `${c.status}${c.task_status ? `, task ${c.task_status}` : ''}`;
}

const isHealthy = (c: ClusterDetailWire | Error): boolean =>
  !(c instanceof Error) && clusterHealth(c.status) === 'healthy';

export function drExists(dr: DrDetailWire, projectId: string): CheckResult {
  return {
    id: 'dr-exists',
    title: 'The DR pair exists',
    severity: 'hard',
    passed: true,
    observed: `${dr.name} (${dr.id}): primary ${dr.primary_cluster.name}, standby ${dr.standby_cluster.name}`,
    expected: `DR ${dr.id} in project ${projectId}`,
  };
}

export function drMissing(err: Error, projectId: string, drId: string): CheckResult {
  return {
    id: 'dr-exists',
    title: 'The DR pair exists',
    severity: 'hard',
    passed: false,
    observed: `not found: ${describeError(err)}`,
    expected: `DR ${drId} in project ${projectId}`,
  };
}

export function drStatusIn(dr: DrDetailWire, allowed: ReadonlySet<string>, operation: string): CheckResult {
  return {
    id: 'dr-status',
    title: `The DR status allows a ${operation}`,
    severity: 'hard',
    passed: allowed.has(dr.status),
    observed: dr.status,
    expected: [...allowed].join(' | '),
  };
}

export function noOperationInFlight(dr: DrDetailWire, standby: ClusterDetailWire | Error): CheckResult {
  const kind = classifyDrStatus(dr.status);
  const busy = !(standby instanceof Error) && /ING$|SWITCHOVER/.test(standby.task_status ?? '');
  return {
    id: 'no-operation-in-flight',
    title: 'No operation is in flight on the pair',
    severity: 'hard',
    passed: kind === 'stable' && !busy,
    observed: `DR status ${dr.status} (${kind})${standby instanceof Error ? '' : `, standby task ${standby.task_status || 'none'}`}`,
    expected: 'a stable DR status and no running cluster task',
  };
}

export function clusterIsHealthy(
  id: CheckId,
  title: string,
  name: string,
  cluster: ClusterDetailWire | Error,
  severity: 'hard' | 'soft' = 'hard'
): CheckResult {
  return {
    id,
    title,
    severity,
    passed: isHealthy(cluster),
    observed: `${name}: ${describeCluster(cluster)}`,
    expected: 'AVAILABLE (or ACTIVE)',
  };
}

export function kernelAtLeast(dr: DrDetailWire, standby: ClusterDetailWire | Error, min: string): CheckResult {
  const version = (standby instanceof Error ? null : standby.version) || dr.standby_cluster.datastore_version || null;
  return {
    id: 'standby-version',
    title: `The standby runs kernel ${min} or later`,
    severity: 'hard',
    passed: version !== null && compareVersions(version, min) >= 0,
    observed: version ?? 'unknown',
    expected: `≥ ${min}`,
  };
}

/** The data-loss window now: `observedAt − standby last_success_time`, null when unknown. */
export function dataLossWindowSeconds(dr: DrDetailWire, observedAt: Date): number | null {
  const lastSync = parseDwsTime(dr.standby_cluster.last_success_time);
  return lastSync ? Math.max(0, (observedAt.getTime() - lastSync.getTime()) / 1000) : null;
}

export function dataLossWithinBudget(dr: DrDetailWire, observedAt: Date, budgetSeconds: number): CheckResult {
  const window = dataLossWindowSeconds(dr, observedAt);
  const lastSync = parseDwsTime(dr.standby_cluster.last_success_time);
  return {
    id: 'data-loss-window',
    title: 'The data-loss window is known and within budget',
    severity: 'soft',
    passed: window !== null && window <= budgetSeconds,
    observed:
      window === null
        ? `unknown (standby last_success_time is ${JSON.stringify(dr.standby_cluster.last_success_time)})`
        : `${formatSeconds(window)} (last sync ${lastSync?.toISOString()})`,
    expected: `≤ ${formatSeconds(budgetSeconds)}`,
  };
}

export function primaryIsDown(dr: DrDetailWire, primary: ClusterDetailWire | Error): CheckResult {
  const down = primary instanceof Error ? isNotFound(primary) : clusterHealth(primary.status) === 'down';
  return {
    id: 'primary-down',
    title: 'The primary is down (else a planned switchover loses no data)',
    severity: 'soft',
    passed: down,
    observed: `${dr.primary_cluster.name}: ${describeCluster(primary)}`,
    expected: 'UNAVAILABLE (or FAILED)',
  };
}

export function cooldownPassed(
  lastFailoverAt: string | null | Error,
  observedAt: Date,
  cooldownSeconds: number
): CheckResult {
  const base = {
    id: 'cooldown' as const,
    title: 'The cooldown since the last failover has passed',
    severity: 'soft' as const,
    expected: `≥ ${formatSeconds(cooldownSeconds)} since the last failover`,
  };
  // Fail closed: an unknown cooldown is a failed soft check (an approver or --force can still proceed).
  if (lastFailoverAt instanceof Error)
    return { ...base, passed: false, observed: `unknown: ${describeError(lastFailoverAt)}` };
  if (lastFailoverAt === null) return { ...base, passed: true, observed: 'no earlier failover of this pair' };
  const since = (observedAt.getTime() - Date.parse(lastFailoverAt)) / 1000;
  return {
    ...base,
    passed: since >= cooldownSeconds,
    observed: `last failover ${formatSeconds(since)} ago (${lastFailoverAt})`,
  };
}
