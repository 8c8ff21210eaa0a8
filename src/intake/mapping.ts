/**
 * From alerts to DR pairs (DESIGN §5): labels `dws_project_id` + `dws_dr_id`; or `dws_cluster_id` looked up in the
 * inventory (it also becomes the failed cluster); or the `alert_labels` of an inventory pair or cluster. Alerts of
 * one pair are grouped, so a notification about several pairs becomes one workflow per pair.
 */
import { findPair, findPairByCluster, matchPairByLabels, type Inventory, type InventoryPair } from '../inventory';
import { checkIdFormats, type IdField, type IdProblem } from '../shared/ids';
import { clip, quote } from '../shared/quote';
import type { NormalizedAlert } from './alert';

/** The pair an alert maps to. */
export interface PairTarget {
  projectId: string;
  drId: string;
  /** The inventory's entry, when it lists the pair (its policy and name apply). */
  pair: InventoryPair | null;
  /** The inventory name, or `project/dr`. */
  name: string;
}

/** The alerts of one pair in a delivery. */
export interface PairAlerts {
  target: PairTarget;
  /** `firing` when any alert of the pair fires (then only the firing ones are kept), else `resolved`. */
  status: 'firing' | 'resolved';
  alerts: NormalizedAlert[];
  /** The cluster the alerts name as failed, when they name exactly one. */
  failedClusterId: string | null;
  /** The earliest `startsAt` of the alerts. */
  incidentStartedAt: string | null;
}

/** An alert that maps to no pair, and why. Its summary and labels are excerpts (clipped, at most 32 labels). */
export interface UnmappedAlert {
  index: number;
  summary: string;
  labels: Readonly<Record<string, string>>;
  reason: string;
}

/** How many labels of an unmapped alert the answer echoes; each name and value is clipped. */
const ECHOED_LABELS = 32;

const excerptLabels = (labels: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(labels)
      .slice(0, ECHOED_LABELS)
      .map(([k, v]) => [clip(k), clip(v)])
  );

/** A field of the outside that carries an id: its name (label or body field) and value. */
export interface NamedId {
  field: string;
  value: string | undefined;
}

/**
 * The format problems of a pair's ids from outside (alert labels, a request body). A pair the inventory lists, and a
 * cluster it lists, are trusted configuration and accepted as written (private-cloud ids may look different).
 */
export function pairIdProblems(
  inventory: Inventory | null,
  ids: { project: NamedId; dr: NamedId; cluster: NamedId }
): IdProblem[] {
  const { project, dr, cluster } = ids;
  const fields: IdField[] = [];
  if (!(project.value && dr.value && findPair(inventory, project.value, dr.value))) {
    fields.push({ ...project, kind: 'project' }, { ...dr, kind: 'dr' });
  }
  if (!(cluster.value && findPairByCluster(inventory, cluster.value))) fields.push({ ...cluster, kind: 'cluster' });
  return checkIdFormats(fields);
}

/** Said after a format problem: how ids of another format are still accepted. */
export const OTHER_ID_FORMATS = 'ids of another format are accepted for pairs the inventory lists';

type Resolution = { target: PairTarget; failedClusterId: string | null } | { reason: string };

/**
 * The target under the ids its runs go by: an inventory pair's `project_id`, also when the alert named the pair's
 * other side (a cross-region pair's standby project), so both sides' alerts group into one pair and one workflow.
 */
function targetOf(projectId: string, drId: string, pair: InventoryPair | null): PairTarget {
  const id = pair?.projectId ?? projectId;
  return { projectId: id, drId, pair, name: pair?.name ?? `${id}/${drId}` };
}

/** Which pair one alert's labels name. */
export function resolveLabels(labels: Readonly<Record<string, string>>, inventory: Inventory | null): Resolution {
  const { dws_project_id: projectId, dws_dr_id: drId, dws_cluster_id: clusterId } = labels;
  const notes: string[] = [];
  if (projectId && drId) {
    const malformed = pairIdProblems(inventory, {
      project: { field: 'dws_project_id', value: projectId },
      dr: { field: 'dws_dr_id', value: drId },
      cluster: { field: 'dws_cluster_id', value: clusterId },
    });
    if (malformed.length > 0) return { reason: `${malformed.map((p) => p.message).join('; ')} (${OTHER_ID_FORMATS})` };
    return {
      target: targetOf(projectId, drId, findPair(inventory, projectId, drId) ?? null),
      failedClusterId: clusterId ?? null,
    };
  }
  if (projectId) notes.push('dws_project_id is set but dws_dr_id is missing');
  if (drId) notes.push('dws_dr_id is set but dws_project_id is missing');
  if (clusterId) {
    const found = findPairByCluster(inventory, clusterId);
    if (found)
      return { target: targetOf(found.pair.projectId, found.pair.drId, found.pair), failedClusterId: clusterId };
    const [malformed] = checkIdFormats([{ field: 'dws_cluster_id', kind: 'cluster', value: clusterId }]);
    notes.push(
      malformed
        ? malformed.message
        : inventory
          ? `dws_cluster_id ${quote(clusterId)} is not a cluster of any pair in the inventory (${inventory.source})`
          : `dws_cluster_id ${quote(clusterId)} cannot be looked up: no inventory is configured (DWS_FAILOVER_INVENTORY)`
    );
  }
  const matched = matchPairByLabels(inventory, labels);
  if (matched === 'ambiguous') {
    notes.push('its labels match the alert_labels of several inventory pairs equally well');
  } else if (matched) {
    return {
      target: targetOf(matched.pair.projectId, matched.pair.drId, matched.pair),
      failedClusterId: matched.cluster?.id ?? null,
    };
  }
  if (notes.length === 0) {
    notes.push(
      'it has neither dws_project_id + dws_dr_id, nor a dws_cluster_id, nor the alert_labels of an inventory pair'
    );
  }
  return { reason: notes.join('; ') };
}

function earliest(times: (string | null)[]): string | null {
  const valid = times.filter((t): t is string => t !== null).sort((a, b) => Date.parse(a) - Date.parse(b));
  return valid[0] ?? null;
}

/** Groups a delivery's alerts by pair; alerts that name no pair are returned with the reason. */
export function mapAlerts(
  alerts: readonly NormalizedAlert[],
  inventory: Inventory | null
): { pairs: PairAlerts[]; unmapped: UnmappedAlert[] } {
  const groups = new Map<
    string,
    { target: PairTarget; entries: { alert: NormalizedAlert; failed: string | null }[] }
  >();
  const unmapped: UnmappedAlert[] = [];
  alerts.forEach((alert, index) => {
    const r = resolveLabels(alert.labels, inventory);
    if ('reason' in r) {
      unmapped.push({ index, summary: clip(alert.summary), labels: excerptLabels(alert.labels), reason: r.reason });
      return;
    }
    const key = `${r.target.projectId}\u0000${r.target.drId}`;
    const group = groups.get(key) ?? { target: r.target, entries: [] };
    group.entries.push({ alert, failed: r.failedClusterId });
    groups.set(key, group);
  });
  const pairs = [...groups.values()].map(({ target, entries }): PairAlerts => {
    const firing = entries.filter((e) => e.alert.status === 'firing');
    const chosen = firing.length > 0 ? firing : entries;
    const failed = [...new Set(chosen.map((e) => e.failed).filter((f): f is string => f !== null))];
    return {
      target,
      status: firing.length > 0 ? 'firing' : 'resolved',
      alerts: chosen.map((e) => e.alert),
      // Alerts naming both clusters do not say which one failed: leave it to the pre-checks.
      failedClusterId: failed.length === 1 ? (failed[0] ?? null) : null,
      incidentStartedAt: earliest(chosen.map((e) => e.alert.startsAt)),
    };
  });
  return { pairs, unmapped };
}
