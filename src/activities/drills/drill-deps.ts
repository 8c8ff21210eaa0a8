/**
 * What the drill and readiness activities need besides the DWS client: the worker's inventory and policy, and
 * Temporal's own records of drills, schedules and earlier readiness runs (nothing is stored outside Temporal).
 */
import type { Inventory } from '../../inventory';
import type { DrillScheduleHealth, LastDrill, ReadinessReport } from '../../shared/drill-readiness';
import type { OperationPolicy } from '../../shared/policy';
import type { OperationPhase } from '../../shared/operation-model';

/** Temporal's records about drills and readiness runs (implemented over a client in src/drills). */
export interface DrillRecords {
  /** The latest closed drill of the pair, and when the latest passed one ended. */
  lastDrills(projectId: string, drId: string): Promise<{ last: LastDrill | null; lastPassedAt: string | null }>;
  /** The pair's drill schedules (at most one per mode) and whether each ran when due. */
  drillSchedules(projectId: string, drId: string, graceSeconds?: number): Promise<DrillScheduleHealth[]>;
  /** The result of the latest completed readiness run on `taskQueue` other than `exceptWorkflowId`, or null. */
  previousReadiness(taskQueue: string, exceptWorkflowId: string): Promise<ReadinessReport | null>;
  /** The phase of a running operation workflow (its `progress` query), or null when it cannot be read. */
  operationPhase(workflowId: string, runId: string): Promise<OperationPhase | null>;
}

/** The drill and readiness dependencies of the activities. */
export interface DrillDeps {
  /** The worker's inventory: which pairs exist, which are drill pairs. */
  inventory: Inventory | null;
  /** The worker's configured policy (the pair's own policy from the inventory applies on top). */
  policy: OperationPolicy;
  records: DrillRecords;
}

// Adds the optional `drills` field to ActivityDeps without touching deps.ts (owned elsewhere); without it, the
// failover drill refuses (no inventory) and readiness has no pairs.
