/**
 * Reads and validates the inventory YAML. Every problem is reported at once, each with its path in the file and
 * its line (`pairs[2].policy.cooldown: "1 hour" is not a duration… (line 14)`).
 */
import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { crossCheck } from './cross-check';
import { formatProblem, problemsFromZod, type Problem } from './issues';
import { inventoryFileSchema, type InventoryFile, type InventoryFilePair } from './schema';
import type { Inventory, InventoryPair, NotificationTarget } from './types';

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

function toPair(raw: InventoryFilePair, defaults: InventoryFile['defaults']): InventoryPair {
  return {
    name: raw.name,
    description: raw.description ?? null,
    projectId: raw.project_id,
    drId: raw.dr_id,
    clusters: raw.clusters.map((c) => ({ id: c.id, name: c.name ?? null, alertLabels: c.alert_labels ?? {} })),
    alertLabels: raw.alert_labels ?? {},
    policy: { ...defaults?.policy?.failover, ...raw.policy?.failover },
    maxDrillAgeSeconds: raw.policy?.maxDrillAgeSeconds ?? defaults?.policy?.maxDrillAgeSeconds ?? null,
    drill: raw.drill ?? false,
    notify: (raw.notify ?? []).map(toTarget),
  };
}

/**
 * Parses inventory YAML text.
 * @param source the file name, for `Inventory.source`.
 */
export function parseInventory(text: string, source = '<inline>'): InventoryResult {
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
  const found: Problem[] = [...(parsed.success ? [] : problemsFromZod(parsed.error)), ...crossCheck(raw)];
  if (found.length > 0 || !parsed.success) {
    const problems = found
      .map((p) => ({ p, line: lineOf(doc, counter, p.path) }))
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
      .map(({ p, line }) => `${formatProblem(p, 'inventory')}${line !== null ? ` (line ${line})` : ''}`);
    return { inventory: null, problems };
  }
  const defaults = parsed.data.defaults;
  return { inventory: { source, pairs: parsed.data.pairs.map((p) => toPair(p, defaults)) }, problems: [] };
}

/** Reads and parses an inventory file; an unreadable file is a problem, not an exception. */
export function loadInventoryFile(path: string): InventoryResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { inventory: null, problems: [`cannot read the file: ${(err as Error).message}`] };
  }
  return parseInventory(text, path);
}
