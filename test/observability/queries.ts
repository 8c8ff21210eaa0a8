/**
 * The PromQL queries the project ships: the Grafana dashboard's panel targets and the alert rules of
 * docs/operations.md (its ```yaml block), and the metric names they select.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../..');

interface Panel {
  title: string;
  targets?: { expr: string }[];
}
export interface Dashboard {
  title: string;
  panels: Panel[];
}
export interface AlertRule {
  alert: string;
  expr: string;
}

export function dashboard(): Dashboard {
  return JSON.parse(readFileSync(path.join(ROOT, 'deploy/grafana/dws-failover-dashboard.json'), 'utf8')) as Dashboard;
}

/** The rules of the one ```yaml block of docs/operations.md. */
export function alertRules(): AlertRule[] {
  const doc = readFileSync(path.join(ROOT, 'docs/operations.md'), 'utf8');
  const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  if (blocks.length !== 1) throw new Error(`docs/operations.md has ${blocks.length} yaml blocks, expected 1`);
  const parsed = parse(blocks[0]!) as { groups: { rules: AlertRule[] }[] };
  return parsed.groups.flatMap((g) => g.rules);
}

/** Every query of the dashboard and the alert rules, with where it comes from. */
export function shippedQueries(): { where: string; expr: string }[] {
  return [
    ...dashboard().panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `panel "${p.title}"`, expr: t.expr }))),
    ...alertRules().map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })),
  ];
}

/** The metric names a query selects (the project's and the Temporal SDK's prefixes). */
export function metricNames(expr: string): string[] {
  return [...new Set(expr.match(/\b(?:dws_failover|temporal)_[a-z0-9_]+\b/g) ?? [])];
}
