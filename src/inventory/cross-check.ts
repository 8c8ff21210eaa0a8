/**
 * Checks across pairs that a schema cannot express: unique names, DR ids and cluster ids, and alert label
 * matchers that tell pairs apart. Works on the raw document so its problems come together with the schema's.
 */
import type { Problem } from './issues';
import { formatPath } from './issues';

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** A canonical key of a label matcher (sorted `name=value` pairs), or null when it is not a usable map. */
export function matcherKey(labels: unknown): string | null {
  if (!isObject(labels) || Object.keys(labels).length === 0) return null;
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',');
}

/**
 * Problems of duplicated names, pairs (by the pair's project or either cluster's), cluster ids and indistinguishable
 * alert label matchers.
 */
export function crossCheck(doc: unknown): Problem[] {
  const problems: Problem[] = [];
  const names = new Map<string, number>();
  const pairs = new Map<string, number>();
  const clusters = new Map<string, readonly PropertyKey[]>();
  const matchers = new Map<string, readonly PropertyKey[]>();
  const pairList = isObject(doc) ? list(doc.pairs) : [];

  const checkMatcher = (labels: unknown, path: readonly PropertyKey[]): void => {
    const key = matcherKey(labels);
    if (key === null) return;
    const seen = matchers.get(key);
    if (seen) {
      problems.push({
        path,
        message: `the same labels as ${formatPath(seen)}, so an alert could not tell them apart`,
      });
    } else matchers.set(key, path);
  };

  pairList.forEach((pair, i) => {
    if (!isObject(pair)) return;
    const name = str(pair.name);
    if (name !== null) {
      const first = names.get(name);
      if (first !== undefined)
        problems.push({ path: ['pairs', i, 'name'], message: `'${name}' is also pairs[${first}]` });
      else names.set(name, i);
    }
    const projectId = str(pair.project_id);
    const drId = str(pair.dr_id);
    if (projectId !== null && drId !== null) {
      const key = `${projectId}:${drId}`;
      const first = pairs.get(key);
      if (first !== undefined) {
        problems.push({
          path: ['pairs', i, 'dr_id'],
          message: `DR ${drId} of project ${projectId} is also pairs[${first}]; list each pair once`,
        });
      } else pairs.set(key, i);
      // A pair is also found by the project of each of its clusters (the other region's name of a cross-region pair).
      list(pair.clusters).forEach((cluster, j) => {
        const other = isObject(cluster) ? str(cluster.project_id) : null;
        if (other === null || other === projectId) return;
        const otherKey = `${other}:${drId}`;
        const seen = pairs.get(otherKey);
        if (seen !== undefined && seen !== i) {
          problems.push({
            path: ['pairs', i, 'clusters', j, 'project_id'],
            message: `DR ${drId} of project ${other} is also pairs[${seen}]; a pair is found by the project of either cluster, so list each pair once`,
          });
        } else pairs.set(otherKey, i);
      });
    }
    list(pair.clusters).forEach((cluster, j) => {
      if (!isObject(cluster)) return;
      const id = str(cluster.id);
      const path = ['pairs', i, 'clusters', j, 'id'];
      if (id !== null) {
        const seen = clusters.get(id);
        if (seen) problems.push({ path, message: `cluster ${id} is also ${formatPath(seen)}` });
        else clusters.set(id, path);
      }
      checkMatcher(cluster.alert_labels, ['pairs', i, 'clusters', j, 'alert_labels']);
    });
    checkMatcher(pair.alert_labels, ['pairs', i, 'alert_labels']);
    checkGroups(pair.access, ['pairs', i, 'access']);
  });
  if (isObject(doc) && isObject(doc.defaults)) checkGroups(doc.defaults.access, ['defaults', 'access']);
  return problems;

  /** Every `group:<name>` of an access list names a group of `groups`. */
  function checkGroups(access: unknown, path: readonly PropertyKey[]): void {
    if (!isObject(access)) return;
    const groups = isObject(doc) && isObject(doc.groups) ? doc.groups : {};
    for (const key of ['start', 'approve', 'cancel']) {
      list(access[key]).forEach((entry, k) => {
        const name = str(entry);
        if (name?.startsWith('group:') && !(name.slice('group:'.length) in groups)) {
          const known = Object.keys(groups);
          problems.push({
            path: [...path, key, k],
            message: `${name} is not a group of \`groups\`${known.length > 0 ? ` (${known.join(', ')})` : ''}; add it there or name the people`,
          });
        }
      });
    }
  }
}
