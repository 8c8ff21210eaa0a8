import { describe, expect, it } from 'vitest';
import { parseGrafana } from '../../src/intake/grafana';
import { HttpError } from '../../src/intake/http';
import { fixture } from './payloads';

describe('Grafana alerting webhook', () => {
  it("accepts Grafana's own fields (orgId, values, silenceURL, dashboardURL, panelURL, title, state, message)", () => {
    const delivery = parseGrafana(fixture('grafana-firing.json'));
    expect(delivery.source).toBe('grafana');
    expect(delivery.dedupeKey).toBe(
      '{}/{severity="critical"}:{alertname="DWS cluster unavailable", grafana_folder="DWS"}'
    );
    expect(delivery.alerts).toEqual([
      {
        status: 'firing',
        labels: expect.objectContaining({
          dws_cluster_id: 'a1d4e6f2-7b3c-4d8e-9f01-2a3b4c5d6e7f',
          grafana_folder: 'DWS',
        }),
        fingerprint: 'a3f2e1d0c9b8a796',
        startsAt: '2025-11-27T02:58:10.000Z',
        summary: 'DWS cluster unavailable: DWS cluster dws-prod is unavailable',
      },
    ]);
  });

  it('accepts null values and a missing imageURL, as Grafana sends for a no-data alert', () => {
    const body = fixture<{ alerts: Record<string, unknown>[] }>('grafana-firing.json');
    body.alerts[0]!.values = null;
    delete body.alerts[0]!.imageURL;
    expect(parseGrafana(body).alerts).toHaveLength(1);
  });

  it('refuses a wrongly typed Grafana field, naming it', () => {
    const body = fixture<Record<string, unknown>>('grafana-firing.json');
    body.orgId = 'one';
    expect(() => parseGrafana(body)).toThrow(HttpError);
    expect(() => parseGrafana(body)).toThrow(/orgId: must be a number, got string/);
  });
});
