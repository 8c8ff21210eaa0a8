/**
 * More than one witness (DESIGN §2 phase 3): where an operation stands, read on several independent paths of the
 * DWS API — the DR detail, the DR list, and the task of each cluster — because each may lag behind a write for a
 * while, and during an operation the DR status may look stable (`running`, `abnormal`). A resend needs every path
 * readable and none showing the operation; one path showing it is enough to know it was taken.
 */
import type { ClusterDetailWire, DrDetailWire, DrListItemWire } from '../../dws/types';
import { classifyDrStatus, detailFromListItem } from '../../dws/model';
import { advance, type Knowledge, type ObservedState } from '../../shared/knowledge';
import type { ActivityDeps } from '../deps';
import { describeError } from '../failure';
import { recoveryRunningState, type DrActionTarget } from './dr-action';
import type { PairTopology } from '../../shared/topology';
import { clusterProject, isCrossRegion, NoSiteAnswered, readDrAnySite, topologyOf } from './sites';

/** What one read path shows about the operation. */
export type Sign = 'done' | 'in-progress' | 'none' | 'unreadable';

export { advance, type Knowledge };

export interface WitnessReading {
  path: 'detail' | 'list' | 'primary-cluster' | 'standby-cluster';
  sign: Sign;
  /** What was read, for the report and the logs. */
  observed: string;
  /** A cross-region pair: the region (or project) whose copy was read. */
  site?: string;
}

export interface Observation {
  /**
   * `done` or `in-progress` when any path shows it; `not-started` only when every path was read and none shows
   * it; `unknown` when a path could not be read and none shows it.
   */
  state: ObservedState;
  witnesses: WitnessReading[];
  status: string | null;
  primaryClusterId: string | null;
  observedAt: string;
}

/** Cluster tasks that belong to a DR operation (reference §3.4: `ACTIVE_STANDY_SWITCHOVER`, `DR_RECOVERING`…). */
const DR_TASK = /SWITCHOVER|FAILOVER|^DR_/;

/** Whether a cluster shows a DR task in `task_status` or `action_progress`. */
export function drTaskOf(cluster: ClusterDetailWire): string | null {
  if (cluster.task_status && DR_TASK.test(cluster.task_status)) return cluster.task_status;
  const key = Object.keys(cluster.action_progress ?? {}).find((k) => DR_TASK.test(k));
  return key ?? null;
}

/** One view of the pair, from the DR detail or a DR list item. */
export interface PairView {
  primaryId: string;
  status: string;
  /** The standby's last successful sync as the wire gives it (`last_success_time`, the list's `last_disaster_time`). */
  lastSync: string | null;
}

/**
 * The sign of one view of the pair. Failover and switchover are done once the roles are swapped and the status is
 * stable; recovery once the pair runs again with proof that the service re-seeded the standby
 * ({@link recoveryRunningState}): `running` alone may be shown while it works.
 */
export function signOf(view: PairView, t: DrActionTarget, seenWorking: boolean): Sign {
  const { primaryId, status } = view;
  const kind = classifyDrStatus(status);
  if (t.operation === 'recovery') {
    if (kind !== 'stable') return 'in-progress';
    if (status === 'running' && primaryId === t.oldPrimaryId) {
      const state = recoveryRunningState(t, view.lastSync, seenWorking);
      // A view that proves nothing either way reads like a path that could not be read: no resend, no verdict.
      return state === 'not-started' ? 'none' : state === 'unproven' ? 'unreadable' : state;
    }
    return 'none';
  }
  if (primaryId === t.newPrimaryId) return kind === 'stable' ? 'done' : 'in-progress';
  if (primaryId === t.oldPrimaryId) return kind === 'stable' ? 'none' : 'in-progress';
  return 'unreadable';
}

/** The view a DR detail gives. */
function detailView(dr: DrDetailWire): PairView {
  return { primaryId: dr.primary_cluster.id, status: dr.status, lastSync: dr.standby_cluster.last_success_time };
}

/** The view a DR list item gives. */
export function listView(item: DrListItemWire): PairView {
  return { primaryId: item.primary_cluster_id, status: item.status, lastSync: item.last_disaster_time };
}

/** Combines the paths: any sign wins; "nothing" needs every path. */
export function combine(witnesses: WitnessReading[]): Observation['state'] {
  if (witnesses.some((w) => w.sign === 'done')) return 'done';
  if (witnesses.some((w) => w.sign === 'in-progress')) return 'in-progress';
  return witnesses.every((w) => w.sign === 'none') ? 'not-started' : 'unknown';
}

/**
 * Reads the DR detail only (the cheap path, before a first send and while polling). A cross-region pair is read
 * from the copy where the request went, else from the other region's; that other copy lags the service, so its
 * "nothing yet" proves nothing and reads as unreadable, while a sign on it counts. `site` is the project read.
 */
export async function readDetail(
  deps: ActivityDeps,
  t: DrActionTarget,
  seenWorking: boolean,
  options: { signal?: AbortSignal; priority?: 'high' | 'low' } = {}
): Promise<{ reading: WitnessReading; dr: DrDetailWire | null; site?: string }> {
  const topology = topologyOf(deps, t.projectId, t.drId);
  if (isCrossRegion(topology)) return readDetailAcrossRegions(deps, topology, t, seenWorking, options);
  try {
    const dr = await deps.dws.getDisasterRecovery(t.projectId, t.drId, options);
    return {
      dr,
      reading: {
        path: 'detail',
        sign: signOf(detailView(dr), t, seenWorking),
        observed: `status ${dr.status}, primary ${dr.primary_cluster.id}`,
      },
    };
  } catch (err) {
    return { dr: null, reading: unreadable('detail', err) };
  }
}

async function readDetailAcrossRegions(
  deps: ActivityDeps,
  topology: PairTopology,
  t: DrActionTarget,
  seenWorking: boolean,
  options: { signal?: AbortSignal; priority?: 'high' | 'low' }
): Promise<{ reading: WitnessReading; dr: DrDetailWire | null; site?: string }> {
  const home = t.via ?? t.projectId;
  try {
    const { dr, site } = await readDrAnySite(deps, topology, t.drId, { ...options, prefer: home });
    const sign = signOf(detailView(dr), t, seenWorking);
    const observed = `status ${dr.status}, primary ${dr.primary_cluster.id}`;
    const where = site.region ?? site.projectId;
    if (site.projectId !== home && sign === 'none') {
      const note = `${observed} on the ${where} copy, which may lag the region the request went to`;
      return { dr, site: site.projectId, reading: { path: 'detail', sign: 'unreadable', observed: note, site: where } };
    }
    return { dr, site: site.projectId, reading: { path: 'detail', sign, observed, site: where } };
  } catch (err) {
    return { dr: null, reading: unreadable('detail', err instanceof NoSiteAnswered ? err.message : err) };
  }
}

/** A path that could not be read: it forbids a resend but proves nothing. */
function unreadable(path: WitnessReading['path'], err: unknown): WitnessReading {
  return { path, sign: 'unreadable', observed: describeError(err) };
}

/**
 * The pair as the project's shared DR list shows it (src/dws/shared-reads.ts: many pairs of the project in flight),
 * read from a list call that left after this read was asked for. The `list` path, with the detail it implies.
 */
export async function readShared(
  deps: ActivityDeps,
  t: DrActionTarget,
  seenWorking: boolean,
  options: { signal?: AbortSignal; priority?: 'high' | 'low' } = {}
): Promise<{ reading: WitnessReading; dr: DrDetailWire | null; site?: string }> {
  try {
    if (!deps.shared) throw new Error('no shared reads on this worker');
    const { items } = await deps.shared.drs(t.projectId, options);
    const item = items.find((i) => i.id === t.drId);
    return { reading: listReading(items, t, seenWorking), dr: item ? detailFromListItem(item) : null };
  } catch (err) {
    return { dr: null, reading: unreadable('list', err) };
  }
}

function listReading(items: DrListItemWire[], t: DrActionTarget, seenWorking: boolean): WitnessReading {
  const item = items.find((i) => i.id === t.drId);
  if (!item) return { path: 'list', sign: 'unreadable', observed: `DR ${t.drId} is missing from the list` };
  return {
    path: 'list',
    sign: signOf(listView(item), t, seenWorking),
    observed: `status ${item.status}, primary ${item.primary_cluster_id}`,
  };
}

function clusterReading(path: WitnessReading['path'], cluster: ClusterDetailWire | Error): WitnessReading {
  if (cluster instanceof Error) return unreadable(path, cluster);
  const task = drTaskOf(cluster);
  return task
    ? { path, sign: 'in-progress', observed: `${cluster.id} runs ${task}` }
    : { path, sign: 'none', observed: `${cluster.id} ${cluster.status}, no DR task` };
}

/**
 * Reads every path at once: DR detail, DR list (filtered to the pair), and both clusters' tasks. Never throws: a
 * path that cannot be read is `unreadable`, which forbids a resend but proves nothing.
 */
export async function observeAll(
  deps: ActivityDeps,
  t: DrActionTarget,
  seenWorking: boolean,
  signal?: AbortSignal
): Promise<Observation> {
  const topology = topologyOf(deps, t.projectId, t.drId);
  if (isCrossRegion(topology)) return observeAcrossRegions(deps, topology, t, seenWorking, signal);
  const opts = signal ? { signal } : {};
  const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));
  const [detail, list, primary, standby] = await Promise.all([
    readDetail(deps, t, seenWorking, opts),
    deps.dws.listDisasterRecoveries(t.projectId, { id: t.drId }, opts).then(
      (items) => listReading(items, t, seenWorking),
      (err: unknown) => unreadable('list', err)
    ),
    deps.dws.getCluster(t.projectId, t.oldPrimaryId, opts).catch(asError),
    deps.dws.getCluster(t.projectId, t.newPrimaryId, opts).catch(asError),
  ]);
  const oldPrimary = clusterReading('primary-cluster', primary);
  // The cluster a failover leaves behind is down and may well be unreadable: it may show a sign, but it is no
  // required witness (the detail, the list and the cluster being promoted are).
  if (t.operation === 'failover' && oldPrimary.sign === 'unreadable') {
    oldPrimary.sign = 'none';
    oldPrimary.observed = `unreadable, not required for a failover (${oldPrimary.observed})`;
  }
  const witnesses = [detail.reading, list, oldPrimary, clusterReading('standby-cluster', standby)];
  return {
    state: combine(witnesses),
    witnesses,
    status: detail.dr?.status ?? null,
    primaryClusterId: detail.dr?.primary_cluster.id ?? null,
    observedAt: new Date().toISOString(),
  };
}

/**
 * Every path of a cross-region pair: the DR detail and list of each region's copy, and each cluster through its
 * own region. Only the copy of the region the request went to (`via`) can clear an ambiguous answer: the other
 * copy shows the service's changes a replication lag later — or never, while the region that took the request is
 * down — so there its "nothing" is not required (and its silence forgiven), while any sign on it counts.
 */
async function observeAcrossRegions(
  deps: ActivityDeps,
  topology: PairTopology,
  t: DrActionTarget,
  seenWorking: boolean,
  signal?: AbortSignal
): Promise<Observation> {
  const opts = signal ? { signal } : {};
  const required = t.via ?? t.projectId;
  const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));
  const perSite = await Promise.all(
    topology.sites.map(async (site) => {
      const where = site.region ?? site.projectId;
      const [detail, list] = await Promise.all([
        deps.dws.getDisasterRecovery(site.projectId, t.drId, opts).then(
          (dr) => ({
            dr,
            reading: {
              path: 'detail' as const,
              sign: signOf(detailView(dr), t, seenWorking),
              observed: `status ${dr.status}, primary ${dr.primary_cluster.id}`,
            },
          }),
          (err: unknown) => ({ dr: null, reading: unreadable('detail', err) })
        ),
        deps.dws.listDisasterRecoveries(site.projectId, { id: t.drId }, opts).then(
          (items) => listReading(items, t, seenWorking),
          (err: unknown) => unreadable('list', err)
        ),
      ]);
      const readings = [detail.reading, list].map((r): WitnessReading => {
        const reading = { ...r, site: where };
        if (site.projectId === required || reading.sign !== 'unreadable') return reading;
        return {
          ...reading,
          sign: 'none',
          observed: `unreadable, not required: another region's copy (${r.observed})`,
        };
      });
      return { site, dr: detail.dr, readings };
    })
  );
  const [primary, standby] = await Promise.all([
    deps.dws.getCluster(clusterProject(topology, t.projectId, t.oldPrimaryId), t.oldPrimaryId, opts).catch(asError),
    deps.dws.getCluster(clusterProject(topology, t.projectId, t.newPrimaryId), t.newPrimaryId, opts).catch(asError),
  ]);
  const oldPrimary = clusterReading('primary-cluster', primary);
  if (t.operation === 'failover' && oldPrimary.sign === 'unreadable') {
    oldPrimary.sign = 'none';
    oldPrimary.observed = `unreadable, not required for a failover (${oldPrimary.observed})`;
  }
  const witnesses = [...perSite.flatMap((s) => s.readings), oldPrimary, clusterReading('standby-cluster', standby)];
  const main = perSite.find((s) => s.site.projectId === required)?.dr ?? perSite.find((s) => s.dr)?.dr ?? null;
  return {
    state: combine(witnesses),
    witnesses,
    status: main?.status ?? null,
    primaryClusterId: main?.primary_cluster.id ?? null,
    observedAt: new Date().toISOString(),
  };
}
