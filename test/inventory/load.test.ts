import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { loadInventoryFile, parseInventory } from '../../src/inventory';
import {
  DEMO_DR_ID,
  DEMO_PRIMARY_CLUSTER_ID,
  DEMO_PROJECT_ID,
  DEMO_STANDBY_CLUSTER_ID,
} from '../../src/simulator/seed';

const EXAMPLE = path.resolve(__dirname, '../../examples/inventory.yaml');

const BROKEN = `pairs:
  - name: prod
    project_id: p1
    dr_id: d1
    clusters: [{ id: c1 }, { id: c2, alert_labels: {} }]
    policy:
      cooldown: 1 hour
      cooldwon: 5m
      approval: sometimes
    notify: [{ type: teams, url: https://x.example }, { type: slack, url: ftp://x.example }]
  - name: prod
    project_id: "p 1"
    dr_id: d2
    clusters: [{ id: c1 }]
    alert_labels: { "bad-label": x }
`;

describe('inventory file', () => {
  it('loads the example, with the simulator demo pair and its policy mapped onto OperationPolicy fields', () => {
    const { inventory, problems } = loadInventoryFile(EXAMPLE);
    expect(problems).toEqual([]);
    const demo = inventory?.pairs.find((p) => p.drId === DEMO_DR_ID);
    expect(demo).toMatchObject({
      name: 'dws-prod-dr',
      projectId: DEMO_PROJECT_ID,
      drill: false,
      clusters: [
        { id: DEMO_PRIMARY_CLUSTER_ID, name: 'dws-prod' },
        { id: DEMO_STANDBY_CLUSTER_ID, name: 'dws-dr' },
      ],
      policy: {
        dataLossBudgetSeconds: 600,
        cooldownSeconds: 7200,
        approval: 'auto',
        approvalTimeoutSeconds: 1800,
        completionTimeoutSeconds: 3600,
        resolvedAlertCancels: true,
      },
    });
    expect(demo?.maxDrillAgeSeconds).toBe(8 * 86_400);
    expect(demo?.policy).not.toHaveProperty('maxDrillAgeSeconds');
    expect(demo?.notify.map((n) => n.type)).toEqual(['slack', 'webhook']);
    const drill = inventory?.pairs.find((p) => p.name === 'dws-staging-dr');
    expect(drill).toMatchObject({
      drill: true,
      policy: { approval: 'always', dataLossBudgetSeconds: 900, cooldownSeconds: 3600 },
      maxDrillAgeSeconds: 36 * 3600,
    });
    expect(drill?.notify).toContainEqual(
      expect.objectContaining({ type: 'feishu', secret: 'replace-with-the-bot-signing-secret' })
    );
  });

  it('reports every problem at once, each with its path and line', () => {
    const { inventory, problems } = parseInventory(BROKEN);
    expect(inventory).toBeNull();
    expect(problems).toEqual([
      'pairs[0].clusters[1].alert_labels: needs at least one label (an empty matcher would match every alert) (line 5)',
      'pairs[0].policy.cooldown: "1 hour" is not a duration; use e.g. 900, 90s, 15m or 1h (line 7)',
      'pairs[0].policy.cooldwon: is not a known field (check the spelling) (line 8)',
      'pairs[0].policy.approval: must be one of "auto", "always" (line 9)',
      'pairs[0].notify[0].type: must be one of "webhook", "slack", "feishu", "dingtalk", "wecom" (line 10)',
      'pairs[0].notify[1].url: must be an http(s) URL (line 10)',
      "pairs[1].name: 'prod' is also pairs[0] (line 11)",
      "pairs[1].project_id: a project id must be 1–128 letters, digits, '-', '_' or '.', starting with a letter or digit (line 12)",
      'pairs[1].clusters: a DR pair has exactly two clusters (the production cluster and the DR cluster) (line 14)',
      'pairs[1].clusters[0].id: cluster c1 is also pairs[0].clusters[0].id (line 14)',
      'pairs[1].alert_labels["bad-label"]: the key is invalid: a label name is letters, digits and _ (line 15)',
    ]);
  });

  it('refuses a pair listed twice and matchers that cannot tell pairs apart', () => {
    const { problems } = parseInventory(`pairs:
  - { name: a, project_id: p, dr_id: d, clusters: [{ id: c1 }, { id: c2 }], alert_labels: { svc: dw } }
  - { name: b, project_id: p, dr_id: d, clusters: [{ id: c3, alert_labels: { svc: dw } }, { id: c4 }] }
`);
    expect(problems).toEqual([
      'pairs[1].dr_id: DR d of project p is also pairs[0]; list each pair once (line 3)',
      'pairs[1].clusters[0].alert_labels: the same labels as pairs[0].alert_labels, so an alert could not tell them apart (line 3)',
    ]);
  });

  it('names the line of a YAML syntax error, an empty file and an unreadable one', () => {
    expect(parseInventory('pairs:\n  - name: a\n   bad: [').problems[0]).toMatch(
      /^YAML syntax at line \d+, column \d+: /
    );
    expect(parseInventory('').problems).toEqual(['the file is empty; it needs at least `pairs: []`']);
    expect(loadInventoryFile('/nonexistent/inventory.yaml').problems[0]).toMatch(/^cannot read the file: ENOENT/);
  });

  it('applies defaults.policy to every pair, under its own policy', () => {
    const { inventory } = parseInventory(`defaults: { policy: { cooldown: 30m, data_loss_budget: 60 } }
pairs:
  - { name: a, project_id: p, dr_id: d, clusters: [{ id: c1 }, { id: c2 }], policy: { cooldown: 2h } }
`);
    expect(inventory?.pairs[0]?.policy).toEqual({ cooldownSeconds: 7200, dataLossBudgetSeconds: 60 });
  });

  it("reads max_drill_age apart from the failover policy: the pair's own, else defaults.policy, else null", () => {
    const pairs = (more: string) =>
      parseInventory(`${more}pairs:
  - { name: a, project_id: p, dr_id: d1, clusters: [{ id: c1 }, { id: c2 }], policy: { max_drill_age: 192h } }
  - { name: b, project_id: p, dr_id: d2, clusters: [{ id: c3 }, { id: c4 }], policy: { cooldown: 1h } }
`).inventory?.pairs;
    const withDefault = pairs('defaults: { policy: { max_drill_age: 3d, cooldown: 30m } }\n');
    expect(withDefault?.map((p) => p.maxDrillAgeSeconds)).toEqual([8 * 86_400, 3 * 86_400]);
    expect(withDefault?.map((p) => p.policy)).toEqual([{ cooldownSeconds: 1800 }, { cooldownSeconds: 3600 }]);
    expect(pairs('')?.map((p) => p.maxDrillAgeSeconds)).toEqual([8 * 86_400, null]);
  });

  it('refuses a max_drill_age that is not a duration, with its path and line', () => {
    const { inventory, problems } = parseInventory(`defaults:
  policy: { max_drill_age: 0 }
pairs:
  - name: a
    project_id: p
    dr_id: d
    clusters: [{ id: c1 }, { id: c2 }]
    policy:
      max_drill_age: a week
`);
    expect(inventory).toBeNull();
    expect(problems).toEqual([
      'defaults.policy.max_drill_age: 0 is not a duration of at least 1s; use e.g. 900, 90s, 15m or 1h (line 2)',
      'pairs[0].policy.max_drill_age: "a week" is not a duration of at least 1s; use e.g. 900, 90s, 15m or 1h (line 9)',
    ]);
  });
});

describe('inventory in the configuration', () => {
  it('is loaded from DWS_FAILOVER_INVENTORY', () => {
    expect(loadConfig({ DWS_FAILOVER_INVENTORY: EXAMPLE }).inventory?.pairs).toHaveLength(2);
    expect(loadConfig({}).inventory).toBeNull();
  });

  it('adds its problems to the one ConfigError, next to the other variables', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'inv-')), 'inventory.yaml');
    writeFileSync(file, BROKEN);
    let error: ConfigError | undefined;
    try {
      loadConfig({ DWS_FAILOVER_INVENTORY: file, DWS_FAILOVER_LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.problems).toHaveLength(12);
    expect(error?.problems).toContain(
      `DWS_FAILOVER_INVENTORY (${file}): pairs[0].policy.cooldwon: is not a known field (check the spelling) (line 8)`
    );
    expect(error?.problems.some((p) => p.startsWith('DWS_FAILOVER_LOG_LEVEL'))).toBe(true);
  });
});
