/**
 * Failover pre-checks: read-only, fail closed, every check recorded with what was observed (DESIGN §2 phase 1).
 */
import type { DrDetailWire } from '../../dws/types';
import { FAILOVER_ALLOWED_DR_STATUSES, MIN_FAILOVER_KERNEL, parseDwsTime } from '../../dws/model';
import type { CheckResult, DrSnapshot, PrecheckResult } from '../../shared/operation-model';
import {
  clusterIsHealthy,
  cooldownPassed,
  dataLossWindowSeconds,
  dataLossWithinBudget,
  drExists,
  drMissing,
  drStatusIn,
  kernelAtLeast,
  noOperationInFlight,
  primaryIsDown,
} from './checks';
import type { ActivityDeps } from '../deps';
import { readPair } from './read-pair';

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

function failedClusterCheck(dr: DrDetailWire, failed: string): CheckResult {
  const base = {
    id: 'failed-cluster-is-primary' as const,
    title: 'The cluster named as failed is still the primary',
    severity: 'hard' as const,
    expected: `${failed} is the primary`,
  };
  if (failed === dr.standby_cluster.id) {
    return {
      ...base,
      passed: false,
      observed: `${failed} is the standby now; primary is ${dr.primary_cluster.id} (roles already swapped)`,
    };
  }
  if (failed === dr.primary_cluster.id) return { ...base, passed: true, observed: `${failed} is the primary` };
  return {
    ...base,
    passed: false,
    observed: `${failed} is not a cluster of this DR pair (primary ${dr.primary_cluster.id}, standby ${dr.standby_cluster.id})`,
  };
}

/** Runs every failover pre-check for one pair. @throws ApplicationFailure for errors other than "DR not found". */
export async function runPrechecks(deps: ActivityDeps, input: PrecheckInput): Promise<PrecheckResult> {
  // The previous failover comes from Temporal, not DWS: ask while the pair is being read.
  const previous = deps.history
    .lastFailoverAt(input.projectId, input.drId)
    .catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
  const reading = await readPair(deps, input.projectId, input.drId);
  if ('notFound' in reading) {
    return {
      snapshot: null,
      checks: [drMissing(reading.notFound, input.projectId, input.drId)],
      alreadyFailedOver: false,
      dataLossWindowSeconds: null,
      lastFailoverAt: null,
    };
  }
  const { dr, primary, standby, observedAt } = reading;
  const snapshot = snapshotOf(dr, observedAt);
  const checks: CheckResult[] = [drExists(dr, input.projectId)];
  if (input.failedClusterId) {
    const check = failedClusterCheck(dr, input.failedClusterId);
    checks.push(check);
    if (input.failedClusterId === dr.standby_cluster.id) {
      return {
        snapshot,
        checks,
        alreadyFailedOver: true,
        dataLossWindowSeconds: null,
        lastFailoverAt: null,
        ...(reading.route ? { route: reading.route } : {}),
      };
    }
  }
  checks.push(
    drStatusIn(dr, FAILOVER_ALLOWED_DR_STATUSES, 'failover'),
    noOperationInFlight(dr, standby),
    clusterIsHealthy('standby-healthy', 'The standby cluster is healthy', dr.standby_cluster.name, standby),
    kernelAtLeast(dr, standby, MIN_FAILOVER_KERNEL),
    dataLossWithinBudget(dr, observedAt, input.dataLossBudgetSeconds),
    primaryIsDown(dr, primary)
  );
  const lastFailoverAt = await previous;
  checks.push(cooldownPassed(lastFailoverAt, observedAt, input.cooldownSeconds));
  return {
    snapshot,
    checks,
    alreadyFailedOver: false,
    dataLossWindowSeconds: dataLossWindowSeconds(dr, observedAt),
    lastFailoverAt: lastFailoverAt instanceof Error ? null : lastFailoverAt,
    ...(reading.route ? { route: reading.route } : {}),
  };
}
