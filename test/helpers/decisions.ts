/**
 * Signed decisions in tests, as the CLI makes them: one key per person per test process (its PEM in a file too, for
 * the CLI's DWS_FAILOVER_SIGNING_KEY_FILE), the approver keys file a worker trusts them through, and the decision
 * inputs with their proofs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { expect } from 'vitest';
import { approverKeyLine, generateSigningKey, signStatement, type SigningKey } from '../../src/identity/keys';
import type { DecisionAction, DecisionProof, TrustedKey } from '../../src/shared/identity';
import { progressQuery } from '../../src/shared/messages';
import type { DecisionInput } from '../../src/shared/operation-model';

/** The person tests decide as by default. */
export const TEST_APPROVER = 'test-approver';
/** A second person: for a second approval, four eyes, someone other than the starter. */
export const SECOND_APPROVER = 'second-approver';
/**
 * The scenarios' own starter: a `service` key that attests the trigger's actor, as the intake does for a person it
 * verified, so a scenario's default start is signed (and its `force` holds) without a person's key.
 */
export const TEST_HARNESS = 'test-harness';

export interface TestKey {
  key: SigningKey;
  /** The PEM as `dws-failover keys generate` writes it. */
  pem: string;
  /** A file holding `pem` (mode 0600), for DWS_FAILOVER_SIGNING_KEY_FILE. */
  file: string;
}

let dir: string | null = null;
/** This process's folder for key files and approver keys files, removed when the process exits. */
function folder(): string {
  if (dir) return dir;
  const made = mkdtempSync(path.join(tmpdir(), 'dws-failover-keys-'));
  process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  dir = made;
  return made;
}

const keys = new Map<string, TestKey>();

/** The key of `name`, made once per test process. */
export function testKey(name: string = TEST_APPROVER): TestKey {
  const known = keys.get(name);
  if (known) return known;
  const { pem, key } = generateSigningKey(name);
  const file = path.join(folder(), `${name.replace(/[^\w.-]/g, '_')}-${keys.size}.pem`);
  writeFileSync(file, pem, { mode: 0o600 });
  const made = { key, pem, file };
  keys.set(name, made);
  return made;
}

/** One trusted key: a person by name, or a key of another kind. */
export type Trusted = string | { name: string; kind: TrustedKey['kind'] };

const files = new Map<string, string>();

/**
 * Writes an approver keys file trusting `trusted` (by default the two test people) and returns its path, for
 * DWS_FAILOVER_APPROVER_KEYS. The same list gives the same file.
 */
export function approverKeysFile(
  trusted: Trusted[] = [TEST_APPROVER, SECOND_APPROVER, { name: TEST_HARNESS, kind: 'service' }]
): string {
  const lines = trusted.map((t) => {
    const { name, kind } = typeof t === 'string' ? { name: t, kind: 'person' as const } : t;
    return approverKeyLine(testKey(name).key, kind);
  });
  const text = `${lines.join('\n')}\n`;
  const known = files.get(text);
  if (known) return known;
  const file = path.join(folder(), `approver-keys-${files.size}`);
  writeFileSync(file, text);
  files.set(text, file);
  return file;
}

/** The CLI environment that signs as `name` (its key file). */
export function signingEnv(name: string = TEST_APPROVER): Record<string, string> {
  return { DWS_FAILOVER_SIGNING_KEY_FILE: testKey(name).file };
}

export interface SignedDecisionOptions {
  comment: string;
  /** Who the statement and the input name; default: the key's owner. Another name makes a proof the run refuses. */
  actor?: string;
  /** approve: the evidence digest approved; default: the gate's, read with the progress query. */
  digest?: string | null;
  /** The signer: a test person's name or a key. @default TEST_APPROVER */
  key?: string | SigningKey;
  /** @default 'test' */
  via?: string;
  /** When the statement was signed. @default now */
  signedAt?: Date;
  /** With ids for `target` and no digest: the client that reads the gate's digest. */
  client?: Client;
}

/**
 * The input of an approve, reject or cancel update, with the proof the CLI would send: signed for the run of
 * `target` (a handle: its current run, described; or the ids).
 */
export async function signedDecision(
  target: WorkflowHandle | { workflowId: string; runId: string },
  action: Exclude<DecisionAction, 'start'>,
  options: SignedDecisionOptions
): Promise<DecisionInput> {
  const key = typeof options.key === 'object' ? options.key : testKey(options.key).key;
  const actor = options.actor ?? key.name;
  const isHandle = 'describe' in target;
  const runId = isHandle ? (await target.describe()).runId : target.runId;
  let digest: string | null = null;
  if (action === 'approve') {
    if (options.digest !== undefined) digest = options.digest;
    else {
      const handle = isHandle ? target : options.client?.workflow.getHandle(target.workflowId, target.runId);
      if (!handle) throw new Error('signedDecision: give the digest, a handle or a client to read it from the gate');
      digest = (await handle.query(progressQuery)).approval?.digest ?? null;
    }
  }
  const proof = signStatement(key, {
    v: 1,
    action,
    workflowId: target.workflowId,
    runId,
    actor,
    comment: options.comment,
    digest,
    signedAt: (options.signedAt ?? new Date()).toISOString(),
    attested: null,
  });
  return { actor, comment: options.comment, via: options.via ?? 'test', proof };
}

/** A signed manual start (action start, no run yet), as the CLI sends it: actor the key's owner, comment the reason. */
export function signedStart(
  workflowId: string,
  reason: string,
  key: string | SigningKey = TEST_APPROVER
): DecisionProof {
  const signer = typeof key === 'object' ? key : testKey(key).key;
  return signStatement(signer, {
    v: 1,
    action: 'start',
    workflowId,
    runId: null,
    actor: signer.name,
    comment: reason,
    digest: null,
    signedAt: new Date().toISOString(),
    attested: null,
  });
}

/** The scenarios' default start, signed by {@link TEST_HARNESS} for the trigger's actor (attested as a named token). */
export function harnessStart(workflowId: string, actor: string, reason: string): DecisionProof {
  return signStatement(testKey(TEST_HARNESS).key, {
    v: 1,
    action: 'start',
    workflowId,
    runId: null,
    actor,
    comment: reason,
    digest: null,
    signedAt: new Date().toISOString(),
    attested: { method: 'token', detail: 'test harness' },
  });
}

/** The validator's message of a refused update (the run's own words, as the sender sees them). */
export async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => {
      throw new Error('expected the update to be refused');
    },
    (e: unknown) => e
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return String((err as WorkflowUpdateFailedError).cause?.message);
}
