/**
 * Readiness of one pair: would a failover work now (the failover pre-checks, read-only), when did it last prove
 * itself in a drill, and do its drill schedules run when due. Used by `readinessWorkflow` and `dws-failover
 * readiness` alike, so both say the same.
 */
import { describeSite, type PairTopology } from '../../shared/topology';
import { isCrossRegion, siteOfCluster, topologyOf } from '../operations/sites';
import { DEFAULT_MAX_DRILL_AGE_SECONDS, type PairReadiness } from '../../shared/drill-readiness';
import { blockingChecks, readyToFailOver } from '../../shared/drills';
import { DEFAULT_POLICY, resolvePolicy } from '../../shared/policy';
import { findPair } from '../../inventory';
import type { ActivityDeps } from '../deps';
import { describeError } from '../failure';
import { runPrechecks } from '../operations/prechecks';

/** A pair as the readiness run knows it (from the worker's inventory). */
export interface ReadinessPair {
  name: string;
  projectId: string;
  drId: string;
  drill: boolean;
  /** How many notification targets the pair has (0: readiness notices for it are not sent). */
  targets: number;
}

export interface AssessInput extends Omit<ReadinessPair, 'targets'> {
  /** The run's limit; the pair's own `max_drill_age` from the inventory wins. @default DEFAULT_MAX_DRILL_AGE_SECONDS */
  maxDrillAgeSeconds?: number;
  missedGraceSeconds?: number;
}

/** Every pair of the worker's inventory. */
export function readinessPairs(deps: ActivityDeps): ReadinessPair[] {
  return (deps.drills?.inventory?.pairs ?? []).map((p) => ({
    name: p.name,
    projectId: p.projectId,
    drId: p.drId,
    drill: p.drill,
    targets: p.notify.length,
  }));
}

/**
 * Assesses one pair. Never throws: a pair that cannot be read is not ready, with the error as the reason, and a
 * Temporal lookup that fails leaves the drill columns empty.
 */
export async function assessPairReadiness(deps: ActivityDeps, input: AssessInput): Promise<PairReadiness> {
  const now = (deps.now ?? (() => new Date()))();
  const entry = findPair(deps.drills?.inventory ?? null, input.projectId, input.drId);
  const policy = resolvePolicy(deps.drills?.policy ?? DEFAULT_POLICY, entry?.policy);
  const maxAge = entry?.maxDrillAgeSeconds ?? input.maxDrillAgeSeconds ?? DEFAULT_MAX_DRILL_AGE_SECONDS;
  const out: PairReadiness = {
    pair: input.name,
    projectId: input.projectId,
    drId: input.drId,
    drillPair: input.drill,
    ready: false,
    reasons: [],
    dataLossWindowSeconds: null,
    drStatus: null,
    primaryClusterId: null,
    lastDrill: null,
    lastPassedDrillAt: null,
    drillOverdue: false,
    maxDrillAgeSeconds: maxAge,
    schedules: [],
    checkedAt: now.toISOString(),
  };
  try {
    const pre = await runPrechecks(deps, {
      projectId: input.projectId,
      drId: input.drId,
      dataLossBudgetSeconds: policy.dataLossBudgetSeconds,
      cooldownSeconds: policy.cooldownSeconds,
    });
    out.ready = pre.snapshot !== null && readyToFailOver(pre.checks);
    out.reasons = blockingChecks(pre.checks).map((c) => `${c.title}: ${c.observed}`);
    out.dataLossWindowSeconds = pre.dataLossWindowSeconds;
    out.drStatus = pre.snapshot?.status ?? null;
    out.primaryClusterId = pre.snapshot?.primaryClusterId ?? null;
  } catch (err) {
    out.reasons = [`the pair could not be read: ${describeError(err)}`];
  }
  const topology = topologyOf(deps, input.projectId, input.drId);
  if (isCrossRegion(topology)) Object.assign(out, await assessEndpoints(deps, topology, input.drId));
  const records = deps.drills?.records;
  if (records) {
    const [drills, schedules] = await Promise.all([
      records.lastDrills(input.projectId, input.drId).catch(() => null),
      records.drillSchedules(input.projectId, input.drId, input.missedGraceSeconds).catch(() => []),
    ]);
    out.lastDrill = drills?.last ?? null;
    out.lastPassedDrillAt = drills?.lastPassedAt ?? null;
    out.drillOverdue =
      drills !== null &&
      (drills.lastPassedAt === null || now.getTime() - Date.parse(drills.lastPassedAt) > maxAge * 1000);
    out.schedules = schedules;
  }
  return out;
}

/**
 * A cross-region pair's endpoints: each region's copy read once, and whether the standby region's endpoint could
 * take a failover (README § Pairs in several regions): it answers, and its copy shows the primary and status that
 * the primary region's copy shows (a copy that lags or differs would judge the request on other facts).
 */
async function assessEndpoints(
  deps: ActivityDeps,
  topology: PairTopology,
  drId: string
): Promise<Pick<PairReadiness, 'endpoints' | 'standbyEndpoint'>> {
  const copies = await Promise.all(
    topology.sites.map(async (site) => {
      const at = new Date().toISOString();
      try {
        const dr = await deps.dws.getDisasterRecovery(site.projectId, drId);
        const note = `status ${dr.status}, primary ${dr.primary_cluster.id}`;
        return { dr, answer: { ...site, answered: true, note, at } };
      } catch (err) {
        return { dr: null, answer: { ...site, answered: false, note: describeError(err), at } };
      }
    })
  );
  const endpoints = copies.map((c) => c.answer);
  const read = copies.find((c) => c.dr !== null)?.dr;
  if (!read) return { endpoints, standbyEndpoint: { ready: false, note: 'no region of the pair answered' } };
  const standbySite = siteOfCluster(topology, read, read.standby_cluster.id);
  const primarySite = siteOfCluster(topology, read, read.primary_cluster.id);
  const standby = copies.find((c) => c.answer.projectId === standbySite?.projectId);
  const primary = copies.find((c) => c.answer.projectId === primarySite?.projectId);
  if (!standby)
    return { endpoints, standbyEndpoint: { ready: false, note: 'the standby cluster has no site in the inventory' } };
  if (!standby.dr) {
    return {
      endpoints,
      standbyEndpoint: {
        ready: false,
        note: `${describeSite(standby.answer)} does not answer: ${standby.answer.note}`,
      },
    };
  }
  const agrees =
    !primary?.dr ||
    (primary.dr.primary_cluster.id === standby.dr.primary_cluster.id && primary.dr.status === standby.dr.status);
  const note = agrees
    ? `${describeSite(standby.answer)} answers and its copy shows the pair as the primary region's does`
    : `${describeSite(standby.answer)} answers, but its copy differs from the primary region's (${standby.answer.note} vs ${primary?.answer.note ?? '?'}): replication lags or is broken`;
  return { endpoints, standbyEndpoint: { ready: agrees, note } };
}
