/**
 * Pre-checks: read-only, fail closed, every check recorded with what was observed (DESIGN §2 phase 1).
 */
import type { ClusterDetailWire, DrDetailWire } from '../dws/types';
import {
  classifyDrStatus,
  clusterHealth,
  compareVersions,
  FAILOVER_ALLOWED_DR_STATUSES,
  MIN_FAILOVER_KERNEL,
  parseDwsTime,
} from '../dws/model';
import { formatSeconds } from '../shared/duration';
import type { CheckResult, DrSnapshot, PrecheckResult } from '../shared/types';
import type { ActivityDeps } from './deps';
import { describeError, isNotFound, toActivityFailure } from './failure';

export interface PrecheckInput {
  projectId: string;
  drId: string;
  failedClusterId?: string;
  dataLossBudgetSeconds: number;
  cooldownSeconds: number;
}

/** Builds the snapshot the workflow keeps (ids, names, status, last sync). */
export function snapshotOf(dr: DrDetailWire, observedAt: Date): DrSnapshot {
  const lastSync = parseDwsTime(dr.standby_cluster.last_success_time);
  return {
    drId: dr.id,
    drName: dr.name,
    status: dr.status,
    primaryClusterId: dr.primary_cluster.id,
    primaryClusterName: dr.primary_cluster.name,
    standbyClusterId: dr.standby_cluster.id,
    standbyClusterName: dr.standby_cluster.name,
    standbyLastSuccessTime: lastSync ? lastSync.toISOString() : null,
    observedAt: observedAt.toISOString(),
  };
}

function describeCluster(c: ClusterDetailWire | Error): string {
  if (c instanceof Error) return `unreadable (${describeError(c)})`;
  const task = c.task_status ? `, task ${c.task_status}` : '';
  return `${c.status}${task}`;
}

/** Runs every pre-check for one pair. @throws ApplicationFailure for errors other than "DR not found". */
export async function runPrechecks(deps: ActivityDeps, input: PrecheckInput): Promise<PrecheckResult> {
  const now = deps.now ?? (() => new Date());
  const checks: CheckResult[] = [];
  const add = (c: CheckResult): void => {
    checks.push(c);
  };

  let dr: DrDetailWire;
  try {
    dr = await deps.dws.getDisasterRecovery(input.projectId, input.drId);
  } catch (err) {
    if (!isNotFound(err)) throw toActivityFailure(err);
    add({
      id: 'dr-exists',
      title: 'The DR pair exists',
      severity: 'hard',
      passed: false,
      observed: `not found: ${describeError(err)}`,
      expected: `DR ${input.drId} in project ${input.projectId}`,
    });
    return { snapshot: null, checks, alreadyFailedOver: false, dataLossWindowSeconds: null, lastFailoverAt: null };
  }
  const observedAt = now();
  const snapshot = snapshotOf(dr, observedAt);
  add({
    id: 'dr-exists',
    title: 'The DR pair exists',
    severity: 'hard',
    passed: true,
    observed: `${dr.name} (${dr.id}): primary ${dr.primary_cluster.name}, standby ${dr.standby_cluster.name}`,
    expected: `DR ${input.drId} in project ${input.projectId}`,
  });

  if (input.failedClusterId) {
    const failed = input.failedClusterId;
    if (failed === dr.standby_cluster.id) {
      add({
        id: 'failed-cluster-is-primary',
        title: 'The cluster named as failed is still the primary',
        severity: 'hard',
        passed: false,
        observed: `${failed} is the standby now; primary is ${dr.primary_cluster.id} (roles already swapped)`,
        expected: `${failed} is the primary`,
      });
      return { snapshot, checks, alreadyFailedOver: true, dataLossWindowSeconds: null, lastFailoverAt: null };
    }
    add({
      id: 'failed-cluster-is-primary',
      title: 'The cluster named as failed is still the primary',
      severity: 'hard',
      passed: failed === dr.primary_cluster.id,
      observed:
        failed === dr.primary_cluster.id
          ? `${failed} is the primary`
          : `${failed} is not a cluster of this DR pair (primary ${dr.primary_cluster.id}, standby ${dr.standby_cluster.id})`,
      expected: `${failed} is the primary`,
    });
  }

  const kind = classifyDrStatus(dr.status);
  add({
    id: 'dr-status',
    title: 'The DR status allows a failover',
    severity: 'hard',
    passed: FAILOVER_ALLOWED_DR_STATUSES.has(dr.status),
    observed: dr.status,
    expected: [...FAILOVER_ALLOWED_DR_STATUSES].join(' | '),
  });

  const [primary, standby] = (await Promise.all(
    [dr.primary_cluster.id, dr.standby_cluster.id].map((id) =>
      deps.dws.getCluster(input.projectId, id).catch((err: unknown) => {
        // A dead primary may well be unreadable; a transient error on the standby is retried as a whole.
        if (id === dr.standby_cluster.id && !isNotFound(err)) throw toActivityFailure(err);
        return err instanceof Error ? err : new Error(String(err));
      })
    )
  )) as [ClusterDetailWire | Error, ClusterDetailWire | Error];

  const standbyBusy = !(standby instanceof Error) && /ING$|SWITCHOVER/.test(standby.task_status ?? '');
  add({
    id: 'no-operation-in-flight',
    title: 'No operation is in flight on the pair',
    severity: 'hard',
    passed: kind === 'stable' && !standbyBusy,
    observed: `DR status ${dr.status} (${kind})${standby instanceof Error ? '' : `, standby task ${standby.task_status || 'none'}`}`,
    expected: 'a stable DR status and no running cluster task',
  });

  const standbyHealth = standby instanceof Error ? 'other' : clusterHealth(standby.status);
  add({
    id: 'standby-healthy',
    title: 'The standby cluster is healthy',
    severity: 'hard',
    passed: standbyHealth === 'healthy',
    observed: `${dr.standby_cluster.name}: ${describeCluster(standby)}`,
    expected: 'AVAILABLE (or ACTIVE)',
  });

  const version = (standby instanceof Error ? null : standby.version) || dr.standby_cluster.datastore_version || null;
  add({
    id: 'standby-version',
    title: `The standby runs kernel ${MIN_FAILOVER_KERNEL} or later`,
    severity: 'hard',
    passed: version !== null && compareVersions(version, MIN_FAILOVER_KERNEL) >= 0,
    observed: version ?? 'unknown',
    expected: `≥ ${MIN_FAILOVER_KERNEL}`,
  });

  const lastSync = parseDwsTime(dr.standby_cluster.last_success_time);
  const windowSeconds = lastSync ? Math.max(0, (observedAt.getTime() - lastSync.getTime()) / 1000) : null;
  add({
    id: 'data-loss-window',
    title: 'The data-loss window is known and within budget',
    severity: 'soft',
    passed: windowSeconds !== null && windowSeconds <= input.dataLossBudgetSeconds,
    observed:
      windowSeconds === null
        ? `unknown (standby last_success_time is ${JSON.stringify(dr.standby_cluster.last_success_time)})`
        : `${formatSeconds(windowSeconds)} (last sync ${lastSync?.toISOString()})`,
    expected: `≤ ${formatSeconds(input.dataLossBudgetSeconds)}`,
  });

  const primaryHealth = primary instanceof Error ? 'other' : clusterHealth(primary.status);
  add({
    id: 'primary-down',
    title: 'The primary is down (else a planned switchover loses no data)',
    severity: 'soft',
    passed: primaryHealth === 'down' || (primary instanceof Error && isNotFound(primary)),
    observed: `${dr.primary_cluster.name}: ${describeCluster(primary)}`,
    expected: 'UNAVAILABLE (or FAILED)',
  });

  let lastFailoverAt: string | null = null;
  let cooldownObserved: string;
  let cooldownPassed: boolean;
  try {
    lastFailoverAt = await deps.history.lastFailoverAt(input.projectId, input.drId);
    const since = lastFailoverAt ? (observedAt.getTime() - Date.parse(lastFailoverAt)) / 1000 : null;
    cooldownPassed = since === null || since >= input.cooldownSeconds;
    cooldownObserved =
      since === null
        ? 'no earlier failover of this pair'
        : `last failover ${formatSeconds(since)} ago (${lastFailoverAt})`;
  } catch (err) {
    // Fail closed: an unknown cooldown is a failed soft check (an approver or --force can still proceed).
    cooldownPassed = false;
    cooldownObserved = `unknown: ${describeError(err)}`;
  }
  add({
    id: 'cooldown',
    title: 'The cooldown since the last failover has passed',
    severity: 'soft',
    passed: cooldownPassed,
    observed: cooldownObserved,
    expected: `≥ ${formatSeconds(input.cooldownSeconds)} since the last failover`,
  });

  return { snapshot, checks, alreadyFailedOver: false, dataLossWindowSeconds: windowSeconds, lastFailoverAt };
}
