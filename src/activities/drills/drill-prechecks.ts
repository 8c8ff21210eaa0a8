/**
 * The `precheck` drill: every pre-check of a real failover and of a switchover, read-only, and an honest account
 * of the IAM permissions a real failover needs: reads prove the read permission; the writes cannot be proven
 * without sending them (DWS has no dry run).
 */
import { ErrorType } from '../../shared/errors';
import { FAILOVER_IAM_ACTIONS, readyToFailOver, type DrillPrecheck, type PermissionFinding } from '../../shared/drills';
import type { PrecheckResult } from '../../shared/operation-model';
import type { ActivityDeps } from '../deps';
import { describeError, toActivityFailure } from '../failure';
import { runPlannedPrechecks } from '../operations/planned-prechecks';
import { runPrechecks } from '../operations/prechecks';

export interface DrillPrecheckInput {
  projectId: string;
  drId: string;
  dataLossBudgetSeconds: number;
  cooldownSeconds: number;
}

const WRITE_ALIAS = 'dws:disasterRecovery:otherOperate';

function unproven(action: string, what: string): PermissionFinding {
  return {
    action,
    status: 'unproven',
    evidence:
      `not provable without sending ${what} (DWS has no dry run); make sure the worker's credentials are granted ` +
      `${action} (or ${WRITE_ALIAS}); a switchover-roundtrip or failover drill proves it`,
  };
}

function refused(projectId: string, drId: string, message: string): PrecheckResult {
  return {
    snapshot: null,
    checks: [
      {
        id: 'dr-exists',
        title: 'The DR pair exists',
        severity: 'hard',
        passed: false,
        observed: `the read was refused: ${message}`,
        expected: `DR ${drId} in project ${projectId}, readable with the worker's credentials`,
      },
    ],
    alreadyFailedOver: false,
    dataLossWindowSeconds: null,
    lastFailoverAt: null,
  };
}

/**
 * Runs the failover and the switchover pre-checks of one pair and lists the permissions.
 * @throws ApplicationFailure for transient read errors (retried); a refused read is a finding, not an error.
 */
export async function runDrillPrechecks(deps: ActivityDeps, input: DrillPrecheckInput): Promise<DrillPrecheck> {
  const { projectId, drId } = input;
  let failover: PrecheckResult;
  let switchover: PrecheckResult;
  let read: PermissionFinding;
  try {
    failover = await runPrechecks(deps, input);
    switchover = await runPlannedPrechecks(deps, { operation: 'switchover', projectId, drId });
    read = failover.snapshot
      ? {
          action: FAILOVER_IAM_ACTIONS.read,
          status: 'proven',
          evidence: `ShowDisasterDetail answered for DR ${drId} (${failover.snapshot.drName})`,
        }
      : {
          action: FAILOVER_IAM_ACTIONS.read,
          status: 'unproven',
          evidence: `DR ${drId} was not found in project ${projectId}, so the read proved nothing about this pair`,
        };
  } catch (err) {
    const failure = toActivityFailure(err);
    if (failure.type !== ErrorType.DwsAuthFailed) throw failure;
    const message = describeError(err);
    failover = switchover = refused(projectId, drId, message);
    read = { action: FAILOVER_IAM_ACTIONS.read, status: 'denied', evidence: message };
  }
  return {
    failover,
    switchover,
    failoverReady: failover.snapshot !== null && readyToFailOver(failover.checks),
    switchoverReady: switchover.snapshot !== null && switchover.checks.every((c) => c.passed),
    permissions: [
      read,
      unproven(FAILOVER_IAM_ACTIONS.failover, 'POST …/failover'),
      unproven(FAILOVER_IAM_ACTIONS.switchover, 'POST …/switchover'),
      unproven(FAILOVER_IAM_ACTIONS.recovery, 'POST …/recovery'),
    ],
  };
}
