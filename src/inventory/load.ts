/**
 * Reads and validates the inventory YAML. Every problem is reported at once, each with its path in the file and
 * its line (`pairs[2].policy.cooldown: "1 hour" is not a duration… (line 14)`).
 */
import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { regionalEndpoint } from '../dws/endpoint';
import { crossCheck } from './cross-check';
import { formatProblem, problemsFromZod, type Problem } from './issues';
import { inventoryFileSchema, type InventoryFile, type InventoryFileAccount, type InventoryFilePair } from './schema';
import { sitesCheck } from './sites-check';
import type { Inventory, InventoryAccount, InventoryPair, InventoryProject, NotificationTarget } from './types';
import type { PairAccess } from '../shared/identity';

/** The environment the accounts' variables are read from (`loadConfig`'s `env`). */
export type InventoryEnv = Readonly<Record<string, string | undefined>>;

/**
 * Most expansions of aliases (`*name`) the file may cause, counted as the yaml package does. A few anchors shared by
 * many pairs fit; an alias bomb ("billion laughs": aliases of aliases, exponentially many values) is refused before it
 * expands. The package's own default, named here so the refusal can say it.
 */
export const MAX_ALIAS_COUNT = 100;

/** The inventory, or null with the reasons. */
export interface InventoryResult {
  inventory: Inventory | null;
  /** Each problem as `path: message (line N)`. Empty when `inventory` is set. */
  problems: string[];
}

function lineOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): number | null {
  // A missing field has no node: point at the closest enclosing one that exists.
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return null;
}

function toTarget(t: NonNullable<InventoryFilePair['notify']>[number]): NotificationTarget {
  if (t.type === 'feishu' || t.type === 'dingtalk') {
    return { type: t.type, url: t.url, name: t.name ?? null, secret: t.secret ?? null };
  }
  return { type: t.type, url: t.url, name: t.name ?? null };
}

/** The pair's access rules: its own `access` field by field, then `defaults.access`; `group:` names expanded. */
function toAccess(
  raw: InventoryFilePair,
  defaults: InventoryFile['defaults'],
  groups: InventoryFile['groups']
): PairAccess {
  const source: PairAccess['source'] = {};
  const list = (key: 'start' | 'approve' | 'cancel'): string[] | null => {
    const own = raw.access?.[key];
    const names = own ?? defaults?.access?.[key];
    if (names === undefined) return null;
    source[key] = own ? `pair ${raw.name} access.${key}` : `defaults.access.${key}`;
    return names.flatMap((n) => (n.startsWith('group:') ? (groups?.[n.slice('group:'.length)] ?? []) : [n]));
  };
  const fourEyesSet = raw.access?.four_eyes ?? defaults?.access?.four_eyes;
  if (raw.critical) source.fourEyes = source.approvers = `pair ${raw.name} critical`;
  else if (fourEyesSet !== undefined) {
    source.fourEyes =
      raw.access?.four_eyes !== undefined ? `pair ${raw.name} access.four_eyes` : 'defaults.access.four_eyes';
  }
  return {
    start: list('start'),
    approve: list('approve'),
    cancel: list('cancel'),
    fourEyes: raw.critical === true || (fourEyesSet ?? false),
    approvers: raw.critical ? 2 : 1,
    source,
  };
}

function toPair(
  raw: InventoryFilePair,
  defaults: InventoryFile['defaults'],
  groups: InventoryFile['groups'] = {}
): InventoryPair {
  return {
    name: raw.name,
    description: raw.description ?? null,
    projectId: raw.project_id,
    drId: raw.dr_id,
    drType: raw.dr_type ?? 'az',
    failoverEndpoint: raw.failover_endpoint ?? 'standby-region',
    clusters: raw.clusters.map((c) => ({
      id: c.id,
      name: c.name ?? null,
      projectId: c.project_id ?? raw.project_id,
      alertLabels: c.alert_labels ?? {},
    })),
    alertLabels: raw.alert_labels ?? {},
    policy: { ...defaults?.policy?.failover, ...raw.policy?.failover },
    maxDrillAgeSeconds: raw.policy?.maxDrillAgeSeconds ?? defaults?.policy?.maxDrillAgeSeconds ?? null,
    drill: raw.drill ?? false,
    notify: (raw.notify ?? []).map(toTarget),
    access: toAccess(raw, defaults, groups),
  };
}

/**
 * An account with its secrets read from `env`. A variable that is unset or empty leaves the credentials null and is
 * listed in `unset`: only a process that calls DWS needs them, and it refuses to start then (src/config.ts).
 */
function toAccount(name: string, raw: InventoryFileAccount, env: InventoryEnv): InventoryAccount {
  const unset: InventoryAccount['unset'] = [];
  const read = (key: string, variable: string): string => {
    const value = env[variable]?.trim() ?? '';
    if (value === '') unset.push({ key, variable });
    return value;
  };
  if (raw.iam) {
    const password = read('iam.password_env', raw.iam.password_env);
    const credentials = {
      kind: 'iam' as const,
      iamEndpoint: raw.iam.endpoint ?? null,
      domain: raw.iam.domain,
      user: raw.iam.user,
      password,
    };
    return { name, credentials: unset.length === 0 ? credentials : null, unset };
  }
  // The schema guarantees ak_env and sk_env here.
  const ak = read('ak_env', raw.ak_env ?? '');
  const sk = read('sk_env', raw.sk_env ?? '');
  const token = raw.security_token_env !== undefined ? read('security_token_env', raw.security_token_env) : '';
  const credentials = { kind: 'aksk' as const, ak, sk, ...(token ? { securityToken: token } : {}) };
  return { name, credentials: unset.length === 0 ? credentials : null, unset };
}

function toProject(raw: NonNullable<InventoryFile['projects']>[number]): InventoryProject {
  return {
    id: raw.id,
    region: raw.region,
    endpoint: raw.endpoint ?? regionalEndpoint(raw.region),
    account: raw.account ?? null,
  };
}

/**
 * Parses inventory YAML text.
 * @param source the file name, for `Inventory.source`.
 * @param env where the accounts' variables are read (`accounts.*.ak_env`…). @default {} (none are set)
 */
export function parseInventory(text: string, source = '<inline>', env: InventoryEnv = {}): InventoryResult {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => {
      const pos = counter.linePos(e.pos[0]);
      return `YAML syntax at line ${pos.line}, column ${pos.col}: ${e.message.split('\n')[0]}`;
    });
    return { inventory: null, problems };
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // The yaml package throws (a ReferenceError) instead of reporting in doc.errors.
    const aliases = /alias/i.test((err as Error).message);
    const problem = aliases
      ? `its aliases (*name) expand more than ${MAX_ALIAS_COUNT} times, as an alias bomb does; it is refused: write ` +
        'the repeated parts out, or move shared policy to defaults.policy'
      : `the YAML cannot be read: ${(err as Error).message}`;
    return { inventory: null, problems: [problem] };
  }
  if (raw === null || raw === undefined) {
    return { inventory: null, problems: ['the file is empty; it needs at least `pairs: []`'] };
  }
  const parsed = inventoryFileSchema.safeParse(raw);
  const found: Problem[] = [
    ...(parsed.success ? [] : problemsFromZod(parsed.error)),
    ...crossCheck(raw),
    ...sitesCheck(raw),
  ];
  if (found.length > 0 || !parsed.success) {
    const problems = found
      .map((p) => ({ p, line: lineOf(doc, counter, p.path) }))
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
      .map(({ p, line }) => `${formatProblem(p, 'inventory')}${line !== null ? ` (line ${line})` : ''}`);
    return { inventory: null, problems };
  }
  const { defaults, accounts = {}, projects = [], pairs, groups } = parsed.data;
  return {
    inventory: {
      source,
      pairs: pairs.map((p) => toPair(p, defaults, groups)),
      projects: new Map(projects.map((p) => [p.id, toProject(p)])),
      accounts: new Map(Object.entries(accounts).map(([name, a]) => [name, toAccount(name, a, env)])),
    },
    problems: [],
  };
}

/**
 * Reads and parses an inventory file; an unreadable file is a problem, not an exception.
 * @param env where the accounts' variables are read. @default {}
 */
export function loadInventoryFile(path: string, env: InventoryEnv = {}): InventoryResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { inventory: null, problems: [`cannot read the file: ${(err as Error).message}`] };
  }
  return parseInventory(text, path, env);
}
