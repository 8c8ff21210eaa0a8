/**
 * From alerts to DR pairs (DESIGN §5): labels `dws_project_id` + `dws_dr_id`; or `dws_cluster_id` looked up in the
 * inventory (it also becomes the failed cluster); or the `alert_labels` of an inventory pair or cluster. Alerts of
 * one pair are grouped, so a notification about several pairs becomes one workflow per pair.
 */
import {
  findPair,
  findPairByCluster,
  matchPairByLabels,
  SAFE_ID,
  type Inventory,
  type InventoryPair,
} from '../inventory';
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

/** An alert that maps to no pair, and why. */
export interface UnmappedAlert {
  index: number;
  summary: string;
  labels: Readonly<Record<string, string>>;
  reason: string;
}

type Resolution = { target: PairTarget; failedClusterId: string | null } | { reason: string };

function targetOf(projectId: string, drId: string, pair: InventoryPair | null): PairTarget {
  return { projectId, drId, pair, name: pair?.name ?? `${projectId}/${drId}` };
}

/** Which pair one alert's labels name. */
export function resolveLabels(labels: Readonly<Record<string, string>>, inventory: Inventory | null): Resolution {
  const { dws_project_id: projectId, dws_dr_id: drId, dws_cluster_id: clusterId } = labels;
  const notes: string[] = [];
  if (projectId && drId) {
    const bad = [
      ['dws_project_id', projectId],
      ['dws_dr_id', drId],
      ['dws_cluster_id', clusterId],
    ].filter(([, v]) => v !== undefined && !SAFE_ID.test(v));
    if (bad.length > 0) {
      return {
        reason: `${bad.map(([k, v]) => `${k}="${v}"`).join(', ')} is not a valid id (letters, digits, -, _, .)`,
      };
    }
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
    notes.push(
      inventory
        ? `dws_cluster_id "${clusterId}" is not a cluster of any pair in the inventory (${inventory.source})`
        : `dws_cluster_id "${clusterId}" cannot be looked up: no inventory is configured (DWS_FAILOVER_INVENTORY)`
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
      unmapped.push({ index, summary: alert.summary, labels: alert.labels, reason: r.reason });
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
