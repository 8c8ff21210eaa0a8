/**
 * `createActivities(deps)`: the one factory of every activity, over injected dependencies. Workflows use
 * `proxyActivities<ReturnType<typeof createActivities>>`; only the worker calls this.
 */
import type { NotificationEvent } from '../shared/notifications';
import type { PrecheckResult } from '../shared/types';
import { awaitDrAction, type CompletionInput, type CompletionOutcome } from './completion';
import type { ActivityDeps } from './deps';
import { inspectDrAction, requestDrAction, type DrActionRequestInput, type DrActionTarget } from './dr-action';
import { cancelRunningDrills, runningIncident } from './drill-exclusion';
import { countTargets, sendNotification } from './notify';
import { runPlannedPrechecks, type PlannedPrecheckInput } from './planned-prechecks';
import { runPrechecks, type PrecheckInput } from './prechecks';

export type { ActivityDeps, DwsApi, FailoverHistory, NotificationDeps, WorkflowControl } from './deps';
export type { CompletionInput, CompletionOutcome } from './completion';
export type { DrActionRequestInput, DrActionTarget } from './dr-action';
export type { PlannedPrecheckInput } from './planned-prechecks';
export type { PrecheckInput } from './prechecks';

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
  };
}

export type Activities = ReturnType<typeof createActivities>;
