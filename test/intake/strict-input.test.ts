import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { freePort } from '../../src/devstack/dev-server';
import { parseInventory } from '../../src/inventory';
import { bearer, startIntake, TOKEN, type IntakeOptions } from './harness';
import { alertmanagerPayload } from './payloads';

const ROOT = path.resolve(__dirname, '../..');
const am = '/v1/alerts/alertmanager';
const PROJECT = '0b5e1c2d7a9f4e3c8d6b2a1f0e9d8c7b';
const DR = 'c8f3d3a2-5b1e-4f6a-9d2c-7e4b1a0f3d95';
const firing = alertmanagerPayload({ labels: { dws_project_id: PROJECT, dws_dr_id: DR } });
const unknownPair = alertmanagerPayload({ labels: { instance: 'dws-prod', job: 'dws-exporter' } });

/** An intake whose Temporal is a closed port: everything short of recording a workflow works. */
async function intake(options: IntakeOptions = {}) {
  const env = { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`, ...options.env };
  return startIntake({ ...options, env, temporalTimeoutMs: 1500 });
}

/** An Alertmanager notification whose alerts carry these labels. */
function withAlerts(labels: Record<string, string>[]): Record<string, unknown> {
  const alerts = labels.map((l, i) => ({
    status: 'firing',
    labels: l,
    startsAt: '2025-11-27T03:00:00Z',
    fingerprint: `f${i}`,
  }));
  return { ...unknownPair, alerts };
}

/** The classic "billion laughs": nine levels of aliases, each nine times the one before. */
const ALIAS_BOMB = [
  'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
  ...'bcdefghi'.split('').map((c, i) => {
    const prev = 'abcdefghi'[i] as string;
    return `${c}: &${c} [${Array.from({ length: 9 }, () => `*${prev}`).join(', ')}]`;
  }),
].join('\n');

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dws-strict-input-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('the intake takes JSON only', () => {
  it('answers 415 to a POST sent as text/plain, naming the type and the fix, and starts nothing', async () => {
    const t = await intake();
    const res = await t.post(am, firing, { ...bearer, 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(res.body.error).toBe('unsupported_media_type');
    expect(res.body.message).toBe(
      'The request\'s Content-Type is "text/plain"; the intake takes JSON: send Content-Type: application/json.'
    );
    const long = await t.post(am, firing, { ...bearer, 'content-type': `text/${'x'.repeat(5000)}` });
    expect(long.status).toBe(415);
    expect(long.body.message.length).toBeLessThan(200);
  });

  it('answers 415 to a POST without a Content-Type', async () => {
    const t = await intake();
    // A byte body makes fetch send no Content-Type at all (a string body would be text/plain).
    const res = await fetch(`${t.url}${am}`, {
      method: 'POST',
      body: new TextEncoder().encode(JSON.stringify(firing)),
      headers: bearer,
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { message: string }).message).toMatch(/Content-Type is missing; .*application\/json/);
  });

  it.each(['application/json; charset=utf-8', 'Application/JSON', 'application/vnd.alert+json'])(
    'takes %s as JSON',
    async (type) => {
      const res = await (await intake()).post(am, unknownPair, { ...bearer, 'content-type': type });
      expect(res.status).toBe(422);
    }
  );
});

describe('the intake limits what one delivery may hold', () => {
  it('refuses a 900 KB label value with 422, in a short answer naming the label, the limit and the setting', async () => {
    const body = alertmanagerPayload({ labels: { dws_dr_id: DR, note: 'x'.repeat(900_000) } });
    delete body.commonLabels; // once in the body: under DWS_FAILOVER_INTAKE_MAX_BODY (1 MiB)
    const res = await (await intake()).post(am, body);
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('label_too_large');
    expect(Buffer.byteLength(res.body.message)).toBeLessThan(500);
    expect(res.body.message).toMatch(/^alerts\[0\]\.labels\.note: the label value is 900000 bytes, more than 2048 /);
    expect(res.body.message).toContain('DWS_FAILOVER_INTAKE_MAX_LABEL_BYTES');
    expect(JSON.stringify(res.body).length).toBeLessThan(2048);
  });

  it('refuses an oversized label name, quoting only the start of it', async () => {
    const res = await (await intake()).post(am, withAlerts([{ alertname: 'x' }, { [`n${'x'.repeat(3000)}`]: 'v' }]));
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('label_too_large');
    expect(res.body.message).toMatch(
      /^alerts\[1\]\.labels\["nx{63}…"\]: the label name is 3001 bytes, more than 2048 /
    );
  });

  it('refuses an alert with more labels than DWS_FAILOVER_INTAKE_MAX_LABELS', async () => {
    const labels = Object.fromEntries(Array.from({ length: 129 }, (_, i) => [`label_${i}`, 'v']));
    const res = await (await intake()).post(am, withAlerts([{ alertname: 'x' }, labels]));
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('too_many_labels');
    expect(res.body.message).toMatch(
      /^alerts\[1\]\.labels: 129 labels, more than 128 \(DWS_FAILOVER_INTAKE_MAX_LABELS\)/
    );
  });

  it('refuses a delivery with more alerts than DWS_FAILOVER_INTAKE_MAX_ALERTS with 413', async () => {
    const t = await intake();
    const res = await t.post(am, withAlerts(Array.from({ length: 2001 }, () => ({ alertname: 'x' }))));
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('too_many_alerts');
    expect(res.body.message).toMatch(/2001 alerts, more than 2000 \(DWS_FAILOVER_INTAKE_MAX_ALERTS\)/);
    const lowered = await intake({ env: { DWS_FAILOVER_INTAKE_MAX_ALERTS: '2' } });
    expect((await lowered.post(am, withAlerts([{ a: '1' }, { a: '2' }, { a: '3' }]))).status).toBe(413);
  });

  it('refuses a delivery about more pairs than DWS_FAILOVER_INTAKE_MAX_PAIRS with 413, before anything is started', async () => {
    const pairs = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        dws_project_id: PROJECT,
        dws_dr_id: `c8f3d3a2-5b1e-4f6a-9d2c-${i.toString(16).padStart(12, '0')}`,
      }));
    const t = await intake({ env: { DWS_FAILOVER_INTAKE_MAX_PAIRS: '2' } });
    const res = await t.post(am, withAlerts(pairs(3)));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: 'too_many_pairs', pairs: 3, limit: 2 });
    expect(res.body.message).toMatch(/^The delivery covers 3 DR pairs, more than 2 \(DWS_FAILOVER_INTAKE_MAX_PAIRS\)/);
    expect(res.body.message.length).toBeLessThan(300);
    // Within the limit it goes on to Temporal (a closed port here: 503).
    expect((await t.post(am, withAlerts(pairs(2)))).status).toBe(503);
  });

  it('refuses a delivery whose record would exceed one Temporal start with 413 delivery_too_large', async () => {
    const t = await intake({
      env: {
        DWS_FAILOVER_INTAKE_MAX_PAIRS: '5000',
        DWS_FAILOVER_INTAKE_MAX_ALERTS: '5000',
        DWS_FAILOVER_INTAKE_MAX_BODY: String(16 * 1024 * 1024),
      },
    });
    const alerts = Array.from({ length: 3000 }, (_, i) => ({
      status: 'firing',
      labels: { dws_project_id: PROJECT, dws_dr_id: `c8f3d3a2-5b1e-4f6a-9d2c-${i.toString(16).padStart(12, '0')}` },
      annotations: { summary: `cluster ${i} is down: ${'x'.repeat(400)}` },
      startsAt: '2025-11-27T03:00:00Z',
      fingerprint: `f${i}`,
    }));
    const res = await t.post(am, { ...unknownPair, alerts });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: 'delivery_too_large', pairs: 3000, limit_bytes: 1_500_000 });
    expect(res.body.message).toMatch(/have the sender split its notifications/);
  });
});

describe('the intake quotes only the start of what it was sent', () => {
  it('names the path exactly as received in 404 and 405, clipped', async () => {
    const t = await intake();
    const doubled = await t.get(`/${am}`);
    expect(doubled.status).toBe(404);
    expect(doubled.body.message).toBe('There is no //v1/alerts/alertmanager here; see docs/intake.md.');
    const wrong = await t.get(`${am}/?since=1`);
    expect(wrong.status).toBe(405);
    expect(wrong.body.message).toBe('GET is not allowed on /v1/alerts/alertmanager/; use POST.');
    const long = await t.get(`/${'x'.repeat(5000)}`);
    expect(long.status).toBe(404);
    expect(long.body.message.length).toBeLessThan(160);
  });

  it('clips the labels and summary of unmapped alerts in the 422 answer', async () => {
    const body = alertmanagerPayload({ labels: { note: 'y'.repeat(2000) } });
    (body.alerts as { annotations: Record<string, string> }[])[0]!.annotations.summary = 'z'.repeat(2000);
    const res = await (await intake()).post(am, body);
    expect(res.status).toBe(422);
    expect(res.body.unmapped[0].labels.note).toBe(`${'y'.repeat(64)}…`);
    expect(res.body.unmapped[0].summary.length).toBe(65);
    expect(JSON.stringify(res.body).length).toBeLessThan(2048);
  });

  it('clips what JSON and validation errors quote', async () => {
    const t = await intake();
    const json = await t.post(am, `{"receiver": ${'x'.repeat(100_000)}}`);
    expect(json.status).toBe(400);
    expect(json.body.message.length).toBeLessThan(250);
    const key = `k${'x'.repeat(10_000)}`;
    const unknownField = await t.post('/v1/failovers', {
      project_id: PROJECT,
      disaster_recovery_id: DR,
      reason: 'r',
      [key]: 1,
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.message).toContain('is not a known field');
    expect(JSON.stringify(unknownField.body).length).toBeLessThan(1024);
  });
});

describe('inventory YAML with aliases', () => {
  it('refuses an alias bomb with a problem, and the configuration error names the file', () => {
    expect(parseInventory(ALIAS_BOMB).problems).toEqual([expect.stringMatching(/aliases .* alias bomb/)]);
    const file = tempFile('inventory.yaml', ALIAS_BOMB);
    expect(() => loadConfig({ DWS_FAILOVER_INVENTORY: file })).toThrow(ConfigError);
    expect(() => loadConfig({ DWS_FAILOVER_INVENTORY: file })).toThrow(`DWS_FAILOVER_INVENTORY (${file}): its aliases`);
  });

  it('makes dws-failover intake exit 2 naming the file, as for any bad configuration', async () => {
    const file = tempFile('inventory.yaml', ALIAS_BOMB);
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'intake'], {
        cwd: ROOT,
        // Killed (and failing) if the intake started instead of refusing.
        timeout: 30_000,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          DWS_FAILOVER_INVENTORY: file,
          DWS_FAILOVER_INTAKE_TOKEN: TOKEN,
          DWS_FAILOVER_INTAKE_PORT: '0',
          TEMPORAL_ADDRESS: '127.0.0.1:1',
        },
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(run.stderr).toMatch(/^Invalid configuration:/);
    expect(run.stderr).toContain(`DWS_FAILOVER_INVENTORY (${file}): its aliases (*name) expand more than 100 times`);
    expect(run.code).toBe(2);
  });
});

describe('the intake checks ids by format before any lookup', () => {
  it('maps an alert with a malformed dws_project_id to no pair: 422 naming the label and the format', async () => {
    const res = await (
      await intake()
    ).post(am, alertmanagerPayload({ labels: { dws_project_id: 'p', dws_dr_id: DR } }));
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('no_pair');
    expect(res.body.message).toContain('dws_project_id: "p" is not a Huawei Cloud project id (32 hex characters)');
    expect(res.body.unmapped[0].reason).toMatch(/^dws_project_id: "p" is not/);
  });

  it('answers 400 naming the field to POST /v1/failovers with a malformed id', async () => {
    const t = await intake();
    const project = await t.post('/v1/failovers', { project_id: 'p', disaster_recovery_id: DR, reason: 'drill' });
    expect(project.status).toBe(400);
    expect(project.body.error).toBe('invalid_body');
    expect(project.body.message).toMatch(
      /^Not a valid failover request: project_id: "p" is not a Huawei Cloud project id \(32 hex characters\)/
    );
    const dr = await t.post('/v1/failovers', { project_id: PROJECT, disaster_recovery_id: 'dr1', reason: 'drill' });
    expect(dr.body.problems).toEqual([
      'disaster_recovery_id: "dr1" is not a DR id (a UUID: 8-4-4-4-12 hex characters)',
    ]);
  });

  // Last in the file: its requests reach for Temporal, and the client's retry timers outlive the test.
  it('accepts a pair the inventory lists whatever its ids look like', async () => {
    const t = await intake({
      inventory: `pairs:
  - { name: private-cloud, project_id: pc-project-1, dr_id: pc-dr-1, clusters: [{ id: pc-c1 }, { id: pc-c2 }] }`,
    });
    const labels = { dws_project_id: 'pc-project-1', dws_dr_id: 'pc-dr-1', dws_cluster_id: 'pc-c1' };
    const alert = await t.post(am, alertmanagerPayload({ labels }));
    // Past validation and mapping: only the closed Temporal port stops it.
    expect(alert.status).toBe(503);
    expect(alert.body.message).toContain('for private-cloud');
    const api = await t.post('/v1/failovers', {
      project_id: 'pc-project-1',
      disaster_recovery_id: 'pc-dr-1',
      failed_cluster_id: 'pc-c2',
      reason: 'drill',
    });
    expect(api.status).toBe(503);
  });
});
