/**
 * A person's decision through the intake, end to end: the intake verifies the person's OIDC token, signs what it
 * verified with its key, and the run's own validators check that signature against the worker's approver keys and
 * the pair's access rules. The shared alert token cannot decide.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { approverKeyLine } from '../../src/identity/keys';
import type { OperationReport, OperationState } from '../../src/shared/operation-model';
import { TEST_HARNESS, testKey } from '../helpers/decisions';
import { scenario, startTestWorker } from '../helpers/scenario';
import { bearer } from './harness';
import { startPeopleIntake } from './people';

describe('a decision through the intake', () => {
  it('a JWT of a person the pair allows approves; one it does not allow is refused naming the rule; the shared token cannot decide', async () => {
    const t = await scenario({ noWorker: true });
    const dir = mkdtempSync(path.join(tmpdir(), 'dws-decide-'));
    const inventory = path.join(dir, 'inventory.yaml');
    writeFileSync(
      inventory,
      `pairs:
  - name: decided-pair
    project_id: ${t.projectId}
    dr_id: ${t.drId}
    clusters: [{ id: ${t.primaryId} }, { id: ${t.standbyId} }]
    policy: { approval: always }
    access: { approve: [alice@example.com] }
`
    );
    const people = await startPeopleIntake({ env: { ...t.workerEnv, DWS_FAILOVER_INVENTORY: inventory } });
    if (!people.key) throw new Error('the intake has no signing key');
    // The worker trusts the intake's key as a service that attests the people it verified.
    const approverKeys = path.join(dir, 'approvers');
    // (and the test harness's, which signs the scenario's own start)
    const harness = approverKeyLine(testKey(TEST_HARNESS).key, 'service');
    writeFileSync(approverKeys, `${approverKeyLine(people.key, 'service')}\n${harness}\n`);
    const config = loadConfig(
      { ...t.workerEnv, DWS_FAILOVER_INVENTORY: inventory, DWS_FAILOVER_APPROVER_KEYS: approverKeys },
      { requireDws: true }
    );
    await startTestWorker(config);

    t.sim.outage(t.primaryId);
    const started = await t.start({ policy: { approval: 'always' } });
    await t.untilPhase(started, 'awaiting-approval');
    const shown = await people.intake.get(`/v1/failovers/${started.workflowId}`, bearer);
    expect(shown.status).toBe(200);
    const digest = (shown.body as OperationState).approval?.digest;
    expect(digest).toMatch(/^sha256:/);
    const route = `/v1/failovers/${started.workflowId}/approve`;

    const shared = await people.intake.post(route, { actor: 'ops', comment: 'go', digest }, bearer);
    expect(shared.status).toBe(403);
    const asBob = await people.intake.post(
      route,
      { comment: 'bob says go', digest },
      people.as(await people.issuer.token({ email: 'bob@example.com', sub: 'bob-sub' }))
    );
    expect(asBob.status).toBe(409);
    expect(JSON.stringify(asBob.body)).toMatch(
      /bob@example.com may not approve on this pair \(rule pair decided-pair access.approve: alice@example.com\)/
    );
    expect(t.failoverPosts()).toHaveLength(0);

    const asAlice = await people.intake.post(
      route,
      { comment: 'INC-9: data loss accepted', digest },
      people.as(await people.issuer.token())
    );
    expect(asAlice.status, JSON.stringify(asAlice.body)).toBe(200);
    const report = (await t.handle(started).result()) as OperationReport;
    expect(report.outcome).toBe('failed-over');
    expect(report.approval?.identity).toMatchObject({
      actor: 'alice@example.com',
      method: 'oidc',
      keyId: 'intake',
      detail: `${people.issuer.issuer} · alice-sub`,
    });
    expect(report.approval?.approvals?.[0]).toMatchObject({ digest, via: 'api (oidc)' });
    expect(t.failoverPosts()).toHaveLength(1);
  });
});
