/**
 * Verified decisions in the workflow itself (docs/decisions.md): the validators check every decision's signature
 * against the worker's approver keys, the pair's access rules, four eyes and the evidence digest — whoever sends the
 * update, even straight through a Temporal client.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { approverKeyLine, generateSigningKey, type SigningKey } from '../../src/identity/keys';
import { signStart } from '../../src/identity/statements';
import { workflowIds } from '../../src/shared/constants';
import type { DecisionProof } from '../../src/shared/identity';
import { approveUpdate, cancelUpdate, progressQuery, rejectUpdate } from '../../src/shared/messages';
import type { OperationReport } from '../../src/shared/operation-model';
import type { StartFailoverResult } from '../../src/operations/start-failover';
import { refusal, signedDecision, TEST_HARNESS, testKey } from '../helpers/decisions';
import { recordHistory, scenario, type Scenario } from '../helpers/scenario';
import { startReceiver } from '../notify/receiver';

const alice = generateSigningKey('alice').key;
const bob = generateSigningKey('bob').key;
const carol = generateSigningKey('carol').key;
/** A key nobody trusts, under a trusted name. */
const impostor = generateSigningKey('alice').key;
/** The sealed key for when the identity provider is down. */
const glass = generateSigningKey('sealed-2026').key;

/** The worker's approver keys file trusting alice, bob and carol, and the break-glass key. */
function approverKeys(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dws-approvers-'));
  const file = path.join(dir, 'approvers');
  const lines = [alice, bob, carol].map((k) => approverKeyLine(k, 'person'));
  // The scenario signs its default start with the test harness's service key: trusted too.
  const harness = approverKeyLine(testKey(TEST_HARNESS).key, 'service');
  writeFileSync(file, [...lines, approverKeyLine(glass, 'break-glass'), harness].join('\n') + '\n');
  return file;
}

/** An inventory naming the scenario's pair with `extra` (YAML lines indented four spaces) and `top` lines. */
function inventory(
  t: { projectId: string; drId: string; primaryId: string; standbyId: string },
  extra: string,
  top = ''
): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dws-inventory-'));
  const file = path.join(dir, 'inventory.yaml');
  writeFileSync(
    file,
    `version: 1
${top}pairs:
  - name: verified-pair
    project_id: ${t.projectId}
    dr_id: ${t.drId}
    clusters:
      - { id: ${t.primaryId}, name: prod }
      - { id: ${t.standbyId}, name: dr }
${extra}`
  );
  return file;
}

/** A scenario whose worker trusts alice, bob and carol, with the pair's `access` lines (if any). */
async function verifiedScenario(access?: { extra: string; top?: string }): Promise<Scenario> {
  const ids = {
    projectId: randomHex(),
    drId: crypto.randomUUID(),
    primaryId: crypto.randomUUID(),
    standbyId: crypto.randomUUID(),
  };
  const env: Record<string, string> = { DWS_FAILOVER_APPROVER_KEYS: approverKeys() };
  if (access) env.DWS_FAILOVER_INVENTORY = inventory(ids, access.extra, access.top);
  return scenario({
    pair: { id: ids.drId, projectId: ids.projectId, primary: { id: ids.primaryId }, standby: { id: ids.standbyId } },
    env,
  });
}

const randomHex = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

/** The scenario's failover start (reason `test`) signed by `key`. */
const startSignedBy = (t: Scenario, key: SigningKey): DecisionProof =>
  signStart(key, { workflowId: workflowIds.failover(t.projectId, t.drId), reason: 'test' });

async function resultOf(t: Scenario, started: StartFailoverResult): Promise<OperationReport> {
  const report = (await t.handle(started).result()) as OperationReport;
  recordHistory(started.workflowId, started.runId);
  return report;
}

describe('verified decisions', () => {
  it('refuses an unsigned update, a wrongly signed one and one signed for another decision, sent straight through the Temporal client, then approves a signed one', async () => {
    const t = await verifiedScenario();
    t.sim.outage(t.primaryId);
    const started = await t.start({ policy: { approval: 'always' } });
    const waiting = await t.untilPhase(started, 'awaiting-approval');
    expect(waiting.approval?.digest).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(waiting.approval?.facts?.checks.length).toBeGreaterThan(0);
    const h = t.handle(started);

    const comment = 'INC-7: data loss accepted';
    expect(await refusal(h.executeUpdate(approveUpdate, { args: [{ actor: 'alice', comment }] }))).toMatch(
      /unsigned approve/
    );
    // The right name, the wrong key.
    const forged = await signedDecision(h, 'approve', { key: impostor, comment });
    expect(await refusal(h.executeUpdate(approveUpdate, { args: [forged] }))).toMatch(
      /does not verify with the trusted key "alice"/
    );
    // A key that signs for someone else.
    const asBob = await signedDecision(h, 'approve', { key: alice, comment, actor: 'bob' });
    expect(await refusal(h.executeUpdate(approveUpdate, { args: [asBob] }))).toMatch(/cannot sign for "bob"/);
    // Signed for another decision: a cancel statement sent as an approval, and a changed comment.
    const cancel = await signedDecision(h, 'cancel', { key: alice, comment });
    expect(await refusal(h.executeUpdate(approveUpdate, { args: [cancel] }))).toMatch(/action is "cancel"/);
    const good = await signedDecision(h, 'approve', { key: alice, comment });
    expect(await refusal(h.executeUpdate(approveUpdate, { args: [{ ...good, comment: 'something else' }] }))).toMatch(
      /comment/
    );
    // Unsigned reject and cancel are refused alike.
    expect(await refusal(h.executeUpdate(rejectUpdate, { args: [{ actor: 'alice', comment }] }))).toMatch(
      /unsigned reject/
    );
    expect(await refusal(h.executeUpdate(cancelUpdate, { args: [{ actor: 'alice', comment }] }))).toMatch(
      /unsigned cancel/
    );
    expect(t.failoverPosts()).toHaveLength(0);

    const approval = await h.executeUpdate(approveUpdate, { args: [good] });
    expect(approval).toMatchObject({ decision: 'approved', actor: 'alice' });
    const report = await resultOf(t, started);
    expect(report.outcome).toBe('failed-over');
    expect(report.approval?.identity).toMatchObject({ actor: 'alice', method: 'key', keyId: 'alice' });
    expect(report.approval?.approvals).toEqual([
      expect.objectContaining({ actor: 'alice', digest: waiting.approval?.digest, comment }),
    ]);
    expect(t.failoverPosts()).toHaveLength(1);
  });

  it('four eyes: the person who started the run cannot approve it; another approver can', async () => {
    const t = await verifiedScenario({ extra: '    access: { four_eyes: true }\n' });
    t.sim.outage(t.primaryId);
    const started = await t.start({
      policy: { approval: 'always' },
      trigger: { source: 'cli', ref: 'cli:alice', receivedAt: new Date().toISOString(), actor: 'alice' },
      proof: startSignedBy(t, alice),
      force: true,
    });
    const waiting = await t.untilPhase(started, 'awaiting-approval');
    expect(waiting.startedBy).toMatchObject({ actor: 'alice', method: 'key' });
    // force is an approval given up front: on a four-eyes pair it does not skip the gate.
    expect(waiting.timeline.map((e) => e.note).join(' ')).toMatch(/force ignored: four eyes/);
    const h = t.handle(started);
    const self = await signedDecision(h, 'approve', { key: alice, comment: 'my own failover' });
    expect(await refusal(h.executeUpdate(approveUpdate, { args: [self] }))).toMatch(
      /four eyes \(rule pair verified-pair access.four_eyes\): alice started this run and cannot approve it; another approver must/
    );
    await h.executeUpdate(approveUpdate, {
      args: [await signedDecision(h, 'approve', { key: bob, comment: 'second pair of eyes' })],
    });
    const report = await resultOf(t, started);
    expect(report.outcome).toBe('failed-over');
    expect(report.approval).toMatchObject({ actor: 'bob', identity: { actor: 'bob', method: 'key' } });
    expect(t.failoverPosts()).toHaveLength(1);
  });

  it('a critical pair needs two distinct approvers; the same one twice does not count', async () => {
    const t = await verifiedScenario({ extra: '    critical: true\n' });
    t.sim.outage(t.primaryId);
    const started = await t.start({ policy: { approval: 'always' } });
    const waiting = await t.untilPhase(started, 'awaiting-approval');
    expect(waiting.approval?.required).toBe(2);
    const h = t.handle(started);
    await h.executeUpdate(approveUpdate, {
      args: [await signedDecision(h, 'approve', { key: alice, comment: 'one' })],
    });
    const half = await h.query(progressQuery);
    expect(half.phase).toBe('awaiting-approval');
    expect(half.approval?.decision).toBeNull();
    expect(half.approval?.approvals?.map((a) => a.actor)).toEqual(['alice']);
    expect(
      await refusal(
        h.executeUpdate(approveUpdate, { args: [await signedDecision(h, 'approve', { key: alice, comment: 'two' })] })
      )
    ).toMatch(/alice already approved .*needs 2 distinct approvers \(rule pair verified-pair critical\)/);
    expect(t.failoverPosts()).toHaveLength(0);
    await h.executeUpdate(approveUpdate, {
      args: [await signedDecision(h, 'approve', { key: carol, comment: 'two' })],
    });
    const report = await resultOf(t, started);
    expect(report.outcome).toBe('failed-over');
    expect(report.approval).toMatchObject({ decision: 'approved', actor: 'alice and carol' });
    expect(t.failoverPosts()).toHaveLength(1);
  });

  it('refuses people the access rules do not name, saying which rule refused', async () => {
    const t = await verifiedScenario({
      top: 'groups:\n  dba: [alice, bob]\n',
      extra: '    access: { approve: [group:dba], cancel: [alice] }\n',
    });
    t.sim.outage(t.primaryId);
    const started = await t.start({ policy: { approval: 'always' } });
    await t.untilPhase(started, 'awaiting-approval');
    const h = t.handle(started);
    expect(
      await refusal(
        h.executeUpdate(approveUpdate, { args: [await signedDecision(h, 'approve', { key: carol, comment: 'x' })] })
      )
    ).toMatch(/carol may not approve on this pair \(rule pair verified-pair access.approve: alice, bob\)/);
    expect(
      await refusal(
        h.executeUpdate(rejectUpdate, { args: [await signedDecision(h, 'reject', { key: carol, comment: 'x' })] })
      )
    ).toMatch(/carol may not approve/);
    expect(
      await refusal(
        h.executeUpdate(cancelUpdate, { args: [await signedDecision(h, 'cancel', { key: bob, comment: 'x' })] })
      )
    ).toMatch(/bob may not cancel on this pair \(rule pair verified-pair access.cancel: alice\)/);
    const cancelled = await h.executeUpdate(cancelUpdate, {
      args: [await signedDecision(h, 'cancel', { key: alice, comment: 'false alarm' })],
    });
    expect(cancelled).toMatchObject({ actor: 'alice', identity: { actor: 'alice', method: 'key' } });
    const report = await resultOf(t, started);
    expect(report.outcome).toBe('cancelled');
    expect(t.failoverPosts()).toHaveLength(0);
  });

  it('ends a manual start that is unsigned, or signed by someone who may not start, as not-authorised before reading anything', async () => {
    const t = await verifiedScenario({ extra: '    access: { start: [alice] }\n' });
    const unsigned = await t.start({
      trigger: { source: 'cli', ref: 'cli:mallory', receivedAt: new Date().toISOString(), actor: 'mallory' },
    });
    const first = await resultOf(t, unsigned);
    expect(first.outcome).toBe('not-authorised');
    expect(first.summary).toMatch(/unsigned cli start .*rule pair verified-pair access.start/);
    const byBob = await t.start({
      trigger: { source: 'cli', ref: 'cli:bob', receivedAt: new Date().toISOString(), actor: 'bob' },
      proof: startSignedBy(t, bob),
    });
    const second = await resultOf(t, byBob);
    expect(second.outcome).toBe('not-authorised');
    expect(second.summary).toMatch(/bob may not start on this pair/);
    expect(t.sim.requests().filter((r) => r.method === 'GET')).toHaveLength(0);
    const byAlice = await t.start({
      trigger: { source: 'cli', ref: 'cli:alice', receivedAt: new Date().toISOString(), actor: 'alice' },
      proof: startSignedBy(t, alice),
    });
    t.sim.outage(t.primaryId);
    const third = await resultOf(t, byAlice);
    expect(third.startedBy).toMatchObject({ actor: 'alice', method: 'key' });
    expect(third.outcome).toBe('failed-over');
  });

  it("tells the pair's notification targets of a start that was not authorised, still reading nothing", async () => {
    const r = await startReceiver();
    const t = await verifiedScenario({
      extra: `    access: { start: [alice] }\n    notify:\n      - { type: webhook, name: generic, url: "${r.url}/generic" }\n`,
    });
    const unsigned = await t.start({
      trigger: { source: 'cli', ref: 'cli:mallory', receivedAt: new Date().toISOString(), actor: 'mallory' },
    });
    const report = await resultOf(t, unsigned);
    expect(report.outcome).toBe('not-authorised');
    expect(t.sim.requests()).toHaveLength(0);
    await until(() => r.received.length >= 1);
    expect(r.received[0]?.body).toMatchObject({
      kind: 'failed',
      title: 'Failover not started: the start was not authorised',
      outcome: 'not-authorised',
      summary: expect.stringMatching(/Not authorised: an unsigned cli start by "mallory".*Nothing was read or sent\.$/),
    });
  });

  it('break-glass: the sealed key approves for a person the access rules do not name, and every later notification says so loudly', async () => {
    const r = await startReceiver();
    const t = await verifiedScenario({
      extra: `    access: { approve: [alice] }\n    notify:\n      - { type: webhook, name: generic, url: "${r.url}/generic" }\n`,
    });
    t.sim.outage(t.primaryId);
    const started = await t.start({ policy: { approval: 'always' } });
    await t.untilPhase(started, 'awaiting-approval');
    const h = t.handle(started);
    const approval = await signedDecision(h, 'approve', {
      key: glass,
      comment: 'IdP down during INC-11; dave approves',
      actor: 'dave',
    });
    await h.executeUpdate(approveUpdate, { args: [approval] });
    const report = await resultOf(t, started);
    expect(report.outcome).toBe('failed-over');
    expect(report.approval?.identity).toMatchObject({ actor: 'dave', method: 'break-glass', keyId: 'sealed-2026' });
    const text = (m: { body: unknown }) => JSON.stringify(m.body);
    await until(() => r.received.some((m) => /completed/i.test(text(m))));
    const after = r.received.filter((m) =>
      /approved|request-sent|completed/.test(String((m.body as { kind?: string }).kind))
    );
    expect(after.length).toBeGreaterThanOrEqual(2);
    for (const m of after) expect(text(m)).toMatch(/BREAK-GLASS/);
    expect(
      r.received
        .filter((m) => (m.body as { kind?: string }).kind === 'approved')
        .map(text)
        .join(' ')
    ).toMatch(/dave/);
  });

  it('voids an approval when the data-loss window grows past the budget before the request, and waits for a new one', async () => {
    const t = await verifiedScenario();
    // The standby last synced 60 s ago and the primary is down: the window grows by the second.
    t.sim.outage(t.primaryId);
    const budget = 66;
    const started = await t.start({ policy: { approval: 'always', dataLossBudgetSeconds: budget } });
    const waiting = await t.untilPhase(started, 'awaiting-approval');
    expect(waiting.approval?.facts?.dataLoss).toBe('within budget');
    const window = waiting.dataLossWindowSeconds ?? 0;
    expect(window).toBeLessThan(budget);
    const h = t.handle(started);
    // Signed about what the gate showed, sent once the window is past the budget.
    const seen = await signedDecision(h, 'approve', { key: alice, comment: 'within budget, go' });
    const observed = Date.parse(waiting.snapshot?.observedAt ?? new Date().toISOString());
    await new Promise((r) => setTimeout(r, Math.max(0, observed + (budget - window + 1.5) * 1000 - Date.now())));
    await h.executeUpdate(approveUpdate, { args: [seen] });

    const again = await waitFor(h, (s) => (s.approval?.voided?.length ?? 0) > 0 && s.phase === 'awaiting-approval');
    const voided = again.approval?.voided?.[0];
    expect(voided?.approvals.map((a) => a.actor)).toEqual(['alice']);
    expect(voided?.digest).toBe(waiting.approval?.digest);
    expect(voided?.changes.join(' ')).toMatch(/data-loss window went from within budget to over budget/);
    expect(again.approval?.decision).toBeNull();
    expect(again.approval?.digest).not.toBe(waiting.approval?.digest);
    expect(again.approval?.facts?.dataLoss).toBe('over budget');
    expect(t.failoverPosts()).toHaveLength(0);
    // The old approval, sent again, is about the old facts.
    const stale = await signedDecision(h, 'approve', {
      key: bob,
      comment: 'old facts',
      digest: waiting.approval?.digest ?? null,
    });
    expect(await refusal(h.executeUpdate(approveUpdate, { args: [stale] }))).toMatch(
      /the approval is about sha256:[0-9a-f]+, but the gate shows sha256:/
    );

    await h.executeUpdate(approveUpdate, {
      args: [await signedDecision(h, 'approve', { key: alice, comment: 'over budget, accepted' })],
    });
    const report = await resultOf(t, started);
    expect(report.outcome).toBe('failed-over');
    expect(report.approval?.approvals?.map((a) => a.comment)).toEqual(['over budget, accepted']);
    expect(report.approval?.voided).toHaveLength(1);
    expect(t.failoverPosts()).toHaveLength(1);
  });
});

async function until(fn: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitFor(
  h: WorkflowHandle,
  until: (s: Awaited<ReturnType<WorkflowHandle['query']>> & OperationReport) => boolean,
  timeoutMs = 30_000
): Promise<OperationReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = (await h.query(progressQuery)) as OperationReport;
    if (until(s)) return s;
    if (s.outcome) throw new Error(`ended as ${s.outcome}: ${s.summary}`);
    if (Date.now() > deadline) throw new Error(`not reached; phase ${s.phase}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
