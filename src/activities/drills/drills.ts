/**
 * Drill activities: what the drill reads before it touches a pair (the pair, the drill flag, other drills) and
 * the topology it leaves the pair in. Read-only.
 */
import { clusterProject, topologyOf } from '../operations/sites';
import { activityInfo, heartbeat, sleep } from '@temporalio/activity';
import { classifyDrStatus, clusterHealth } from '../../dws/model';
import { findPair } from '../../inventory';
import type { DrillTopology } from '../../shared/drills';
import type { OperationPhase } from '../../shared/operation-model';
import type { ActivityDeps } from '../deps';
import { describeError, isNotFound, toActivityFailure } from '../failure';

export interface DrillPairFacts {
  found: boolean;
  drName: string | null;
  status: string | null;
  primaryClusterId: string | null;
  standbyClusterId: string | null;
  /** The pair's name in the worker's inventory, when it is listed. */
  pairName: string | null;
  /** The worker's inventory marks it `drill: true` (a real failover may be drilled on it). */
  drillPair: boolean;
  /** Why `drillPair` is false, for the refusal. */
  drillPairWhy: string;
  /** Other running drills of the pair (not the caller). */
  otherDrills: string[];
}

/** Reads the pair, its inventory entry and the other drills running on it. @throws for unreadable pairs. */
export async function readDrillPair(
  deps: ActivityDeps,
  input: { projectId: string; drId: string }
): Promise<DrillPairFacts> {
  const inventory = deps.drills?.inventory ?? null;
  const entry = findPair(inventory, input.projectId, input.drId);
  const drillPairWhy = !inventory
    ? 'the worker has no inventory (DWS_FAILOVER_INVENTORY), so no pair is a drill pair'
    : !entry
      ? `the worker's inventory (${inventory.source}) does not list DR ${input.drId} of project ${input.projectId}`
      : entry.drill
        ? `${entry.name} is marked drill: true`
        : `${entry.name} is not marked drill: true in the worker's inventory (${inventory.source})`;
  const self = activityInfo().workflowExecution?.workflowId;
  const running = (await deps.workflows?.runningDrills(input.projectId, input.drId)) ?? [];
  const base = {
    pairName: entry?.name ?? null,
    drillPair: entry?.drill === true,
    drillPairWhy,
    otherDrills: running.map((d) => d.workflowId).filter((id) => id !== self),
  };
  try {
    const dr = await deps.dws.getDisasterRecovery(input.projectId, input.drId);
    return {
      ...base,
      found: true,
      drName: dr.name,
      status: dr.status,
      primaryClusterId: dr.primary_cluster.id,
      standbyClusterId: dr.standby_cluster.id,
    };
  } catch (err) {
    if (!isNotFound(err)) throw toActivityFailure(err);
    return { ...base, found: false, drName: null, status: null, primaryClusterId: null, standbyClusterId: null };
  }
}

export interface TopologyInput {
  projectId: string;
  drId: string;
  originalPrimaryId: string;
  /** Wait this long for a stable DR status (an operation the service still runs) before answering. */
  settleTimeoutMs: number;
  pollIntervalMs: number;
}

/** The topology plus whether the serving primary is healthy and the status stable. */
export interface TopologyReading extends DrillTopology {
  primaryHealthy: boolean;
  stable: boolean;
  error: string | null;
}

/**
 * Reads where the pair stands, first waiting (bounded) until no operation runs on it, so a drill never ends while
 * the service is still switching. Never throws for DWS errors: an unreadable pair is topology `unknown`.
 */
export async function readDrillTopology(deps: ActivityDeps, input: TopologyInput): Promise<TopologyReading> {
  const deadline = Date.now() + input.settleTimeoutMs;
  let last: TopologyReading = {
    state: 'unknown',
    primaryClusterId: null,
    originalPrimaryClusterId: input.originalPrimaryId,
    drStatus: null,
    primaryHealthy: false,
    stable: false,
    error: null,
  };
  for (;;) {
    try {
      const dr = await deps.dws.getDisasterRecovery(input.projectId, input.drId);
      const primaryId = dr.primary_cluster.id;
      const stable = classifyDrStatus(dr.status) === 'stable';
      // A cross-region pair's clusters are read through their own regions.
      const clusterAt = clusterProject(topologyOf(deps, input.projectId, input.drId), input.projectId, primaryId);
      const primary = await deps.dws.getCluster(clusterAt, primaryId).catch(() => null);
      last = {
        state: primaryId === input.originalPrimaryId ? 'original' : 'reversed',
        primaryClusterId: primaryId,
        originalPrimaryClusterId: input.originalPrimaryId,
        drStatus: dr.status,
        primaryHealthy: primary !== null && clusterHealth(primary.status) === 'healthy',
        stable,
        error: null,
      };
      if (stable) return last;
    } catch (err) {
      last = { ...last, error: describeError(err) };
    }
    heartbeat(last.drStatus);
    if (Date.now() + input.pollIntervalMs > deadline) return last;
    await sleep(input.pollIntervalMs);
  }
}

/** The phase of a running operation workflow, or null when it cannot be read (then the drill assumes the worst). */
export async function drillOperationPhase(
  deps: ActivityDeps,
  input: { workflowId: string; runId: string }
): Promise<OperationPhase | null> {
  return (await deps.drills?.records.operationPhase(input.workflowId, input.runId).catch(() => null)) ?? null;
}
