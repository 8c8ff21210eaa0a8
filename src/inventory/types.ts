/**
 * The inventory: the DR pairs this service may fail over, how alerts name them, their policy, drill flag and
 * notification targets. Loaded once at start from `DWS_FAILOVER_INVENTORY` (YAML) by `src/config.ts`.
 */
import type { FailoverPolicy } from '../shared/policy';

/** Exact label values an alert must carry (all of them) to match. */
export type LabelMatcher = Readonly<Record<string, string>>;

/** One cluster of a DR pair. Which one is the primary changes with every failover, so the inventory does not say. */
export interface InventoryCluster {
  id: string;
  name: string | null;
  /** Alerts with all these labels name this cluster as the failed one (it becomes `failedClusterId`). */
  alertLabels: LabelMatcher;
}

/** Where a pair's notifications go (sent by the notification activities of a later issue). */
export type NotificationTarget =
  | { type: 'webhook'; url: string; name: string | null }
  | { type: 'slack'; url: string; name: string | null }
  | { type: 'feishu'; url: string; name: string | null; secret: string | null }
  | { type: 'dingtalk'; url: string; name: string | null; secret: string | null }
  | { type: 'wecom'; url: string; name: string | null };

export type NotificationType = NotificationTarget['type'];

/** One DR pair. */
export interface InventoryPair {
  /** Unique, human name used in answers, logs and reports. */
  name: string;
  description: string | null;
  projectId: string;
  drId: string;
  /** The pair's two clusters. */
  clusters: InventoryCluster[];
  /** Alerts with all these labels map to the pair without naming a failed cluster. */
  alertLabels: LabelMatcher;
  /** Overrides on top of the configured policy (inventory `defaults.policy`, then the pair's own). */
  policy: Partial<FailoverPolicy>;
  /**
   * How old the pair's last passed drill may be before readiness calls it overdue (inventory `max_drill_age`, the
   * pair's own, then `defaults.policy`); null: the readiness run's limit applies. Not part of the failover policy.
   */
  maxDrillAgeSeconds: number | null;
  /** A drill pair: `drillWorkflow` may run a real failover on it. @default false */
  drill: boolean;
  notify: NotificationTarget[];
}

/** The validated inventory. */
export interface Inventory {
  /** The file it was read from (for messages), or a label such as `<inline>`. */
  source: string;
  pairs: InventoryPair[];
}
