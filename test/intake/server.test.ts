import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { freePort } from '../../src/devstack/dev-server';
import { hmacHex, lazyClient, startIntakeServer } from '../../src/intake';
import { createLogger } from '../../src/logger';
import { bearer, PD_SECRET, signedHeaders, startIntake } from './harness';
import { alertmanagerPayload, fixture, fixtureText } from './payloads';

/** An intake whose Temporal is a closed port: everything short of recording a workflow works. */
async function intake() {
  return startIntake({ env: { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` }, temporalTimeoutMs: 1500 });
}

const am = '/v1/alerts/alertmanager';
const PROJECT = '0b5e1c2d7a9f4e3c8d6b2a1f0e9d8c7b';
const DR = 'c8f3d3a2-5b1e-4f6a-9d2c-7e4b1a0f3d95';
const unknownPair = alertmanagerPayload({ labels: { instance: 'dws-prod', job: 'dws-exporter' } });

describe('intake answers without reaching Temporal', () => {
  it('answers 401 to a wrong bearer token, naming the problem', async () => {
    const res = await (await intake()).post(am, unknownPair, { authorization: 'Bearer not-the-token' });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'unauthorized', message: 'The bearer token is not the intake token.' });
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('answers 401 to a bad signature and to a replayed (stale) one', async () => {
    const t = await intake();
    const text = JSON.stringify(unknownPair);
    const bad = await t.post(am, text, signedHeaders(text, undefined, 'some-other-secret-123456'));
    expect(bad.status).toBe(401);
    expect(bad.body.message).toMatch(/signature does not match the body and timestamp/);
    const stale = await t.post(am, text, signedHeaders(text, Math.floor(Date.now() / 1000) - 3600));
    expect(stale.status).toBe(401);
    expect(stale.body.message).toMatch(/outside the 300 s window: a replayed or stale request/);
  });

  it('answers 413 to an oversized body, announced or streamed', async () => {
    const t = await intake();
    const big = JSON.stringify({ padding: 'x'.repeat(1_100_000) });
    const declared = await t.post(am, big);
    expect(declared.status).toBe(413);
    expect(declared.body.message).toMatch(/larger than 1048576 bytes \(DWS_FAILOVER_INTAKE_MAX_BODY\)/);
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new Uint8Array(64 * 1024).fill(32));
        controller.close();
      },
    });
    const streamed = await fetch(`${t.url}${am}`, {
      method: 'POST',
      body: chunks,
      headers: { ...bearer, 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it('answers 400 to malformed JSON, saying where it breaks', async () => {
    const res = await (await intake()).post(am, '{"receiver": "dws-failover",');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_json' });
    expect(res.body.message).toMatch(/^The request body is not valid JSON: .*position/);
  });

  it('answers 400 naming the missing field', async () => {
    const body = fixture<Record<string, unknown>>('alertmanager-v4-firing.json');
    delete body.groupKey;
    const res = await (await intake()).post(am, body);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Not a valid Alertmanager webhook (version 4): groupKey: is required.');
  });

  it('answers 422 to alerts that map to no pair, naming the labels seen', async () => {
    const res = await (await intake()).post(am, unknownPair);
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('no_pair');
    expect(res.body.message).toMatch(
      /alerts\[0\] with labels \{alertname="DwsClusterUnavailable", severity="critical", instance="dws-prod", job="dws-exporter"\}/
    );
    expect(res.body.message).toMatch(/neither dws_project_id \+ dws_dr_id, nor a dws_cluster_id/);
  });

  it('answers 503 with Retry-After when Temporal is unreachable, and /readyz says not ready', async () => {
    const t = await intake();
    const res = await t.post(am, alertmanagerPayload({ labels: { dws_project_id: PROJECT, dws_dr_id: DR } }));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.body.message).toMatch(
      /^Temporal at 127\.0\.0\.1:\d+ \(namespace default\) could not record the alertmanager alert for /
    );
    expect(res.body.message).toContain(`for ${PROJECT}/${DR}`);
    expect((await t.get('/readyz')).status).toBe(503);
    expect((await t.get('/healthz')).body).toEqual({ status: 'ok' });
  });

  it('requires the PagerDuty signature on the PagerDuty route, and answers a signed ping 202 without Temporal', async () => {
    const t = await intake();
    const ping = fixtureText('pagerduty-ping.json');
    const unsigned = await t.post('/v1/alerts/pagerduty', ping, bearer);
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.message).toMatch(/X-PagerDuty-Signature with a v1= signature is missing/);
    const signed = await t.post('/v1/alerts/pagerduty', ping, {
      'x-pagerduty-signature': `v1=${hmacHex(PD_SECRET, ping)}`,
    });
    expect(signed.status).toBe(202);
    expect(signed.body).toEqual({ accepted: true, ignored: 'pagey.ping event', pairs: 0, workflows: [] });
  });

  it('answers 404 for unknown paths and ids, and 405 for a wrong method', async () => {
    const t = await intake();
    expect((await t.get('/v2/alerts')).status).toBe(404);
    expect((await t.get('/v1/failovers/not-a-failover')).body.message).toMatch(/not a failover workflow id/);
    const wrong = await t.get(am);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });

  it('counts requests by route and status, errors by kind, and latency, in Prometheus text', async () => {
    const t = await intake();
    await t.post(am, unknownPair, { authorization: 'Bearer wrong' });
    await t.post(am, unknownPair);
    const metrics = await t.get('/metrics', {});
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.body).toContain(
      'dws_failover_intake_requests_total{route="/v1/alerts/alertmanager",status="401"} 1'
    );
    expect(metrics.body).toContain(
      'dws_failover_intake_requests_total{route="/v1/alerts/alertmanager",status="422"} 1'
    );
    expect(metrics.body).toContain('dws_failover_intake_errors_total{kind="unauthorized"} 1');
    expect(metrics.body).toContain(
      'dws_failover_intake_request_duration_seconds_count{route="/v1/alerts/alertmanager"} 2'
    );
  });
});

describe('intake start', () => {
  it('refuses to start without a token or HMAC secret unless --insecure-no-auth', async () => {
    const config = loadConfig({});
    const client = lazyClient(config);
    const logger = createLogger({ component: 'intake', level: 'error' });
    await expect(startIntakeServer({ client, config, logger, port: 0 })).rejects.toThrow(ConfigError);
    await expect(startIntakeServer({ client, config, logger, port: 0 })).rejects.toThrow(/--insecure-no-auth/);
    const open = await startIntakeServer({ client, config, logger, port: 0, host: '127.0.0.1', insecureNoAuth: true });
    const health = await (await fetch(`${open.url}/healthz`)).json();
    expect(health).toEqual({ status: 'ok', auth: 'NONE (--insecure-no-auth)' });
    await open.close();
    await client.connection.close();
  });
});
