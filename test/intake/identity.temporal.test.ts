/**
 * What the intake sends to Temporal for a person it verified: a start whose input carries a signed proof, and
 * approve/cancel updates whose proofs verify with `verifyProof` against the intake's public key, for the run it
 * described. No worker runs (the workflow's validators are not what this file tests): the start is read back from
 * the run's history, and the updates from an interceptor on the intake's own Temporal client, at the moment they
 * leave for the server. Refusals before Temporal are in identity.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection, type WorkflowStartUpdateInput } from '@temporalio/client';
import { onTestFinished, describe, expect, it } from 'vitest';
import { approverKeyLine, parseApproverKeys, type SigningKey } from '../../src/identity/keys';
import { OPEN_ACCESS, verifyProof, type DecisionRules } from '../../src/shared/identity';
import type { DecisionInput, FailoverInput } from '../../src/shared/operation-model';
import { scenario, type Scenario } from '../helpers/scenario';
import { bearer } from './harness';
import { alertmanagerPayload } from './payloads';
import { BOT_TOKEN, startPeopleIntake, workflowIdOf, type PeopleIntake } from './people';

/** The worker's rules when its approver keys file trusts the intake's key as a `service`. */
function trusting(key: SigningKey): DecisionRules {
  return {
    keys: parseApproverKeys(approverKeyLine(key, 'service'), 'keys').keys,
    access: OPEN_ACCESS,
    keysSource: 'keys',
  };
}

interface Stack {
  t: Scenario;
  people: PeopleIntake;
  key: SigningKey;
  /** The updates the intake sent to Temporal, in order. */
  sent: WorkflowStartUpdateInput[];
}

/**
 * A scenario without a worker, and a verifying intake whose Temporal client records the updates it sends. Its
 * inventory lists the pair, whose resolved alerts cancel.
 */
async function stack(): Promise<Stack> {
  const t = await scenario({ noWorker: true });
  const sent: WorkflowStartUpdateInput[] = [];
  const connection = await Connection.connect({ address: t.config.temporal.address });
  onTestFinished(() => connection.close());
  const client = new Client({
    connection,
    namespace: t.config.temporal.namespace,
    interceptors: {
      workflow: [
        {
          startUpdate: (input, next) => {
            sent.push(input);
            return next(input);
          },
        },
      ],
    },
  });
  const inventory = `pairs:
  - name: pair-${t.drId.slice(0, 8)}
    project_id: ${t.projectId}
    dr_id: ${t.drId}
    clusters: [{ id: ${t.primaryId} }, { id: ${t.standbyId} }]
    policy: { resolved_alert_cancels: true }
`;
  const people = await startPeopleIntake({ env: t.workerEnv, client, inventory, temporalTimeoutMs: 1500 });
  if (!people.key) throw new Error('the intake has no signing key');
  return { t, people, key: people.key, sent };
}

/** Starts the pair's failover through the intake as alice (OIDC); terminated when the test finishes. */
async function startAsAlice(s: Stack): Promise<{ workflowId: string; runId: string }> {
  const answer = await s.people.intake.post(
    '/v1/failovers',
    { project_id: s.t.projectId, disaster_recovery_id: s.t.drId, reason: 'runbook DR-3: primary AZ lost' },
    s.people.as(await s.people.issuer.token())
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  const { workflow_id: workflowId, run_id: runId } = answer.body;
  onTestFinished(async () => {
    await s.t.client.workflow
      .getHandle(workflowId, runId)
      .terminate('test finished')
      .catch(() => undefined);
  });
  return { workflowId, runId };
}

describe('what the intake sends to Temporal for a verified person', () => {
  it('starts a failover whose input carries a start signed for the person, verifiable with the intake key', async () => {
    const s = await stack();
    const { workflowId, runId } = await startAsAlice(s);

    const history = await s.t.client.workflow.getHandle(workflowId, runId).fetchHistory();
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
    const input = JSON.parse(Buffer.from(payload ?? new Uint8Array()).toString('utf8')) as FailoverInput;
    expect(input.trigger).toMatchObject({ source: 'api', actor: 'alice@example.com' });
    const expected = {
      action: 'start' as const,
      workflowId,
      runId: null,
      actor: input.trigger.actor,
      comment: input.reason,
      now: Date.now(),
    };
    expect(verifyProof(input.proof, expected, trusting(s.key))).toMatchObject({
      actor: 'alice@example.com',
      method: 'oidc',
      keyId: 'intake',
      detail: `${s.people.issuer.issuer} · alice-sub`,
    });
  });

  it('sends an approval and a cancel for the running run, each signed for its person', async () => {
    const s = await stack();
    const { workflowId, runId } = await startAsAlice(s);
    const digest = 'sha256:0123456789abcdef';

    // No worker takes the update, so the intake gives up at its deadline: what matters is what it sent.
    const approve = await s.people.intake.post(
      `/v1/failovers/${workflowId}/approve`,
      { comment: 'INC-7: 3 min of data loss accepted', digest },
      s.people.as(await s.people.issuer.token({ email: 'bob@example.com', sub: 'bob-sub' }))
    );
    expect(approve.status).toBe(503);
    const cancel = await s.people.intake.post(
      `/v1/failovers/${workflowId}/cancel`,
      { comment: 'false alarm' },
      s.people.as(BOT_TOKEN)
    );
    expect(cancel.status).toBe(503);

    expect(s.sent.map((u) => [u.updateName, u.workflowExecution])).toEqual([
      ['approve', { workflowId, runId }],
      ['cancel', { workflowId, runId }],
    ]);
    const [approval, cancellation] = s.sent.map((u) => u.args[0] as DecisionInput);
    expect(approval).toMatchObject({ actor: 'bob@example.com', via: 'api (oidc)' });
    expect(approval?.proof?.statement.digest).toBe(digest);
    const now = Date.now();
    const rules = trusting(s.key);
    const approvedBy = verifyProof(
      approval?.proof,
      {
        action: 'approve',
        workflowId,
        runId,
        actor: 'bob@example.com',
        comment: 'INC-7: 3 min of data loss accepted',
        now,
      },
      rules
    );
    expect(approvedBy).toMatchObject({
      method: 'oidc',
      keyId: 'intake',
      detail: `${s.people.issuer.issuer} · bob-sub`,
    });
    expect(cancellation).toMatchObject({ actor: 'deploy-bot', via: 'api (token)' });
    const cancelledBy = verifyProof(
      cancellation?.proof,
      { action: 'cancel', workflowId, runId, actor: 'deploy-bot', comment: 'false alarm', now },
      rules
    );
    expect(cancelledBy).toMatchObject({ method: 'token', keyId: 'intake', detail: 'deploy-bot' });
  });

  it("signs a resolved alert's cancel with the intake key, attested as the alert's sender", async () => {
    const s = await stack();
    const groupKey = `{}:{test="${randomUUID()}"}`;
    const alert = (status: 'firing' | 'resolved') =>
      s.people.intake.post(
        '/v1/alerts/alertmanager',
        alertmanagerPayload({ labels: { dws_cluster_id: s.t.primaryId }, groupKey, status }),
        bearer
      );
    const firing = await alert('firing');
    expect(firing.status).toBe(202);
    const { workflow_id: workflowId, run_id: runId } = firing.body.workflows[0];
    onTestFinished(async () => {
      await s.t.client.workflow
        .getHandle(workflowId, runId)
        .terminate('test finished')
        .catch(() => undefined);
    });

    // The cancel waits for a worker that never comes; the resolve itself was recorded before it.
    await alert('resolved');
    expect(s.sent.map((u) => [u.updateName, u.workflowExecution])).toEqual([['cancel', { workflowId, runId }]]);
    const cancel = s.sent[0]?.args[0] as DecisionInput;
    expect(cancel).toMatchObject({ via: 'alertmanager', onlyBeforeRequest: true });
    expect(cancel.actor).toMatch(/^alertmanager \(/);
    const expected = { action: 'cancel' as const, workflowId, runId, actor: cancel.actor, comment: cancel.comment };
    const who = verifyProof(cancel.proof, { ...expected, now: Date.now() }, trusting(s.key));
    expect(who).toMatchObject({ method: 'alert', keyId: 'intake', actor: cancel.actor });
    expect(who.detail).toContain(`groupKey ${groupKey}`);
  });

  it('sends nothing for the shared token (403), an unknown run (404) or an ended one (409)', async () => {
    const s = await stack();
    const { workflowId, runId } = await startAsAlice(s);
    const body = { comment: 'stop', digest: 'sha256:0123456789abcdef' };

    const shared = await s.people.intake.post(`/v1/failovers/${workflowId}/approve`, body, bearer);
    expect(shared.status).toBe(403);
    const token = s.people.as(BOT_TOKEN);
    const unknown = await s.people.intake.post(
      `/v1/failovers/${workflowIdOf(s.t.projectId, randomUUID())}/cancel`,
      body,
      token
    );
    expect(unknown.status).toBe(404);
    await s.t.client.workflow.getHandle(workflowId, runId).terminate('ended for the test');
    const ended = await s.people.intake.post(`/v1/failovers/${workflowId}/cancel`, body, token);
    expect(ended.status).toBe(409);
    expect(ended.body).toMatchObject({ error: 'not_running' });
    expect(ended.body.message).toBe(`${workflowId} is not running (TERMINATED); nothing to cancel.`);
    expect(s.sent).toEqual([]);
  });
});
