/**
 * Whether a worker can reach every pair of the inventory: each project of a pair has an endpoint (listed under
 * `projects`, else the environment's DWS_REGION/DWS_ENDPOINT) and credentials (its account's, else the
 * environment's). Checked when the configuration loads, where the environment's settings are known.
 */
import type { Problem } from './issues';
import type { Inventory, InventoryPair } from './types';

/** The environment's DWS settings, as far as the inventory's checks need them. */
export interface EnvironmentDws {
  /** DWS_ENDPOINT, or the endpoint of DWS_REGION; null when neither is set or the one set is malformed. */
  endpoint: string | null;
  /** Whether DWS_REGION or DWS_ENDPOINT is set (a malformed one is reported on its own). */
  endpointSet: boolean;
  /** Whether HUAWEICLOUD_SDK_AK/SK or HUAWEICLOUD_IAM_* credentials are set (incomplete ones are reported on their own). */
  credentials: boolean;
}

const VARIABLE_HOLDS: Record<string, string> = {
  ak_env: "the account's access key id (AK)",
  sk_env: "the account's secret access key (SK)",
  security_token_env: 'the security token of its temporary credentials',
  'iam.password_env': "the IAM user's password",
};

const ENV_CREDENTIALS =
  'HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (or HUAWEICLOUD_IAM_USER/PASSWORD/DOMAIN) in the environment';

/** `a, b, c and 4 more`. */
function names(pairs: readonly InventoryPair[]): string {
  const shown = pairs.slice(0, 3).map((p) => `'${p.name}'`);
  return pairs.length > 3 ? `${shown.join(', ')} and ${pairs.length - 3} more` : shown.join(', ');
}

/** Where in the file a pair names a project: its `project_id`, or a cluster's. */
function projectPath(pair: InventoryPair, index: number, projectId: string): PropertyKey[] {
  if (pair.projectId === projectId) return ['pairs', index, 'project_id'];
  const j = pair.clusters.findIndex((c) => c.projectId === projectId);
  return ['pairs', index, 'clusters', j, 'project_id'];
}

/**
 * What keeps a worker from reaching the inventory's pairs, each problem naming the pair or project and the fix:
 * always, a cross-region pair whose unlisted side would use the environment's endpoint when that is also the other
 * side's; with `requireDws` (a process that calls DWS), a project of a pair with no endpoint or no credentials, and
 * an account (of a listed project) whose variables are unset or empty.
 */
export function reachProblems(inventory: Inventory, env: EnvironmentDws, requireDws: boolean): Problem[] {
  const problems: Problem[] = [];
  /** Per project without an endpoint or credentials: where it first appears and the pairs that use it. */
  const noEndpoint = new Map<string, { path: PropertyKey[]; pairs: InventoryPair[] }>();
  const noCredentials = new Map<string, { path: PropertyKey[]; pairs: InventoryPair[] }>();
  const note = (map: typeof noEndpoint, projectId: string, path: PropertyKey[], pair: InventoryPair): void => {
    const entry = map.get(projectId) ?? { path, pairs: [] };
    entry.pairs.push(pair);
    map.set(projectId, entry);
  };

  inventory.pairs.forEach((pair, i) => {
    const projects = [...new Set([pair.projectId, ...pair.clusters.map((c) => c.projectId)])];
    for (const projectId of projects) {
      const listed = inventory.projects.get(projectId);
      const path = projectPath(pair, i, projectId);
      if (!listed) {
        if (!env.endpointSet) {
          if (requireDws) note(noEndpoint, projectId, path, pair);
        } else if (env.endpoint !== null && pair.drType === 'region') {
          const other = projects.map((p) => inventory.projects.get(p)).find((p) => p !== undefined);
          if (other && other.endpoint === env.endpoint) {
            problems.push({
              path,
              message: `project ${projectId} is not listed under projects, so it would use the environment's endpoint ${env.endpoint}, which is also the endpoint of the pair's other side (project ${other.id}); list ${projectId} under projects with its own region`,
            });
          }
        }
      }
      if ((listed?.account ?? null) === null && !env.credentials && requireDws) {
        note(noCredentials, projectId, path, pair);
      }
    }
  });

  for (const [projectId, { path, pairs }] of noEndpoint) {
    problems.push({
      path,
      message: `project ${projectId} (pair ${names(pairs)}) has no DWS endpoint: it is not listed under projects, and neither DWS_REGION nor DWS_ENDPOINT is set; list it under projects with its region, or set DWS_REGION (e.g. cn-north-4) or DWS_ENDPOINT`,
    });
  }
  for (const [projectId, { path, pairs }] of noCredentials) {
    const listed = inventory.projects.has(projectId);
    problems.push({
      path,
      message: `project ${projectId} (pair ${names(pairs)}) has no credentials: ${listed ? 'its projects entry names no account' : 'it is not listed under projects'}, so it uses the environment's, and none are set; ${listed ? 'give it account:' : 'list it under projects with an account'}, or set ${ENV_CREDENTIALS}`,
    });
  }

  if (requireDws) {
    const used = new Set([...inventory.projects.values()].map((p) => p.account));
    for (const account of inventory.accounts.values()) {
      if (!used.has(account.name)) continue;
      for (const { key, variable } of account.unset) {
        problems.push({
          path: ['accounts', account.name, ...key.split('.')],
          message: `the variable ${variable} is not set or empty; set it to ${VARIABLE_HOLDS[key] ?? 'the value'} before starting, or name the variable that holds it`,
        });
      }
    }
  }
  return problems;
}
