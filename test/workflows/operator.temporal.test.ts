import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/text';
import { workflowIds } from '../../src/shared/constants';
import { approveUpdate, cancelUpdate, progressQuery, rejectUpdate } from '../../src/shared/messages';
import { exitCodeOf, OUTCOMES } from '../../src/shared/outcomes';
import type { OperationReport } from '../../src/shared/operation-model';
import type { StartFailoverResult } from '../../src/operations/start-failover';
import { refusal, SECOND_APPROVER, signedDecision, TEST_APPROVER } from '../helpers/decisions';
import { recordHistory, scenario, type Scenario } from '../helpers/scenario';
import { until } from '../helpers/worker-process';

/** The first approver's signed approval of the run's gate (TEST_APPROVER's key, the gate's digest). */
const approval = { comment: 'INC-42: data loss accepted' };

async function resultOf(t: Scenario, started: StartFailoverResult): Promise<OperationReport> {
  const report = (await t.handle(started).result()) as OperationReport;
  recordHistory(started.workflowId, started.runId);
  return report;
}

describe('the approval gate', () => {
  it('waits for approval when the pair policy says always, and fails over once approved, naming the approver', async () => {
    const t = await scenario();
    t.sim.outage(t.primaryId);
    const started = await t.start({ policy: { approval: 'always' } });
    const waiting = await t.untilPhase(started, 'awaiting-approval');
    // The approver sees the measured window and every check before deciding.
    expect(waiting.dataLossWindowSeconds).toBeGreaterThan(0);
    expect(waiting.checks.every((c) => c.passed)).toBe(true);
    expect(waiting.approval?.reasons.join(' ')).toMatch(/policy requires approval/);
    expect(t.failoverPosts()).toHaveLength(0);

    const h = t.handle(started);
    const approved = await h.executeUpdate(approveUpdate, { args: [await signedDecision(h, 'approve', approval)] });
    expect(approved).toMatchObject({ decision: 'approved', actor: TEST_APPROVER });
    const report = await resultOf(t, started);
    expect(report.outcome).toBe('failed-over');
    expect(report.approval).toMatchObject({
      decision: 'approved',
      actor: TEST_APPROVER,
      comment: approval.comment,
      via: 'test',
    });
    expect(report.timeline.map((e) => e.phase)).toContain('awaiting-approval');
    expect(t.failoverPosts()).toHaveLength(1);
  });

  it('asks for approval when the data-loss window exceeds the budget, and a rejection sends nothing', async () => {
    const t = await scenario();
    t.sim.outage(t.primaryId);
    const started = await t.start({ policy: { dataLossBudgetSeconds: 1 } });
    const waiting = await t.untilPhase(started, 'awaiting-approval');
    expect(waiting.approval?.reasons.join(' ')).toMatch(/data-loss window/);

    const h = t.handle(started);
    const rejection = await signedDecision(h, 'reject', { key: SECOND_APPROVER, comment: 'too much data at risk' });
    await h.executeUpdate(rejectUpdate, { args: [rejection] });
    const report = await resultOf(t, started);
    expect(report.outcome).toBe('rejected');
    expect(report.summary).toContain(SECOND_APPROVER);
    expect(t.failoverPosts()).toHaveLength(0);
  });

  it('asks for approval when the data-loss window is unknown, and denies by default when nobody decides', async () => {
    const t = await scenario({ pair: { lastSuccessTime: null } });
    t.sim.outage(t.primaryId);
    const report = await t.run({ policy: { approvalTimeoutSeconds: 2 } });
    expect(report.outcome).toBe('approval-timed-out');
    expect(report.approval?.decision).toBe('timed-out');
    expect(report.approval?.reasons.join(' ')).toMatch(/unknown/);
    expect(report.dataLossWindowSeconds).toBeNull();
    expect(t.failoverPosts()).toHaveLength(0);
  });

  it('refuses a second decision, and decisions without actor or comment, with a clear message', async () => {
    const t = await scenario();
    t.sim.outage(t.primaryId);
    const started = await t.start({ policy: { approval: 'always' } });
    await t.untilPhase(started, 'awaiting-approval');
    const h = t.handle(started);
    // Signed as they are: the refusal names the missing field, whatever the signature.
    const noActor = await signedDecision(h, 'approve', { actor: '', comment: 'x' });
    expect(await refusal(h.executeUpdate(approveUpdate, { args: [noActor] }))).toMatch(/needs an actor/);
    const noComment = await signedDecision(h, 'approve', { comment: ' ' });
    expect(await refusal(h.executeUpdate(approveUpdate, { args: [noComment] }))).toMatch(/needs a comment/);
    await h.executeUpdate(approveUpdate, { args: [await signedDecision(h, 'approve', approval)] });
    const late = await signedDecision(h, 'reject', { key: SECOND_APPROVER, comment: 'from the intake' });
    const second = await refusal(h.executeUpdate(rejectUpdate, { args: [late] }));
    expect(second).toMatch(new RegExp(`already approved by ${TEST_APPROVER}`));
    const report = await resultOf(t, started);
    expect(report.outcome).toBe('failed-over');
    expect(report.approval?.actor).toBe(TEST_APPROVER);
  });
});

describe('cancel', () => {
  it('stops cleanly before the request is sent: cancelled, nothing sent, who and why recorded', async () => {
    const t = await scenario();
    t.sim.outage(t.primaryId);
    const started = await t.start({ policy: { approval: 'always' } });
    await t.untilPhase(started, 'awaiting-approval');
    const h = t.handle(started);
    await h.executeUpdate(cancelUpdate, { args: [await signedDecision(h, 'cancel', { comment: 'primary is back' })] });
    const report = await resultOf(t, started);
    expect(report.outcome).toBe('cancelled');
    expect(report.inServiceHands).toBe(false);
    expect(report.cancellation).toMatchObject({
      actor: TEST_APPROVER,
      comment: 'primary is back',
      afterRequest: false,
    });
    expect(t.failoverPosts()).toHaveLength(0);
  });

  it('after the request only stops waiting, and the report says the operation is in the service hands', async () => {
    const t = await scenario({ simulator: { failoverDurationMs: 60_000 } });
    t.sim.outage(t.primaryId);
    const started = await t.start();
    await t.untilPhase(started, 'polling');
    const h = t.handle(started);
    await h.executeUpdate(cancelUpdate, { args: [await signedDecision(h, 'cancel', { comment: 'stop waiting' })] });
    const report = await resultOf(t, started);
    expect(report.outcome).toBe('cancelled');
    expect(report.inServiceHands).toBe(true);
    expect(report.summary).toMatch(/in the service's hands/);
    expect(report.cancellation?.afterRequest).toBe(true);
    expect(t.failoverPosts()).toHaveLength(1);
  });

  it('treats a Temporal cancellation like an operator cancel', async () => {
    const t = await scenario();
    t.sim.outage(t.primaryId);
    const started = await t.start({ policy: { approval: 'always' } });
    await t.untilPhase(started, 'awaiting-approval');
    await t.handle(started).cancel();
    const report = await resultOf(t, started);
    expect(report.outcome).toBe('cancelled');
    expect(report.cancellation?.actor).toBe('temporal');
    expect(t.failoverPosts()).toHaveLength(0);
  });
});

describe('switchoverWorkflow', () => {
  it('switches the roles of a healthy running pair with no data loss', async () => {
    const t = await scenario();
    const started = await t.startPlanned('switchover');
    const report = await resultOf(t, started);
    expect(report.outcome).toBe('switched-over');
    expect(report.operation).toBe('switchover');
    expect(report.dataLossWindowSeconds).toBe(0);
    expect(t.sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/switchover'))).toHaveLength(1);
    expect(t.sim.state().disasterRecoveries.find((d) => d.id === t.drId)?.primaryClusterId).toBe(t.standbyId);
  });

  it('ends switchover-refused, exit code 6, when the service refuses the switchover request', async () => {
    const t = await scenario();
    t.sim.addFaults([
      { method: 'POST', path: `/v2/${t.projectId}/disaster-recovery/${t.drId}/switchover`, status: 400 },
    ]);
    const report = await resultOf(t, await t.startPlanned('switchover'));
    expect(report.outcome).toBe('switchover-refused');
    expect(OUTCOMES[report.outcome].code).toBe('SWITCHOVER_REFUSED');
    expect(exitCodeOf(report)).toBe(6);
    expect(report.summary).toMatch(/refused the switchover request/);
    expect(t.posts('switchover')).toHaveLength(1);
    expect(t.pair().primaryClusterId).toBe(t.primaryId);
  });

  it('refuses when the DR is not running, sending nothing', async () => {
    const t = await scenario();
    t.sim.outage(t.primaryId);
    const report = await resultOf(t, await t.startPlanned('switchover'));
    expect(report.outcome).toBe('precheck-failed');
    expect(report.checks.find((c) => c.id === 'dr-status')).toMatchObject({ passed: false, observed: 'abnormal' });
    expect(t.sim.requests().filter((r) => r.method === 'POST')).toHaveLength(0);
  });
});

describe('recoveryWorkflow', () => {
  it('re-attaches the old primary after a failover only once approved, ends with DR running, and can switch back', async () => {
    const t = await scenario();
    t.sim.outage(t.primaryId);
    expect((await t.run({ failedClusterId: t.primaryId })).outcome).toBe('failed-over');
    t.sim.restore(t.primaryId);

    const started = await t.startPlanned('recovery', { switchBack: true });
    const waiting = await t.untilPhase(started, 'awaiting-approval');
    expect(waiting.checks.find((c) => c.id === 'recovery-wipes-data')?.observed).toMatch(/will be deleted/);
    expect(t.sim.requests().filter((r) => r.path.endsWith('/recovery'))).toHaveLength(0);

    const h = t.handle(started);
    await h.executeUpdate(approveUpdate, { args: [await signedDecision(h, 'approve', approval)] });
    const report = await resultOf(t, started);
    expect(report.outcome).toBe('recovered');
    expect(report.switchBack?.outcome).toBe('switched-over');
    const dr = t.sim.state().disasterRecoveries.find((d) => d.id === t.drId);
    expect(dr?.status).toBe('running');
    expect(dr?.primaryClusterId).toBe(t.primaryId);
    expect(t.sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/recovery'))).toHaveLength(1);
  });

  it('shows switch-back-failed, exit code 10, when its switch back cannot run to its end', async () => {
    const t = await scenario();
    t.sim.outage(t.primaryId);
    expect((await t.run({ failedClusterId: t.primaryId })).outcome).toBe('failed-over');
    t.sim.restore(t.primaryId);

    // The switch back inherits the policy: it waits at its own gate, where someone terminates it.
    const started = await t.startPlanned('recovery', { switchBack: true, policy: { approval: 'always' } });
    await t.untilPhase(started, 'awaiting-approval');
    const h = t.handle(started);
    await h.executeUpdate(approveUpdate, { args: [await signedDecision(h, 'approve', approval)] });
    const back = t.client.workflow.getHandle(workflowIds.switchover(t.projectId, t.drId));
    await until('the switch back at its gate', async () =>
      (await back.query(progressQuery)).phase === 'awaiting-approval' ? true : undefined
    );
    await back.terminate('test: the switch back dies');

    const report = await resultOf(t, started);
    expect(report.outcome).toBe('recovered');
    expect(report.switchBack).toMatchObject({ workflowId: back.workflowId, outcome: 'switch-back-failed' });
    expect(report.switchBack?.summary).toMatch(/could not run.*reversed topology/);
    expect(exitCodeOf(report)).toBe(10);
    expect(renderReport(report)).toMatch(/SWITCH-BACK FAILED \[SWITCH_BACK_FAILED, exit 10\]/);
    expect(t.pair()).toMatchObject({ status: 'running', primaryClusterId: t.standbyId });
    expect(t.posts('switchover')).toHaveLength(0);
  });
});
