/**
 * Finding a pair in the inventory: by its ids, by one of its cluster ids, or by an alert's labels.
 */
import type { Inventory, InventoryCluster, InventoryPair, LabelMatcher } from './types';

/** A pair an alert's labels matched, and the cluster they name as failed (cluster-level matchers only). */
export interface LabelMatch {
  pair: InventoryPair;
  cluster: InventoryCluster | null;
}

/** The pair with these ids, if the inventory lists it. */
export function findPair(inventory: Inventory | null, projectId: string, drId: string): InventoryPair | undefined {
  return inventory?.pairs.find((p) => p.projectId === projectId && p.drId === drId);
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
