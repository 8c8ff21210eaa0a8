/**
 * Finding a pair in the inventory: by its ids (its own project or either cluster's), by one of its cluster ids, or by
 * an alert's labels.
 */
import type { Inventory, InventoryCluster, InventoryPair, LabelMatcher } from './types';

/** A pair an alert's labels matched, and the cluster they name as failed (cluster-level matchers only). */
export interface LabelMatch {
  pair: InventoryPair;
  cluster: InventoryCluster | null;
}

/**
 * The pair with this DR id whose project is `projectId`, or one of whose clusters lives in it: a cross-region pair
 * is found by either side's project (an alert from the standby region names the standby project).
 */
export function findPair(inventory: Inventory | null, projectId: string, drId: string): InventoryPair | undefined {
  const pairs = inventory?.pairs ?? [];
  return (
    pairs.find((p) => p.projectId === projectId && p.drId === drId) ??
    pairs.find((p) => p.drId === drId && p.clusters.some((c) => c.projectId === projectId))
  );
}

/** A pair named by a project and a DR id, under the ids its runs go by. */
export interface ResolvedPair {
  /** The inventory pair's `project_id` when it lists the pair (named by either side), else the project as given. */
  projectId: string;
  drId: string;
  pair: InventoryPair | null;
}

/**
 * The ids every front end turns a named pair into (workflow ids, run input, trigger ids): the inventory pair's
 * `project_id`, whichever of its projects named it, so both sides of a cross-region pair reach one workflow
 * `dws-failover:{project_id}:{dr_id}`. A pair the inventory does not list keeps the ids as given.
 */
export function resolvePair(inventory: Inventory | null, projectId: string, drId: string): ResolvedPair {
  const pair = findPair(inventory, projectId, drId) ?? null;
  return { projectId: pair?.projectId ?? projectId, drId, pair };
}

/** The pair one of whose clusters has this id. */
export function findPairByCluster(
  inventory: Inventory | null,
  clusterId: string
): { pair: InventoryPair; cluster: InventoryCluster } | undefined {
  for (const pair of inventory?.pairs ?? []) {
    const cluster = pair.clusters.find((c) => c.id === clusterId);
    if (cluster) return { pair, cluster };
  }
  return undefined;
}

/** The pair with this name. */
export function findPairByName(inventory: Inventory | null, name: string): InventoryPair | undefined {
  return inventory?.pairs.find((p) => p.name === name);
}

function matches(matcher: LabelMatcher, labels: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(matcher);
  return keys.length > 0 && keys.every((k) => labels[k] === matcher[k]);
}

/**
 * The pair whose `alert_labels` (of the pair or of one of its clusters) all appear on the alert. The most specific
 * matcher (most labels) wins; a tie between different pairs is `ambiguous`, a tie inside one pair names no cluster.
 */
export function matchPairByLabels(
  inventory: Inventory | null,
  labels: Readonly<Record<string, string>>
): LabelMatch | 'ambiguous' | undefined {
  let best: LabelMatch[] = [];
  let bestSize = 0;
  for (const pair of inventory?.pairs ?? []) {
    const candidates: [LabelMatcher, InventoryCluster | null][] = [
      [pair.alertLabels, null],
      ...pair.clusters.map((c): [LabelMatcher, InventoryCluster] => [c.alertLabels, c]),
    ];
    for (const [matcher, cluster] of candidates) {
      if (!matches(matcher, labels)) continue;
      const size = Object.keys(matcher).length;
      if (size > bestSize) [best, bestSize] = [[{ pair, cluster }], size];
      else if (size === bestSize) best.push({ pair, cluster });
    }
  }
  const first = best[0];
  if (!first) return undefined;
  if (best.some((m) => m.pair !== first.pair)) return 'ambiguous';
  return best.every((m) => m.cluster === first.cluster) ? first : { pair: first.pair, cluster: null };
}
