import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import { freePort } from '../../src/devstack/dev-server';
import type { DeliveryView } from '../../src/shared/delivery';
import { deliveryProgressQuery } from '../../src/shared/messages';
import type { OperationReport } from '../../src/shared/operation-model';
import { scenario, type Scenario } from '../helpers/scenario';
import { spawnCli, until } from '../helpers/worker-process';
import { startIntake, TOKEN } from './harness';
import { fixture } from './payloads';

/** An Alertmanager notification of one group whose alerts name `pairs` DR pairs of `projectId`. */
function regionOutage(projectId: string, pairs: { drId: string; clusterId: string }[], groupKey: string) {
  const base = fixture<Record<string, unknown> & { alerts: Record<string, unknown>[] }>('alertmanager-v4-firing.json');
  const template = base.alerts[0] ?? {};
  return {
    ...base,
    groupKey,
    alerts: pairs.map((p, i) => ({
      ...template,
      labels: {
        alertname: 'DwsClusterUnavailable',
        severity: 'critical',
        dws_project_id: projectId,
        dws_dr_id: p.drId,
        dws_cluster_id: p.clusterId,
      },
      fingerprint: i.toString(16).padStart(16, '0'),
    })),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are asserted field by field
async function post(url: string, body: string): Promise<{ status: number; body: any; ms: number }> {
  const started = Date.now();
  const res = await fetch(`${url}/v1/alerts/alertmanager`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
  });
  return { status: res.status, body: await res.json(), ms: Date.now() - started };
}

/** `dws-failover intake` as its own process on a free port; resolves once it answers /healthz. */
async function intakeProcess(t: Scenario) {
  const port = await freePort();
  const proc = spawnCli(['intake', '--port', String(port), '--host', '127.0.0.1'], {
    ...t.workerEnv,
    DWS_FAILOVER_INTAKE_TOKEN: TOKEN,
  });
  const url = `http://127.0.0.1:${port}`;
  await until(`the intake on ${url} (${proc.output()})`, async () =>
    (await fetch(`${url}/healthz`)).ok ? true : undefined
  );
  return { url, proc };
}

const failoversOf = (projectId: string): string =>
  `WorkflowType = 'failoverWorkflow' AND WorkflowId STARTS_WITH 'dws-failover:${projectId}:'`;

const countFailovers = async (t: Scenario, projectId: string): Promise<number> =>
  (await t.client.workflow.count(failoversOf(projectId))).count;

async function terminateAll(t: Scenario, query: string): Promise<void> {
  await t.client.workflowService.startBatchOperation({
    namespace: t.config.temporal.namespace,
    jobId: randomUUID(),
    reason: 'test finished',
    visibilityQuery: `${query} AND ExecutionStatus = 'Running'`,
    terminationOperation: {},
  });
}

describe('a delivery that covers many pairs', () => {
  it("joins the other HA member's copy of a three-pair delivery to the record and names both members as senders", async () => {
    const t = await scenario({ env: { DWS_RATE_LIMIT: '0' } });
    const projectId = randomBytes(16).toString('hex');
    onTestFinished(() => terminateAll(t, failoversOf(projectId)));
    const pairs = Array.from({ length: 3 }, () => ({ drId: randomUUID(), clusterId: randomUUID() }));
    const notification = regionOutage(projectId, pairs, `{}:{region="cn-north-4", test="${randomUUID()}"}`);
    const intake = await startIntake({ env: t.workerEnv });
    const members = ['http://alertmanager-0.example:9093', 'http://alertmanager-1.example:9093'];

    const [first, second] = await Promise.all(
      members.map((externalURL) => intake.post('/v1/alerts/alertmanager', { ...notification, externalURL }))
    );
    expect([first?.status, second?.status]).toEqual([202, 202]);
    expect(new Set([first?.body.delivery.id, second?.body.delivery.id]).size).toBe(1);
    expect([first?.body.delivery.joined, second?.body.delivery.joined].sort()).toEqual([false, true]);

    const record = t.client.workflow.getHandle(first?.body.delivery.workflow_id);
    const view = await until('the delivery to dispatch every pair', async () => {
      const v: DeliveryView = await record.query(deliveryProgressQuery, 0, 0);
      return v.phase === 'dispatched' ? v : undefined;
    });
    expect(view).toMatchObject({ pairs: 3, dispatched: 3, repeats: 1 });
    expect(view.senders).toHaveLength(2);
    for (const member of members) expect(view.senders.join('\n')).toContain(member);
  });

  it('records a 1,000-pair alert group with one start, answers at once, and starts exactly 1,000 failovers although the intake died right after answering', async () => {
    // Nothing throttles this worker's DWS reads: each of the thousand runs ends at its first pre-check (the
    // simulator knows none of these pairs).
    const t = await scenario({ env: { DWS_RATE_LIMIT: '0' } });
    const projectId = randomBytes(16).toString('hex');
    // The runs are not this test's subject: whatever still runs at its end is terminated in one server-side batch.
    onTestFinished(() => terminateAll(t, failoversOf(projectId)));
    const pairs = Array.from({ length: 1000 }, () => ({ drId: randomUUID(), clusterId: randomUUID() }));
    const body = JSON.stringify(regionOutage(projectId, pairs, `{}:{region="cn-north-4", test="${randomUUID()}"}`));

    const first = await intakeProcess(t);
    const answer = await post(first.url, body);
    await first.proc.kill();

    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    expect(answer.ms).toBeLessThan(2000);
    expect(answer.body).toMatchObject({ accepted: true, pairs: 1000, firing: 1000, resolved: 0 });
    expect(answer.body.delivery).toMatchObject({ joined: false, url: `/v1/deliveries/${answer.body.delivery.id}` });
    expect(answer.body.delivery.id).toMatch(/^alertmanager-[0-9a-f]{32}$/);

    // The sender did not hear the answer and retries on a new intake: it joins the record, nothing fans out again.
    // Like a sender, it retries a 503 (the dev server is busy starting a thousand runs).
    const second = await intakeProcess(t);
    let retried = await post(second.url, body);
    for (let i = 0; i < 20 && retried.status === 503; i++) retried = await post(second.url, body);
    expect(retried.status, JSON.stringify(retried.body)).toBe(202);
    expect(retried.body.delivery).toMatchObject({ id: answer.body.delivery.id, joined: true });

    const record = t.client.workflow.getHandle(answer.body.delivery.workflow_id);
    const done = await until(
      'the delivery to dispatch every pair',
      async () => {
        const view: DeliveryView = await record.query(deliveryProgressQuery, 0, 0);
        return view.phase === 'dispatched' ? view : undefined;
      },
      300_000
    );
    expect(done).toMatchObject({ pairs: 1000, dispatched: 1000, actions: { started: 1000 }, repeats: 1 });
    await until('visibility to show every failover', async () =>
      (await countFailovers(t, projectId)) >= 1000 ? true : undefined
    );
    expect(await countFailovers(t, projectId)).toBe(1000);

    // Through the intake: each pair's workflow, and each run holds the alert once.
    const listed = await fetch(`${second.url}${answer.body.delivery.url}?offset=990&limit=20`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const page = (await listed.json()) as DeliveryView;
    expect(page.workflows).toHaveLength(10);
    expect(page.workflows[9]).toMatchObject({
      project_id: projectId,
      disaster_recovery_id: pairs[999]?.drId,
      workflow_id: `dws-failover:${projectId}:${pairs[999]?.drId}`,
      action: 'started',
    });
    // Each run ends at its first pre-check; its report is read from history, so unlike a query it needs no worker
    // task, and the worker's backlog of a thousand runs cannot time it out.
    const sample = [pairs[0], pairs[500], pairs[999]];
    for (const p of sample) {
      const report: OperationReport = await t.client.workflow
        .getHandle(`dws-failover:${projectId}:${p?.drId}`)
        .result();
      expect(report.evidence).toHaveLength(1);
      expect(report.evidence[0]).toMatchObject({ source: 'alertmanager', deliveries: 1 });
    }
  }, 420_000); // a thousand runs on two cores: the project's 180 s is too tight on a slow CI machine
});
