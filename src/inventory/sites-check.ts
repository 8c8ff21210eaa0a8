/**
 * Checks of where pairs live that a schema cannot express: each project listed once, accounts that exist, and the
 * projects of a pair's clusters fitting its `dr_type` (one project for `az`, two projects with two different
 * endpoints for `region`). Works on the raw document, like `crossCheck`, so its problems come with the schema's.
 */
import { regionalEndpoint } from '../dws/endpoint';
import type { Problem } from './issues';

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** A listed project's endpoint as the loader will resolve it; null when its region or endpoint is malformed. */
export function rawProjectEndpoint(project: Raw): string | null {
  const endpoint = str(project.endpoint);
  if (endpoint !== null) return endpoint.replace(/\/+$/, '');
  const region = str(project.region);
  if (region === null) return null;
  try {
    return regionalEndpoint(region);
  } catch {
    return null;
  }
}

/** Problems of `projects`, `accounts` and the projects of each pair's clusters. */
export function sitesCheck(doc: unknown): Problem[] {
  if (!isObject(doc)) return [];
  const problems: Problem[] = [];
  const accounts = isObject(doc.accounts) ? Object.keys(doc.accounts) : [];
  const projects = new Map<string, { index: number; endpoint: string | null }>();

  list(doc.projects).forEach((project, i) => {
    if (!isObject(project)) return;
    const id = str(project.id);
    if (id !== null) {
      const first = projects.get(id);
      if (first !== undefined) {
        problems.push({
          path: ['projects', i, 'id'],
          message: `project ${id} is also projects[${first.index}]; list each project once`,
        });
      } else projects.set(id, { index: i, endpoint: rawProjectEndpoint(project) });
    }
    const account = str(project.account);
    if (account !== null && !Object.hasOwn(isObject(doc.accounts) ? doc.accounts : {}, account)) {
      problems.push({
        path: ['projects', i, 'account'],
        message:
          accounts.length > 0
            ? `there is no account '${account}' under accounts (it has ${accounts.join(', ')}); fix the name or add the account`
            : `there is no account '${account}': add it under accounts (with ak_env/sk_env or iam), or remove account to use the environment's credentials`,
      });
    }
  });

  list(doc.pairs).forEach((pair, i) => {
    if (!isObject(pair)) return;
    const projectId = str(pair.project_id);
    if (projectId === null) return;
    const drType = pair.dr_type === 'region' ? 'region' : 'az';
    const clusters = list(pair.clusters).map((c) => (isObject(c) ? c : {}));
    const clusterProject = (c: Raw): string => str(c.project_id) ?? projectId;

    if (drType === 'az') {
      clusters.forEach((c, j) => {
        if (clusterProject(c) === projectId) return;
        problems.push({
          path: ['pairs', i, 'clusters', j, 'project_id'],
          message: `a cross-AZ pair (dr_type: az, the default) has both clusters in the pair's project ${projectId}; remove project_id, or set dr_type: region on the pair if its clusters are in two regions`,
        });
      });
      if (pair.failover_endpoint !== undefined) {
        problems.push({
          path: ['pairs', i, 'failover_endpoint'],
          message:
            'applies only to a cross-region pair (dr_type: region): a cross-AZ pair has one endpoint; remove failover_endpoint',
        });
      }
      return;
    }

    if (clusters.length !== 2) return; // the schema reports the count
    const [a, b] = clusters.map(clusterProject) as [string, string];
    if (a === b) {
      problems.push({
        path: ['pairs', i, 'clusters'],
        message: `a cross-region pair (dr_type: region) has its clusters in two projects of two regions, but both are in project ${a}; set project_id on the cluster in the other region, or use dr_type: az`,
      });
      return;
    }
    if (a !== projectId && b !== projectId) {
      problems.push({
        path: ['pairs', i, 'project_id'],
        message: `must be the project of one of the pair's clusters (${a} or ${b}): a cross-region pair is named by one of its two sides`,
      });
    }
    const listedA = projects.get(a);
    const listedB = projects.get(b);
    if (!listedA && !listedB) {
      problems.push({
        path: ['pairs', i, 'clusters'],
        message: `neither project ${a} nor ${b} is listed under projects, but only one side of a cross-region pair can use the environment's endpoint (DWS_REGION/DWS_ENDPOINT); list the other region's project under projects with its region`,
      });
    } else if (listedA?.endpoint && listedA.endpoint === listedB?.endpoint) {
      problems.push({
        path: ['pairs', i, 'clusters'],
        message: `projects ${a} and ${b} both use the endpoint ${listedA.endpoint}, but the two sides of a cross-region pair are served by their own regions' endpoints; fix the region or endpoint of one of them under projects`,
      });
    }
  });
  return problems;
}
