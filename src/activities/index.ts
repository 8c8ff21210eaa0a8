/**
 * `createActivities(deps)`: the one factory of every activity, over injected dependencies. Workflows use
 * `proxyActivities<Activities>` (a type-only import of {@link Activities}); only the worker calls this.
 */
import { activityInfo } from '@temporalio/activity';
import type { ReadinessEvent } from '../shared/drill-readiness';
import type { NotificationEvent } from '../shared/notifications';
import { checkStart, type DecisionRulesInput, type StartCheck } from './operations/start-check';
import { OPEN_ACCESS, type DecisionRules } from '../shared/identity';
import { DEFAULT_POLICY, timingPart, type ServiceTiming } from '../shared/policy';
import type { PrecheckResult } from '../shared/operation-model';
import { awaitDrAction, type CompletionInput, type CompletionOutcome } from './operations/completion';
import type { ActivityDeps } from './deps';
import {
  inspectDrAction,
  requestDrAction,
  type DrActionRequestInput,
  type DrActionTarget,
} from './operations/dr-action';
import { followDrAction, type FollowInput, type FollowOutcome } from './operations/dr-follow';
import { createOperationDurations } from './operations/operation-durations';
import { sendDrAction, type SendInput, type SendOutcome } from './operations/dr-send';
import { watchDrAction, type WatchInput, type WatchResult } from './operations/dr-watch';
import { awaitEndpoint, type EndpointWaitInput, type EndpointWaitResult } from './operations/endpoint-wait';
import { whileAlive } from './operations/keep-alive';
import {
  awaitPairRelease,
  cancelLegBeforeRequest,
  cancelRunningDrills,
  pairLockHolder,
  runningIncident,
} from './drills/drill-exclusion';
import { runDrillPrechecks, type DrillPrecheckInput } from './drills/drill-prechecks';
import { drillOperationPhase, readDrillPair, readDrillTopology, type TopologyInput } from './drills/drills';
import { dispatchDeliveryPairs, type DispatchBatchInput } from './delivery-dispatch';
import { countTargets, sendNotification } from './notify';
import { runPlannedPrechecks, type PlannedPrecheckInput } from './operations/planned-prechecks';
import { runPrechecks, type PrecheckInput } from './operations/prechecks';
import { assessPairReadiness, readinessPairs, type AssessInput } from './drills/readiness-assess';
import { previousReadiness, sendReadinessNotice } from './drills/readiness-notify';

export type {
  ActivityDeps,
  DeliveryDeps,
  DwsApi,
  Execution,
  LockHolder,
  FailoverHistory,
  NotificationDeps,
  WorkflowControl,
} from './deps';
export type { CompletionInput, CompletionOutcome } from './operations/completion';
export type { DrActionRequestInput, DrActionTarget } from './operations/dr-action';
export type { FollowInput, FollowOutcome } from './operations/dr-follow';
export type { SendHeartbeat, SendInput, SendOutcome } from './operations/dr-send';
export type { WatchInput, WatchResult } from './operations/dr-watch';
export type { EndpointWaitInput, EndpointWaitResult } from './operations/endpoint-wait';
export type { Knowledge, Observation } from './operations/witness';
export type { PlannedPrecheckInput } from './operations/planned-prechecks';
export type { PrecheckInput } from './operations/prechecks';
export type { DrillDeps, DrillRecords } from './drills/drill-deps';
export type { DrillPrecheckInput } from './drills/drill-prechecks';
export type { DrillPairFacts, TopologyInput, TopologyReading } from './drills/drills';
export type { AssessInput, ReadinessPair } from './drills/readiness-assess';

/** Builds the activities of every workflow from the given clients. */
export function createActivities(deps: ActivityDeps) {
  // Follows learn how long each pair's operations take, for as long as this worker runs.
  const followDeps: ActivityDeps = { ...deps, durations: deps.durations ?? createOperationDurations() };
  // Runs reading their pair for a while count as in flight: many of one project share their reads (shared-reads.ts).
  const inFlight = async <T>(projectId: string, drId: string, read: () => Promise<T>): Promise<T> => {
    const leave = deps.shared?.enter(projectId, drId);
    try {
      return await read();
    } finally {
      leave?.();
    }
  };
  // Pre-checks heartbeat (a dead worker is noticed in seconds) and say how many attempts their reads took.
  const precheck = async (projectId: string, drId: string, run: () => Promise<PrecheckResult>) => {
    const info = activityInfo();
    const result = await inFlight(projectId, drId, () => whileAlive(null, run));
    return {
      ...result,
      notificationTargets: countTargets(deps, projectId, drId),
      reads: { attempts: info.attempt, retriedSeconds: Math.max(0, (Date.now() - info.scheduledTimestampMs) / 1000) },
    };
  };
  return {
    /** The worker's timing for a pair (a local activity: it reads configuration only). */
    serviceTiming: async (input: { projectId: string; drId: string }): Promise<ServiceTiming> =>
      deps.timing?.(input.projectId, input.drId) ?? (timingPart(DEFAULT_POLICY) as ServiceTiming),
    /** The keys this worker trusts for decisions and the pair's access rules (a local activity: configuration only). */
    decisionRules: async (input: DecisionRulesInput): Promise<DecisionRules & { start?: StartCheck }> => {
      const rules = deps.decisions?.(input.projectId, input.drId) ?? {
        keys: [],
        access: OPEN_ACCESS,
        keysSource: 'this worker has no approver keys (DWS_FAILOVER_APPROVER_KEYS)',
      };
      return input.start ? { ...rules, start: checkStart(input.start, rules) } : rules;
    },
    /**
     * How many notification targets the pair has in this worker's inventory (a local activity: configuration only).
     * A count, never the targets: their URLs and secrets stay in the worker.
     */
    notificationTargets: async (input: { projectId: string; drId: string }): Promise<number> =>
      countTargets(deps, input.projectId, input.drId),
    runPrechecks: (input: PrecheckInput): Promise<PrecheckResult> =>
      precheck(input.projectId, input.drId, () => runPrechecks(deps, input)),
    runPlannedPrechecks: (input: PlannedPrecheckInput): Promise<PrecheckResult> =>
      precheck(input.projectId, input.drId, () => runPlannedPrechecks(deps, input)),
    sendDrAction: (input: SendInput): Promise<SendOutcome> => sendDrAction(deps, input),
    watchDrAction: (input: WatchInput): Promise<WatchResult> => watchDrAction(deps, input),
    awaitEndpoint: (input: EndpointWaitInput): Promise<EndpointWaitResult> => awaitEndpoint(deps, input),
    followDrAction: (input: FollowInput): Promise<FollowOutcome> =>
      inFlight(input.projectId, input.drId, () => followDrAction(followDeps, input)),
    /** Runs started before the fenced request protocol (operation-legacy.ts) finish on these three. */
    requestDrAction: (input: DrActionRequestInput) => requestDrAction(deps, input),
    inspectDrAction: (input: DrActionTarget) => inspectDrAction(deps, input),
    awaitDrAction: (input: CompletionInput): Promise<CompletionOutcome> => awaitDrAction(deps, input),
    sendNotification: (event: NotificationEvent) => sendNotification(deps, event),
    dispatchDeliveryPairs: (input: DispatchBatchInput) => dispatchDeliveryPairs(deps, input),
    cancelRunningDrills: (input: { projectId: string; drId: string }) => cancelRunningDrills(deps, input),
    runningIncident: (input: { projectId: string; drId: string }) => runningIncident(deps, input),
    awaitPairRelease: (input: { projectId: string; drId: string }) => awaitPairRelease(deps, input),
    pairLockHolder: (input: { projectId: string; drId: string }) => pairLockHolder(deps, input),
    cancelLegBeforeRequest: (input: { workflowId: string; runId: string; actor: string; comment: string }) =>
      cancelLegBeforeRequest(deps, input),
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

/** Every activity, as workflows proxy them: the one type they import (`import type { Activities }`). */
export type Activities = ReturnType<typeof createActivities>;
