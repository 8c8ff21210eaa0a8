import { describe, expect, it } from 'vitest';
import { parsePagerDuty } from '../../src/intake/pagerduty';
import { fixture, pagerdutyPayload } from './payloads';

describe('PagerDuty webhook v3', () => {
  it('turns incident.triggered into one firing alert labelled from the service, incident and title', () => {
    const delivery = parsePagerDuty(fixture('pagerduty-incident-triggered.json'), {
      webhookId: 'wh-0001',
      subscription: 'PSUB001',
    });
    expect(delivery).toMatchObject({
      source: 'pagerduty',
      dedupeKey: '5ac64822-4adc-4fda-ade0-410becf0de4f',
      actor: 'DWS production warehouse',
    });
    expect(delivery.ref).toBe(
      'X-Webhook-Id wh-0001, event 5ac64822-4adc-4fda-ade0-410becf0de4f, incident #4187 Q1ZYK4LA7ZG8EV'
    );
    expect(delivery.alerts).toEqual([
      {
        status: 'firing',
        labels: {
          pagerduty_service_id: 'PDWS0001',
          pagerduty_service: 'DWS production warehouse',
          pagerduty_incident_key: 'd3640fbd41094207a1c11e58e46b1662',
          pagerduty_urgency: 'high',
          dws_cluster_id: 'a1d4e6f2-7b3c-4d8e-9f01-2a3b4c5d6e7f',
        },
        fingerprint: 'Q1ZYK4LA7ZG8EV',
        startsAt: '2025-11-27T02:58:20.000Z',
        summary:
          'PagerDuty incident #4187: [FIRING:1] DwsClusterUnavailable dws_cluster_id=a1d4e6f2-7b3c-4d8e-9f01-2a3b4c5d6e7f',
      },
    ]);
  });

  it('reads dws_project_id and dws_dr_id written in the title', () => {
    const body = pagerdutyPayload({ title: 'DR abnormal dws_project_id: p1 dws_dr_id="dr-9"' });
    expect(parsePagerDuty(body).alerts[0]?.labels).toMatchObject({ dws_project_id: 'p1', dws_dr_id: 'dr-9' });
  });

  it('turns incident.resolved into a resolved alert and keeps incident.reopened firing', () => {
    expect(parsePagerDuty(pagerdutyPayload({ eventType: 'incident.resolved' })).alerts[0]?.status).toBe('resolved');
    expect(parsePagerDuty(pagerdutyPayload({ eventType: 'incident.reopened' })).alerts[0]?.status).toBe('firing');
  });

  it('ignores acknowledgements and pings, which are answered 202 with nothing to do', () => {
    const ack = parsePagerDuty(pagerdutyPayload({ eventType: 'incident.acknowledged' }));
    expect(ack).toMatchObject({ alerts: [], ignoredBecause: 'incident.acknowledged event' });
    const ping = parsePagerDuty(fixture('pagerduty-ping.json'));
    expect(ping).toMatchObject({ alerts: [], ignoredBecause: 'pagey.ping event' });
  });

  it('refuses an incident event without an incident id, naming event.data.id', () => {
    const body = pagerdutyPayload() as { event: { data: Record<string, unknown> } };
    delete body.event.data.id;
    expect(() => parsePagerDuty(body)).toThrow(/event\.data\.id: is required/);
  });

  it('refuses a body that is not a v3 envelope, naming event', () => {
    expect(() => parsePagerDuty({ messages: [] })).toThrow(/event: is required/);
  });
});
