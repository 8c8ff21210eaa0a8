import { describe, expect, it } from 'vitest';
import { parseAlertmanager } from '../../src/intake/alertmanager';
import { HttpError } from '../../src/intake/http';
import { fixture } from './payloads';

function badField(body: unknown): HttpError {
  try {
    parseAlertmanager(body);
  } catch (err) {
    expect(err).toBeInstanceOf(HttpError);
    return err as HttpError;
  }
  throw new Error('expected the payload to be refused');
}

describe('Alertmanager webhook v4', () => {
  it('reads a current notification with notification_reason: labels, fingerprint, startsAt and the groupKey', () => {
    const delivery = parseAlertmanager(fixture('alertmanager-v4-firing.json'));
    expect(delivery).toMatchObject({
      source: 'alertmanager',
      dedupeKey: '{}/{severity="critical"}:{alertname="DwsClusterUnavailable"}',
      actor: 'dws-failover (http://alertmanager-0:9093)',
    });
    expect(delivery.ref).toContain('first notification');
    expect(delivery.alerts).toEqual([
      {
        status: 'firing',
        labels: expect.objectContaining({ dws_cluster_id: 'a1d4e6f2-7b3c-4d8e-9f01-2a3b4c5d6e7f' }),
        fingerprint: '7c9a2b1e4d3f5a60',
        startsAt: '2025-11-27T02:58:13.123Z',
        summary: 'DwsClusterUnavailable: DWS cluster dws-prod is unavailable',
      },
    ]);
  });

  it('reads an older notification without notification_reason, truncatedAlerts or fingerprints', () => {
    const delivery = parseAlertmanager(fixture('alertmanager-v4-legacy.json'));
    expect(delivery.alerts).toHaveLength(2);
    expect(delivery.alerts.map((a) => a.status)).toEqual(['resolved', 'resolved']);
    // Without a fingerprint the label set identifies the alert, stably.
    const again = parseAlertmanager(fixture('alertmanager-v4-legacy.json'));
    expect(delivery.alerts[0]?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(delivery.alerts[0]?.fingerprint).toBe(again.alerts[0]?.fingerprint);
    expect(delivery.alerts[0]?.fingerprint).not.toBe(delivery.alerts[1]?.fingerprint);
    expect(delivery.ref).not.toContain('undefined');
  });

  it('ignores fields it does not know and treats Go zero startsAt as unknown', () => {
    const body = fixture<{ alerts: Record<string, unknown>[] }>('alertmanager-v4-firing.json');
    Object.assign(body, { someFutureField: { a: 1 } });
    Object.assign(body.alerts[0]!, { startsAt: '0001-01-01T00:00:00Z', extra: true });
    expect(parseAlertmanager(body).alerts[0]?.startsAt).toBeNull();
  });

  it('refuses a notification without alerts, naming the field', () => {
    const body = fixture<Record<string, unknown>>('alertmanager-v4-firing.json');
    body.alerts = [];
    const err = badField(body);
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/alerts: must hold at least one alert/);
  });

  it('names every bad field of an alert with its index', () => {
    const body = fixture<{ alerts: Record<string, unknown>[] }>('alertmanager-v4-firing.json');
    delete body.alerts[0]!.startsAt;
    body.alerts[0]!.status = 'pending';
    const err = badField(body);
    expect(err.code).toBe('invalid_body');
    expect(err.details.problems).toEqual([
      'alerts[0].status: must be one of "firing", "resolved"',
      'alerts[0].startsAt: is required',
    ]);
  });

  it('refuses a labels map with a non-string value', () => {
    const body = fixture<{ alerts: { labels: Record<string, unknown> }[] }>('alertmanager-v4-firing.json');
    body.alerts[0]!.labels.severity = 3;
    expect(badField(body).message).toMatch(/alerts\[0\]\.labels\.severity: must be a string, got number/);
  });
});
