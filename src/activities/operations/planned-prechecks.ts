/**
 * Pre-checks of the planned operations: switchover (DR running, both clusters healthy, no data loss) and recovery
 * (after a failover, once the old primary is healthy again; it wipes the old primary's data).
 */
import { MIN_FAILOVER_KERNEL } from '../../dws/model';
import type { CheckResult, DrOperation, PrecheckResult } from '../../shared/operation-model';
import {
  clusterIsHealthy,
  dataLossWindowSeconds,
  drExists,
  drMissing,
  drStatusIn,
  kernelAtLeast,
  noOperationInFlight,
} from './checks';
import type { ActivityDeps } from '../deps';
import { snapshotOf } from './prechecks';
import { readPair } from './read-pair';

export interface PlannedPrecheckInput {
  operation: Exclude<DrOperation, 'failover'>;
  projectId: string;
  drId: string;
}

/** DWS accepts a switchover only from `running` (reference §1.1). */
const SWITCHOVER_STATUSES: ReadonlySet<string> = new Set(['running']);
/**
 * Recovery re-attaches the old primary after a failover. The status after a failover is the one before it (reference
 * "Project decisions"): degraded after a real outage, `running` after a failover of a healthy pair (a drill).
 */
const RECOVERY_STATUSES: ReadonlySet<string> = new Set(['abnormal', 'stopped', 'running']);
/** DR itself needs 8.1.1; switchover is part of it. */
const MIN_SWITCHOVER_KERNEL = '8.1.1';

/** Runs the pre-checks of a switchover or a recovery. @throws ApplicationFailure for errors other than not found. */
export async function runPlannedPrechecks(deps: ActivityDeps, input: PlannedPrecheckInput): Promise<PrecheckResult> {
  const reading = await readPair(deps, input.projectId, input.drId, { standbyMustBeReadable: false });
  if ('notFound' in reading) {
    const checks = [drMissing(reading.notFound, input.projectId, input.drId)];
    return { snapshot: null, checks, alreadyFailedOver: false, dataLossWindowSeconds: null, lastFailoverAt: null };
  }
  const { dr, primary, standby, observedAt } = reading;
  const checks: CheckResult[] = [drExists(dr, input.projectId)];
  if (input.operation === 'switchover') {
    checks.push(
      drStatusIn(dr, SWITCHOVER_STATUSES, 'switchover'),
      noOperationInFlight(dr, standby),
      clusterIsHealthy(
        'both-clusters-healthy',
        'The primary cluster is healthy (no data loss)',
        dr.primary_cluster.name,
        primary
      ),
      clusterIsHealthy('standby-healthy', 'The standby cluster is healthy', dr.standby_cluster.name, standby),
      kernelAtLeast(dr, standby, MIN_SWITCHOVER_KERNEL)
    );
  } else {
    checks.push(
      drStatusIn(dr, RECOVERY_STATUSES, 'recovery'),
      noOperationInFlight(dr, standby),
      clusterIsHealthy(
        'both-clusters-healthy',
        'The primary cluster serves (it keeps its data)',
        dr.primary_cluster.name,
        primary
      ),
      clusterIsHealthy(
        'old-primary-healthy',
        'The old primary (now standby) is healthy again',
        dr.standby_cluster.name,
        standby
      ),
      kernelAtLeast(dr, standby, MIN_FAILOVER_KERNEL),
      {
        id: 'recovery-wipes-data',
        title: 'Recovery deletes the data on the standby and re-seeds it from the primary',
        severity: 'soft',
        // Never passes on its own: recovery always needs a person's approval.
        passed: false,
        observed: `data on ${dr.standby_cluster.name} (${dr.standby_cluster.id}) will be deleted`,
        expected: 'an approver who accepts that',
      }
    );
  }
  return {
    snapshot: snapshotOf(dr, observedAt),
    checks,
    alreadyFailedOver: false,
    dataLossWindowSeconds: input.operation === 'switchover' ? 0 : dataLossWindowSeconds(dr, observedAt),
    lastFailoverAt: null,
    ...(reading.route ? { route: reading.route } : {}),
  };
}
