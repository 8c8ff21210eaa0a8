/**
 * A real Prometheus Alertmanager (v0.28.1) in front of the intake, configured as docs/intake.md says: an alert fired
 * through its API reaches the intake, one workflow and one failover POST.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { freePort } from '../../src/devserver/dev-server';
import { workflowIds } from '../../src/shared/constants';
import type { FailoverReport } from '../../src/shared/types';
import { until } from '../helpers/worker-process';
import { TOKEN } from './harness';
import { intakeStack } from './stack';

/** Starts an Alertmanager whose only route sends to the intake with short group timings; stopped at the end. */
async function alertmanager(intakeUrl: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dws-am-'));
  writeFileSync(path.join(dir, 'token'), `${TOKEN}\n`);
  writeFileSync(
    path.join(dir, 'alertmanager.yml'),
    `route:
  receiver: default
  routes:
    - receiver: dws-failover
      matchers: ['dws_cluster_id=~".+"']
      group_by: [alertname, dws_project_id, dws_dr_id, dws_cluster_id]
      group_wait: 1s
      group_interval: 5s
      repeat_interval: 1h
receivers:
  - name: default
  - name: dws-failover
    webhook_configs:
      - url: ${intakeUrl}/v1/alerts/alertmanager
        send_resolved: true
        max_alerts: 0
        http_config:
          authorization:
            type: Bearer
            credentials_file: ${path.join(dir, 'token')}
`
  );
  const port = await freePort();
  const child = spawn(
    inject('alertmanagerPath'),
    [
      `--config.file=${path.join(dir, 'alertmanager.yml')}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  onTestFinished(() => void child.kill('SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  await until(`Alertmanager to serve (${output})`, async () =>
    (await fetch(`${url}/-/ready`).catch(() => null))?.ok ? true : undefined
  );
  return url;
}

describe('a real Alertmanager in front of the intake', () => {
  it('turns one alert fired through Alertmanager into one workflow and one failover request', async () => {
    const s = await intakeStack({ pair: { primary: { status: 'UNAVAILABLE' } } });
    const am = await alertmanager(s.intake.url);
    const answer = await fetch(`${am}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          labels: { alertname: 'DwsClusterUnavailable', severity: 'critical', dws_cluster_id: s.t.primaryId },
          annotations: { summary: 'DWS production cluster unavailable' },
        },
      ]),
    });
    expect(answer.status).toBe(200);

    const handle = s.t.client.workflow.getHandle(workflowIds.failover(s.t.projectId, s.t.drId));
    const report = (await until('the failover workflow to end', () => handle.result(), 120_000)) as FailoverReport;
    expect(report.outcome, report.summary).toBe('failed-over');
    expect(report.evidence[0]).toMatchObject({ source: 'alertmanager' });
    const posts = s.t.failoverPosts();
    expect(posts).toHaveLength(1);
  });
});
