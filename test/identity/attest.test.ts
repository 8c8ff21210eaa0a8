import { describe, expect, it } from 'vitest';
import { attestedDecision, attestedStart, resolvedAlertCancel, type VerifiedPerson } from '../../src/identity/attest';
import { approverKeyLine, generateSigningKey, parseApproverKeys } from '../../src/identity/keys';
import { DecisionRefused, OPEN_ACCESS, verifyProof, type DecisionRules } from '../../src/shared/identity';

const intake = generateSigningKey('intake').key;
/** The worker's rules when its approver keys file holds the intake's `service` line. */
const rules: DecisionRules = {
  keys: parseApproverKeys(approverKeyLine(intake, 'service'), 'approver-keys').keys,
  access: OPEN_ACCESS,
  keysSource: 'approver-keys',
};
const alice: VerifiedPerson = { actor: 'alice@example.com', method: 'oidc', detail: 'https://id.example.com · a-1' };
const bot: VerifiedPerson = { actor: 'deploy-bot', method: 'token', detail: 'deploy-bot' };
const WF = 'dws-failover:0b5e1c2d7a9f4e3c8d6b2a1f0e9d8c7b:c8f3d3a2-5b1e-4f6a-9d2c-7e4b1a0f3d95';
const NOW = new Date('2025-11-27T03:00:00Z');

describe('the update arguments of a verified decision', () => {
  it('carry the person, the comment, how they were verified and a proof the worker verifies with the intake key', () => {
    const args = attestedDecision(
      intake,
      alice,
      { action: 'approve', workflowId: WF, runId: 'run-1', comment: 'INC-7', digest: 'sha256:0123456789abcdef' },
      NOW
    );
    expect(args).toMatchObject({ actor: 'alice@example.com', comment: 'INC-7', via: 'api (oidc)' });
    expect(args.proof.keyId).toBe('intake');
    expect(args.proof.statement).toEqual({
      v: 1,
      action: 'approve',
      workflowId: WF,
      runId: 'run-1',
      actor: 'alice@example.com',
      comment: 'INC-7',
      digest: 'sha256:0123456789abcdef',
      signedAt: NOW.toISOString(),
      attested: { method: 'oidc', detail: 'https://id.example.com · a-1' },
    });
    const expected = {
      action: 'approve' as const,
      workflowId: WF,
      runId: 'run-1',
      actor: args.actor,
      comment: 'INC-7',
    };
    expect(verifyProof(args.proof, { ...expected, now: NOW.getTime() + 5000 }, rules)).toEqual({
      actor: 'alice@example.com',
      method: 'oidc',
      keyId: 'intake',
      detail: 'https://id.example.com · a-1',
      signedAt: NOW.toISOString(),
    });
  });

  it('sign no digest for a reject or a cancel, and name a named token as such', () => {
    const args = attestedDecision(
      intake,
      bot,
      { action: 'cancel', workflowId: WF, runId: 'run-2', comment: 'false alarm', digest: 'sha256:0123456789abcdef' },
      NOW
    );
    expect(args.via).toBe('api (token)');
    expect(args.proof.statement.digest).toBeNull();
    const who = verifyProof(
      args.proof,
      {
        action: 'cancel',
        workflowId: WF,
        runId: 'run-2',
        actor: 'deploy-bot',
        comment: 'false alarm',
        now: NOW.getTime(),
      },
      rules
    );
    expect(who).toMatchObject({ actor: 'deploy-bot', method: 'token', detail: 'deploy-bot', keyId: 'intake' });
  });

  it('do not verify for another run, another comment, or with a key the worker does not trust', () => {
    const args = attestedDecision(
      intake,
      alice,
      { action: 'reject', workflowId: WF, runId: 'run-1', comment: 'no', digest: null },
      NOW
    );
    const expected = { action: 'reject' as const, workflowId: WF, runId: 'run-1', actor: alice.actor, comment: 'no' };
    const now = NOW.getTime();
    expect(() => verifyProof(args.proof, { ...expected, runId: 'run-9', now }, rules)).toThrow(DecisionRefused);
    expect(() => verifyProof(args.proof, { ...expected, comment: 'yes', now }, rules)).toThrow(/comment/);
    const other = generateSigningKey('intake').key;
    const untrusting = { ...rules, keys: parseApproverKeys(approverKeyLine(other, 'service'), 'keys').keys };
    expect(() => verifyProof(args.proof, { ...expected, now }, untrusting)).toThrow(/does not verify/);
  });
});

describe('a verified manual start', () => {
  it('is signed for the pair workflow with no run, the reason as the comment', () => {
    const proof = attestedStart(intake, alice, { workflowId: WF, reason: 'runbook DR-3' }, NOW);
    expect(proof.statement).toMatchObject({ action: 'start', runId: null, comment: 'runbook DR-3', digest: null });
    const who = verifyProof(
      proof,
      { action: 'start', workflowId: WF, runId: null, actor: alice.actor, comment: 'runbook DR-3', now: NOW.getTime() },
      rules
    );
    expect(who).toMatchObject({ actor: 'alice@example.com', method: 'oidc' });
  });
});

describe("a resolved alert's cancel", () => {
  const trigger = { source: 'alertmanager' as const, actor: 'dws-failover (http://am-a:9093)', ref: 'groupKey {}:{a}' };

  it('is signed by the intake key, attested as the alert sender and its reference', () => {
    const args = resolvedAlertCancel(intake, trigger, { workflowId: WF, runId: 'run-3' }, NOW);
    expect(args).toMatchObject({
      actor: 'alertmanager (dws-failover (http://am-a:9093))',
      comment: 'alert resolved (groupKey {}:{a})',
      via: 'alertmanager',
      onlyBeforeRequest: true,
    });
    const who = verifyProof(
      args.proof,
      {
        action: 'cancel',
        workflowId: WF,
        runId: 'run-3',
        actor: args.actor,
        comment: args.comment,
        now: NOW.getTime(),
      },
      rules
    );
    expect(who).toEqual({
      actor: args.actor,
      method: 'alert',
      keyId: 'intake',
      detail: 'dws-failover (http://am-a:9093) · groupKey {}:{a}',
      signedAt: NOW.toISOString(),
    });
  });

  it('goes unsigned without a key', () => {
    const args = resolvedAlertCancel(null, trigger, { workflowId: WF, runId: 'run-3' }, NOW);
    expect(args.proof).toBeUndefined();
    expect(args.onlyBeforeRequest).toBe(true);
  });
});
