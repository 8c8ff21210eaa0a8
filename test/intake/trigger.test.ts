import { describe, expect, it } from 'vitest';
import { parseAlertmanager } from '../../src/intake/alertmanager';
import { mapAlerts } from '../../src/intake/mapping';
import { alertTrigger, apiTrigger } from '../../src/intake/trigger';
import { alertmanagerPayload } from './payloads';

const labels = {
  dws_project_id: '0b5e1c2d7a9f4e3c8d6b2a1f0e9d8c7b',
  dws_dr_id: 'c8f3d3a2-5b1e-4f6a-9d2c-7e4b1a0f3d95',
  dws_cluster_id: 'a1d4e6f2-7b3c-4d8e-9f01-2a3b4c5d6e7f',
};

function triggerOf(body: unknown, at = new Date('2025-11-27T03:00:00Z')) {
  const delivery = parseAlertmanager(body);
  const group = mapAlerts(delivery.alerts, null).pairs[0]!;
  return alertTrigger(delivery, group, at);
}

describe('triggers from deliveries', () => {
  it('gives every redelivery of one notification the same id, whenever it arrives', () => {
    const a = triggerOf(alertmanagerPayload({ labels }), new Date('2025-11-27T03:00:00Z'));
    const b = triggerOf(alertmanagerPayload({ labels }), new Date('2025-11-27T03:04:00Z'));
    expect(a.id).toBe(b.id);
    expect(a.id).toMatch(/^alertmanager:[0-9a-f]{32}$/);
    expect(b.receivedAt).toBe('2025-11-27T03:04:00.000Z');
  });

  it('gives a different id to another group, another alert, a new startsAt and the resolve', () => {
    const base = triggerOf(alertmanagerPayload({ labels })).id;
    expect(triggerOf(alertmanagerPayload({ labels, groupKey: 'other' })).id).not.toBe(base);
    expect(triggerOf(alertmanagerPayload({ labels, fingerprint: 'ffff' })).id).not.toBe(base);
    expect(triggerOf(alertmanagerPayload({ labels, startsAt: '2025-11-27T04:00:00Z' })).id).not.toBe(base);
    expect(triggerOf(alertmanagerPayload({ labels, status: 'resolved' })).id).not.toBe(base);
  });

  it("records the sender's ids, the status and the incident start", () => {
    const t = triggerOf(alertmanagerPayload({ labels }));
    expect(t).toMatchObject({
      source: 'alertmanager',
      status: 'firing',
      actor: 'dws-failover (http://alertmanager-0:9093)',
      incidentStartedAt: '2025-11-27T02:58:13.123Z',
    });
    expect(t.ref).toContain('groupKey {}/{severity="critical"}:{alertname="DwsClusterUnavailable"}');
    expect(t.ref).toContain('fingerprints 7c9a2b1e4d3f5a60');
  });

  it('makes API retries with one Idempotency-Key one trigger, and calls without it distinct ones', () => {
    const at = new Date();
    const pair = { projectId: 'p1', drId: 'dr1' };
    expect(apiTrigger('ci', 'key-1', at, pair).id).toBe(apiTrigger('ci', 'key-1', at, pair).id);
    expect(apiTrigger('ci', 'key-1', at, pair).id).not.toBe(apiTrigger('ci', 'key-1', at, { ...pair, drId: 'dr2' }).id);
    expect(apiTrigger('ci', undefined, at, pair).id).not.toBe(apiTrigger('ci', undefined, at, pair).id);
  });
});
