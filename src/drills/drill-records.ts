/**
 * Drills and readiness runs as Temporal remembers them: visibility for the latest runs, `result()` for their
 * reports, schedule descriptions for due runs. Nothing is stored anywhere else.
 */
import { ScheduleNotFoundError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { DrillDeps, DrillRecords } from '../activities';
import type { Config } from '../config';
import { FAILOVER_OUTCOME } from '../shared/constants';
import type { LastDrill, ReadinessReport } from '../shared/drill-readiness';
import { DRILL_MODES, drillScheduleId, isDrillOfPair, type DrillReport } from '../shared/drills';
import { progressQuery } from '../shared/messages';
import { scheduleHealth } from './schedule-health';

/** A visibility query literal. */
import { quote } from '../temporal/visibility';

/** How many closed drills of a pair are looked at to find the latest and the latest passed one. */
const DRILL_LOOKBACK = 100;

/** The report of a closed run, or null when it did not complete with one. */
async function resultOf<T>(client: Client, workflowId: string, runId: string): Promise<T | null> {
  try {
    return (await client.workflow.getHandle(workflowId, runId).result()) as T;
  } catch {
    return null;
  }
}

/** Implements {@link DrillRecords} over a Temporal client. */
export function temporalDrillRecords(client: Client): DrillRecords {
  return {
    async lastDrills(projectId, drId) {
      const query = `WorkflowType = 'drillWorkflow' AND DrId = ${quote(drId)} AND ExecutionStatus != 'Running'`;
      let last: { workflowId: string; runId: string; status: string; closed: Date } | null = null;
      let lastPassed: Date | null = null;
      let seen = 0;
      for await (const wf of client.workflow.list({ query, pageSize: DRILL_LOOKBACK })) {
        if (!isDrillOfPair(wf.workflowId, projectId, drId) || !wf.closeTime) continue;
        if (!last || wf.closeTime > last.closed)
          last = { workflowId: wf.workflowId, runId: wf.runId, status: wf.status.name, closed: wf.closeTime };
        if (wf.typedSearchAttributes.get(FAILOVER_OUTCOME) === 'passed' && (!lastPassed || wf.closeTime > lastPassed))
          lastPassed = wf.closeTime;
        if (++seen >= DRILL_LOOKBACK) break;
      }
      if (!last) return { last: null, lastPassedAt: lastPassed?.toISOString() ?? null };
      const report =
        last.status === 'COMPLETED' ? await resultOf<DrillReport>(client, last.workflowId, last.runId) : null;
      const drill: LastDrill = {
        workflowId: last.workflowId,
        runId: last.runId,
        status: last.status,
        mode: report?.mode ?? null,
        verdict: report?.verdict ?? null,
        reason: report?.reason ?? null,
        endedAt: report?.endedAt ?? last.closed.toISOString(),
      };
      return { last: drill, lastPassedAt: lastPassed?.toISOString() ?? null };
    },

    async drillSchedules(projectId, drId, graceSeconds) {
      const found = await Promise.all(
        DRILL_MODES.map((mode) =>
          client.schedule
            .getHandle(drillScheduleId(projectId, drId, mode))
            .describe()
            .catch((err: unknown) => {
              if (err instanceof ScheduleNotFoundError) return null;
              throw err;
            })
        )
      );
      const now = Date.now();
      return found.flatMap((d) => (d ? [scheduleHealth(d, now, graceSeconds)] : []));
    },

    async previousReadiness(taskQueue, exceptWorkflowId) {
      const query = `WorkflowType = 'readinessWorkflow' AND TaskQueue = ${quote(taskQueue)} AND ExecutionStatus = 'Completed'`;
      let latest: { workflowId: string; runId: string; closed: Date } | null = null;
      let seen = 0;
      for await (const wf of client.workflow.list({ query, pageSize: 20 })) {
        if (wf.workflowId !== exceptWorkflowId && wf.closeTime && (!latest || wf.closeTime > latest.closed))
          latest = { workflowId: wf.workflowId, runId: wf.runId, closed: wf.closeTime };
        // Visibility lists recent runs first; the latest completed one is among the first few.
        if (++seen >= 20) break;
      }
      return latest ? resultOf<ReadinessReport>(client, latest.workflowId, latest.runId) : null;
    },

    async operationPhase(workflowId, runId) {
      try {
        return (await client.workflow.getHandle(workflowId, runId).query(progressQuery)).phase;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return null;
        throw err;
      }
    },
  };
}

/** The drill dependencies of a worker: its inventory and policy, and Temporal's records. */
export function temporalDrillDeps(client: Client, config: Pick<Config, 'inventory' | 'policy'>): DrillDeps {
  return { inventory: config.inventory, policy: config.policy, records: temporalDrillRecords(client) };
}
