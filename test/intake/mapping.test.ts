import { describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../../src/intake/alert';
import { mapAlerts, resolveLabels } from '../../src/intake/mapping';
import { parseInventory, type Inventory } from '../../src/inventory';

const inventory = parseInventory(`
pairs:
  - name: prod
    project_id: p1
    dr_id: dr-prod
    clusters:
      - { id: c-prod, alert_labels: { cluster: dws-prod } }
      - { id: c-prod-dr, alert_labels: { cluster: dws-prod-dr } }
    alert_labels: { service: warehouse }
    policy: { resolved_alert_cancels: true }
  - name: staging
    project_id: p1
    dr_id: dr-staging
    clusters: [{ id: c-stg }, { id: c-stg-dr }]
    alert_labels: { service: warehouse, env: staging }
`).inventory as Inventory;

const PROJECT = '0b5e1c2d7a9f4e3c8d6b2a1f0e9d8c7b';
const DR = 'c8f3d3a2-5b1e-4f6a-9d2c-7e4b1a0f3d95';
const CLUSTER = 'a1d4e6f2-7b3c-4d8e-9f01-2a3b4c5d6e7f';

const alert = (
  labels: Record<string, string>,
  status: 'firing' | 'resolved' = 'firing',
  startsAt = '2025-11-27T03:00:00.000Z'
): NormalizedAlert => ({
  status,
  labels,
  fingerprint: Object.values(labels).join('-'),
  startsAt,
  summary: 'x',
});

describe('mapping alerts to DR pairs', () => {
  it('takes dws_project_id + dws_dr_id as they are, with the inventory entry when it lists the pair', () => {
    expect(resolveLabels({ dws_project_id: 'p1', dws_dr_id: 'dr-prod' }, inventory)).toMatchObject({
      target: { projectId: 'p1', drId: 'dr-prod', name: 'prod' },
      failedClusterId: null,
    });
    expect(resolveLabels({ dws_project_id: PROJECT, dws_dr_id: DR, dws_cluster_id: CLUSTER }, null)).toEqual({
      target: { projectId: PROJECT, drId: DR, pair: null, name: `${PROJECT}/${DR}` },
      failedClusterId: CLUSTER,
    });
  });

  it('looks dws_cluster_id up in the inventory and makes it the failed cluster', () => {
    expect(resolveLabels({ dws_cluster_id: 'c-prod-dr' }, inventory)).toMatchObject({
      target: { drId: 'dr-prod' },
      failedClusterId: 'c-prod-dr',
    });
  });

  it("matches an inventory pair's or cluster's alert_labels, the most specific one winning", () => {
    expect(resolveLabels({ service: 'warehouse', env: 'staging' }, inventory)).toMatchObject({
      target: { name: 'staging' },
      failedClusterId: null,
    });
    expect(resolveLabels({ service: 'warehouse' }, inventory)).toMatchObject({ target: { name: 'prod' } });
    expect(resolveLabels({ cluster: 'dws-prod', x: 'y' }, inventory)).toMatchObject({ failedClusterId: 'c-prod' });
  });

  it('says why an alert maps to no pair', () => {
    expect(resolveLabels({ alertname: 'X' }, inventory)).toEqual({
      reason:
        'it has neither dws_project_id + dws_dr_id, nor a dws_cluster_id, nor the alert_labels of an inventory pair',
    });
    expect(resolveLabels({ dws_project_id: 'p1' }, inventory)).toEqual({
      reason: 'dws_project_id is set but dws_dr_id is missing',
    });
    expect(resolveLabels({ dws_cluster_id: CLUSTER }, null)).toEqual({
      reason: `dws_cluster_id "${CLUSTER}" cannot be looked up: no inventory is configured (DWS_FAILOVER_INVENTORY)`,
    });
    expect(resolveLabels({ dws_cluster_id: 'nope' }, inventory)).toEqual({
      reason: 'dws_cluster_id: "nope" is not a cluster id (a UUID: 8-4-4-4-12 hex characters)',
    });
    expect(resolveLabels({ dws_project_id: 'p 1', dws_dr_id: DR }, null)).toEqual({
      reason:
        'dws_project_id: "p 1" is not a Huawei Cloud project id (32 hex characters) ' +
        '(ids of another format are accepted for pairs the inventory lists)',
    });
  });

  it('groups a notification about several pairs into one entry per pair', () => {
    const { pairs, unmapped } = mapAlerts(
      [
        alert({ dws_cluster_id: 'c-prod' }),
        alert({ dws_project_id: 'p1', dws_dr_id: 'dr-prod' }, 'firing', '2025-11-27T02:59:00.000Z'),
        alert({ dws_cluster_id: 'c-stg' }),
        alert({ alertname: 'unrelated' }),
      ],
      inventory
    );
    expect(pairs.map((p) => [p.target.name, p.alerts.length, p.failedClusterId, p.incidentStartedAt])).toEqual([
      ['prod', 2, 'c-prod', '2025-11-27T02:59:00.000Z'],
      ['staging', 1, 'c-stg', '2025-11-27T03:00:00.000Z'],
    ]);
    expect(unmapped.map((u) => u.index)).toEqual([3]);
  });

  it('keeps a pair firing while any of its alerts fires, and names no failed cluster when both are named', () => {
    const { pairs } = mapAlerts(
      [
        alert({ dws_cluster_id: 'c-prod' }, 'resolved'),
        alert({ dws_cluster_id: 'c-prod-dr' }),
        alert({ cluster: 'dws-prod' }),
      ],
      inventory
    );
    expect(pairs).toHaveLength(1);
    expect(pairs[0]).toMatchObject({ status: 'firing', failedClusterId: null });
    expect(pairs[0]?.alerts.every((a) => a.status === 'firing')).toBe(true);
  });

  it('marks a pair resolved when all its alerts are resolved', () => {
    const { pairs } = mapAlerts([alert({ dws_cluster_id: 'c-prod' }, 'resolved')], inventory);
    expect(pairs[0]).toMatchObject({ status: 'resolved', failedClusterId: 'c-prod' });
  });
});
