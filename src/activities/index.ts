/**
 * `createActivities(deps)`: the one factory of every activity, over injected dependencies. Workflows use
 * `proxyActivities<ReturnType<typeof createActivities>>`; only the worker calls this.
 */
import type { ReadinessEvent } from '../shared/drill-readiness';
import type { NotificationEvent } from '../shared/notifications';
import type { PrecheckResult } from '../shared/types';
import { awaitDrAction, type CompletionInput, type CompletionOutcome } from './completion';
import type { ActivityDeps } from './deps';
import { inspectDrAction, requestDrAction, type DrActionRequestInput, type DrActionTarget } from './dr-action';
import { cancelRunningDrills, runningIncident } from './drill-exclusion';
import { runDrillPrechecks, type DrillPrecheckInput } from './drill-prechecks';
import { drillOperationPhase, readDrillPair, readDrillTopology, type TopologyInput } from './drills';
import { countTargets, sendNotification } from './notify';
import { runPlannedPrechecks, type PlannedPrecheckInput } from './planned-prechecks';
import { runPrechecks, type PrecheckInput } from './prechecks';
import { assessPairReadiness, readinessPairs, type AssessInput } from './readiness-assess';
import { previousReadiness, sendReadinessNotice } from './readiness-notify';

export type { ActivityDeps, DwsApi, FailoverHistory, NotificationDeps, WorkflowControl } from './deps';
export type { CompletionInput, CompletionOutcome } from './completion';
export type { DrActionRequestInput, DrActionTarget } from './dr-action';
export type { PlannedPrecheckInput } from './planned-prechecks';
export type { PrecheckInput } from './prechecks';
export type { DrillDeps, DrillRecords } from './drill-deps';
export type { DrillPrecheckInput } from './drill-prechecks';
export type { DrillPairFacts, TopologyInput, TopologyReading } from './drills';
export type { AssessInput, ReadinessPair } from './readiness-assess';

/** Builds the activities of every workflow from the given clients. */
export function createActivities(deps: ActivityDeps) {
  const withTargets = (r: PrecheckResult, projectId: string, drId: string): PrecheckResult => ({
    ...r,
    notificationTargets: countTargets(deps, projectId, drId),
  });
  return {
    runPrechecks: async (input: PrecheckInput): Promise<PrecheckResult> =>
      withTargets(await runPrechecks(deps, input), input.projectId, input.drId),
    runPlannedPrechecks: async (input: PlannedPrecheckInput): Promise<PrecheckResult> =>
      withTargets(await runPlannedPrechecks(deps, input), input.projectId, input.drId),
    requestDrAction: (input: DrActionRequestInput) => requestDrAction(deps, input),
    inspectDrAction: (input: DrActionTarget) => inspectDrAction(deps, input),
    awaitDrAction: (input: CompletionInput): Promise<CompletionOutcome> => awaitDrAction(deps, input),
    sendNotification: (event: NotificationEvent) => sendNotification(deps, event),
    cancelRunningDrills: (input: { projectId: string; drId: string }) => cancelRunningDrills(deps, input),
    runningIncident: (input: { projectId: string; drId: string }) => runningIncident(deps, input),
    readDrillPair: (input: { projectId: string; drId: string }) => readDrillPair(deps, input),
    readDrillTopology: (input: TopologyInput) => readDrillTopology(deps, input),
    drillOperationPhase: (input: { workflowId: string; runId: string }) => drillOperationPhase(deps, input),
    runDrillPrechecks: (input: DrillPrecheckInput) => runDrillPrechecks(deps, input),
    readinessPairs: async () => readinessPairs(deps),
    assessPairReadiness: (input: AssessInput) => assessPairReadiness(deps, input),
    previousReadiness: () => previousReadiness(deps),
    sendReadinessNotice: (event: ReadinessEvent) => sendReadinessNotice(deps, event),
  };
}

export type Activities = ReturnType<typeof createActivities>;
