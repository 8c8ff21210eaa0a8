/**
 * The inventory: the DR pairs this service may fail over, how alerts name them, their policy, drill flag and
 * notification targets. Loaded once at start from `DWS_FAILOVER_INVENTORY` (YAML) by `src/config.ts`.
 */
import type { PairAccess } from '../shared/identity';
import type { OperationPolicy } from '../shared/policy';
import type { FailoverEndpoint } from '../shared/topology';

/** DWS credentials: AK/SK (with the token of temporary credentials) or an IAM user whose tokens are project-scoped. */
export type DwsCredentials =
  | { kind: 'aksk'; ak: string; sk: string; securityToken?: string }
  | { kind: 'iam'; iamEndpoint: string; domain: string; user: string; password: string };

/**
 * An inventory account's credentials. An IAM account without `endpoint` (`iamEndpoint: null`) asks the IAM endpoint
 * of each project's region for that project's token.
 */
export type AccountCredentials =
  | Extract<DwsCredentials, { kind: 'aksk' }>
  | (Omit<Extract<DwsCredentials, { kind: 'iam' }>, 'iamEndpoint'> & { iamEndpoint: string | null });

/** A set of credentials under a name (`accounts.<name>`); the file names the variables, never the secrets. */
export interface InventoryAccount {
  name: string;
  /** Read from the variables it names when the configuration loaded; null while one of them is unset or empty. */
  credentials: AccountCredentials | null;
  /** The variables it names that were unset or empty (`key` is e.g. `sk_env` or `iam.password_env`). */
  unset: { key: string; variable: string }[];
}

/** An IAM project (`projects[]`): it lives in one region, whose endpoint serves its calls. */
export interface InventoryProject {
  id: string;
  region: string;
  /** The DWS base URL: the project's `endpoint`, else its region's (`https://dws.{region}.myhuaweicloud.com`…). */
  endpoint: string;
  /** The account whose credentials sign its calls; null: the environment's (`HUAWEICLOUD_SDK_*`, `HUAWEICLOUD_IAM_*`). */
  account: string | null;
}

/** Exact label values an alert must carry (all of them) to match. */
export type LabelMatcher = Readonly<Record<string, string>>;

/** One cluster of a DR pair. Which one is the primary changes with every failover, so the inventory does not say. */
export interface InventoryCluster {
  id: string;
  name: string | null;
  /** The project it lives in (and is read through): its own `project_id`, else the pair's. */
  projectId: string;
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
  /** The project the pair is named by: alerts, the CLI and its workflow ids (`dws-failover:{projectId}:{drId}`). */
  projectId: string;
  drId: string;
  /** `az`: both clusters in the pair's project (one region); `region`: in two projects of two regions. @default 'az' */
  drType: 'az' | 'region';
  /** A cross-region pair: where the failover request goes while the primary region does not answer. */
  failoverEndpoint: FailoverEndpoint;
  /** The pair's two clusters. */
  clusters: InventoryCluster[];
  /** Alerts with all these labels map to the pair without naming a failed cluster. */
  alertLabels: LabelMatcher;
  /** Overrides on top of the configured policy (inventory `defaults.policy`, then the pair's own). */
  policy: Partial<OperationPolicy>;
  /**
   * How old the pair's last passed drill may be before readiness calls it overdue (inventory `max_drill_age`, the
   * pair's own, then `defaults.policy`); null: the readiness run's limit applies. Not part of the failover policy.
   */
  maxDrillAgeSeconds: number | null;
  /** A drill pair: `drillWorkflow` may run a real failover on it. @default false */
  drill: boolean;
  notify: NotificationTarget[];
  /** Who may decide on this pair: the pair's `access`, then `defaults.access`, groups expanded. */
  access: PairAccess;
}

/** The validated inventory. */
export interface Inventory {
  /** The file it was read from (for messages), or a label such as `<inline>`. */
  source: string;
  pairs: InventoryPair[];
  /** The projects it lists, by id; a project not listed uses the environment's endpoint and credentials. */
  projects: ReadonlyMap<string, InventoryProject>;
  /** The accounts it names, by name. */
  accounts: ReadonlyMap<string, InventoryAccount>;
}
