/**
 * Verified decisions (DESIGN §2 approval gate): what a decider signs, how the workflow checks it, and the evidence
 * digest an approval is about. Sandbox-safe: Ed25519 and SHA-256 in plain JavaScript (@noble), no Node crypto, so
 * the workflow's own update validators verify signatures against the worker's trusted keys.
 *
 * Three kinds of signer (the worker's approver keys file, `DWS_FAILOVER_APPROVER_KEYS`):
 * - `person`: an operator's own Ed25519 key (the CLI signs with it); the key's name is the only actor it may sign for;
 * - `service`: the intake, which verified the person itself (an OIDC token or a named token) and attests it;
 * - `break-glass`: a sealed key for when the identity provider is down; any actor, recorded loudly.
 */
import { ed25519 } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha256';
import type { CheckResult, DrSnapshot } from './operation-model';

/** What a signed statement decides. */
export type DecisionAction = 'start' | 'approve' | 'reject' | 'cancel';

/** How a decider was verified. `drill`: a drill's own leg, cancelled by its drill (the worker, no person). */
export type VerificationMethod = 'key' | 'oidc' | 'token' | 'alert' | 'break-glass' | 'drill';

/** What a signer signs: one decision about one run, at one time. */
export interface DecisionStatement {
  v: 1;
  action: DecisionAction;
  workflowId: string;
  /** The run decided about; null for a start (the run does not exist yet). */
  runId: string | null;
  actor: string;
  comment: string;
  /** approve: the evidence digest the approver saw (`sha256:…`); null otherwise. */
  digest: string | null;
  /** When it was signed (ISO 8601); the workflow accepts it for {@link STATEMENT_LIFETIME_SECONDS}. */
  signedAt: string;
  /** Signed by a `service` key: how the service verified the actor (`oidc`, `token`, `alert`) and what it saw. */
  attested: { method: 'oidc' | 'token' | 'alert'; detail: string } | null;
}

/** A signed statement, as it travels in a decision or a start. */
export interface DecisionProof {
  /** The name of the signing key in the approver keys file. */
  keyId: string;
  statement: DecisionStatement;
  /** Ed25519 signature of {@link statementBytes}, base64url. */
  signature: string;
}

/** Who decided, as the workflow verified it. Recorded in the run and shown by the report. */
export interface VerifiedIdentity {
  actor: string;
  method: VerificationMethod;
  /** The key that signed (a person, the intake, a break-glass key); null for `drill`. */
  keyId: string | null;
  /** oidc: `issuer · subject`; token: the token's name; alert: the sender; otherwise null. */
  detail: string | null;
  signedAt: string | null;
}

/** One key the worker trusts. */
export interface TrustedKey {
  kind: 'person' | 'service' | 'break-glass';
  /** The person's name (the actor), the service's name, or the break-glass key's name. */
  name: string;
  /** `ed25519:` + base64url of the raw 32-byte public key. */
  publicKey: string;
}

/** Who may do what on one pair (the inventory's `access`, groups expanded). null: any verified person. */
export interface PairAccess {
  start: string[] | null;
  approve: string[] | null;
  cancel: string[] | null;
  /** The person who started or forced the run cannot approve it. */
  fourEyes: boolean;
  /** Distinct approvers the gate needs: 2 for a `critical` pair. */
  approvers: 1 | 2;
  /** The inventory rule each field came from, for refusals (`pair prod-a access.approve`, `defaults.access`…). */
  source: Partial<Record<'start' | 'approve' | 'cancel' | 'fourEyes' | 'approvers', string>>;
}

/** A pair without access rules: any verified person may start, approve and cancel; one approver. */
export const OPEN_ACCESS: PairAccess = Object.freeze({
  start: null,
  approve: null,
  cancel: null,
  fourEyes: false,
  approvers: 1,
  source: {},
}) as PairAccess;

/** What the worker tells a run about decisions on its pair. */
export interface DecisionRules {
  keys: TrustedKey[];
  access: PairAccess;
  /** Where the keys came from, for refusals (the approver keys file's path, or why there is none). */
  keysSource: string;
}

/** How long a signed statement is accepted after (and before, for clock skew) its `signedAt`. */
export const STATEMENT_LIFETIME_SECONDS = 600;

/** The exact bytes that are signed: a domain tag and the statement's fields in a fixed order. */
export function statementBytes(s: DecisionStatement): Uint8Array {
  const fields = [
    s.v,
    s.action,
    s.workflowId,
    s.runId,
    s.actor,
    s.comment,
    s.digest,
    s.signedAt,
    s.attested ? [s.attested.method, s.attested.detail] : null,
  ];
  return new TextEncoder().encode(`dws-failover decision v1\n${JSON.stringify(fields)}`);
}

const B64URL = /^[A-Za-z0-9_-]*$/;

/** base64url (no padding) to bytes, in plain JavaScript. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!B64URL.test(text)) return null;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of text) {
    buffer = (buffer << 6) | alphabet.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** The raw public key of `ed25519:<base64url>`, or null when it is not one. */
export function parsePublicKey(text: string): Uint8Array | null {
  if (!text.startsWith('ed25519:')) return null;
  const raw = fromBase64Url(text.slice('ed25519:'.length));
  return raw && raw.length === 32 ? raw : null;
}

/** A refusal that names the rule: thrown by the validators, shown to the decider. */
export class DecisionRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecisionRefused';
  }
}

export interface ExpectedDecision {
  action: DecisionAction;
  workflowId: string;
  runId: string | null;
  actor: string;
  comment: string;
  /** Workflow time (ms since epoch). */
  now: number;
}

const HOW_TO_SIGN =
  'decisions are signed: use `dws-failover` with your key (DWS_FAILOVER_SIGNING_KEY_FILE, see `dws-failover keys --help`) or the intake with your own token';

/**
 * Checks a proof against the trusted keys and the decision it claims to be. Pure: no I/O, no clock of its own.
 * @throws DecisionRefused naming what does not hold.
 */
export function verifyProof(
  proof: DecisionProof | undefined,
  expected: ExpectedDecision,
  rules: DecisionRules
): VerifiedIdentity {
  if (!proof || typeof proof !== 'object' || !proof.statement || typeof proof.signature !== 'string') {
    throw new DecisionRefused(`unsigned ${expected.action}: ${HOW_TO_SIGN}`);
  }
  const s = proof.statement;
  const mismatch = (field: string, got: unknown, want: unknown) =>
    new DecisionRefused(
      `the signed statement's ${field} is ${JSON.stringify(got)}, not ${JSON.stringify(want)}: it was signed for another decision`
    );
  if (s.v !== 1) throw new DecisionRefused(`unknown statement version ${JSON.stringify(s.v)}`);
  if (s.action !== expected.action) throw mismatch('action', s.action, expected.action);
  if (s.workflowId !== expected.workflowId) throw mismatch('workflowId', s.workflowId, expected.workflowId);
  if (expected.runId !== null && s.runId !== expected.runId) throw mismatch('runId', s.runId, expected.runId);
  if (s.actor !== expected.actor) throw mismatch('actor', s.actor, expected.actor);
  if (s.comment !== expected.comment) throw mismatch('comment', s.comment, expected.comment);
  const signedAt = Date.parse(s.signedAt);
  if (!Number.isFinite(signedAt)) throw new DecisionRefused(`signedAt ${JSON.stringify(s.signedAt)} is not a time`);
  const age = (expected.now - signedAt) / 1000;
  if (Math.abs(age) > STATEMENT_LIFETIME_SECONDS) {
    throw new DecisionRefused(
      `signed ${Math.round(age)} s ${age > 0 ? 'ago' : 'in the future'}; a signature is accepted for ${STATEMENT_LIFETIME_SECONDS} s: sign again (check the signer's clock)`
    );
  }
  const candidates = rules.keys.filter((k) => k.name === proof.keyId);
  if (candidates.length === 0) {
    throw new DecisionRefused(
      `key ${JSON.stringify(proof.keyId)} is not trusted by the worker (${rules.keysSource}): add its public key (\`dws-failover keys show\`) to the approver keys file`
    );
  }
  const signature = fromBase64Url(proof.signature);
  const bytes = statementBytes(s);
  const signer = candidates.find((k) => {
    const pub = parsePublicKey(k.publicKey);
    if (!pub || !signature || signature.length !== 64) return false;
    try {
      return ed25519.verify(signature, bytes, pub);
    } catch {
      return false;
    }
  });
  if (!signer) {
    throw new DecisionRefused(`the signature does not verify with the trusted key ${JSON.stringify(proof.keyId)}`);
  }
  if (signer.kind === 'person') {
    if (s.actor !== signer.name) {
      throw new DecisionRefused(`the key of ${signer.name} cannot sign for ${JSON.stringify(s.actor)}`);
    }
    if (s.attested) throw new DecisionRefused(`a person's key cannot attest someone else's identity`);
  }
  if (signer.kind === 'service' && !s.attested) {
    throw new DecisionRefused(`the service key ${signer.name} signed without saying how it verified`);
  }
  return identityFrom(proof, signer.kind);
}

/**
 * The identity a proof claims, by the kind of its signing key, without checking anything: for a proof already
 * verified (a handler replaying an update its validator accepted). Deterministic: no clock, no run ids.
 */
export function identityFrom(proof: DecisionProof, kind: TrustedKey['kind']): VerifiedIdentity {
  const s = proof.statement;
  if (kind === 'person')
    return { actor: s.actor, method: 'key', keyId: proof.keyId, detail: null, signedAt: s.signedAt };
  if (kind === 'service' && s.attested) {
    return {
      actor: s.actor,
      method: s.attested.method,
      keyId: proof.keyId,
      detail: s.attested.detail,
      signedAt: s.signedAt,
    };
  }
  return { actor: s.actor, method: 'break-glass', keyId: proof.keyId, detail: null, signedAt: s.signedAt };
}

/** Whether `actor` is on an access list (null: anyone verified). Case-insensitive, like e-mail addresses. */
export function allowed(list: string[] | null, actor: string): boolean {
  return list === null || list.some((name) => name.toLowerCase() === actor.toLowerCase());
}

/** Refuses an actor that the pair's access rules do not allow to `action`. Break-glass is allowed (and loud). */
export function checkAccess(rules: DecisionRules, action: 'start' | 'approve' | 'cancel', who: VerifiedIdentity): void {
  if (who.method === 'break-glass' || who.method === 'drill') return;
  const list = rules.access[action];
  if (!allowed(list, who.actor)) {
    const rule = rules.access.source[action] ?? `access.${action}`;
    throw new DecisionRefused(`${who.actor} may not ${action} on this pair (rule ${rule}: ${list?.join(', ')})`);
  }
}

/** The facts an approval is about. A change in any of them voids an approval given before it. */
export interface EvidenceFacts {
  checks: { id: string; passed: boolean }[];
  primaryClusterId: string | null;
  standbyClusterId: string | null;
  drStatus: string | null;
  /** The data-loss window against the budget: `within budget`, `over budget` or `unknown`. */
  dataLoss: string;
  /** A cross-region pair: which endpoint answered. */
  answeredBy: string | null;
}

/**
 * The data-loss window against the budget. Only crossing the budget voids an approval: the window of a pair whose
 * primary is down grows by the second while a person decides, and the approver knows it and saw the value.
 */
export function dataLossBand(windowSeconds: number | null, budgetSeconds: number): string {
  if (windowSeconds === null) return 'unknown';
  return windowSeconds <= budgetSeconds ? 'within budget' : 'over budget';
}

export function evidenceFacts(input: {
  checks: CheckResult[];
  snapshot: DrSnapshot | null;
  dataLossWindowSeconds: number | null;
  dataLossBudgetSeconds: number;
  answeredBy?: string | null;
}): EvidenceFacts {
  return {
    checks: input.checks.map((c) => ({ id: c.id, passed: c.passed })),
    primaryClusterId: input.snapshot?.primaryClusterId ?? null,
    standbyClusterId: input.snapshot?.standbyClusterId ?? null,
    drStatus: input.snapshot?.status ?? null,
    dataLoss: dataLossBand(input.dataLossWindowSeconds, input.dataLossBudgetSeconds),
    answeredBy: input.answeredBy ?? null,
  };
}

/** `sha256:` + the first 16 hex digits of the SHA-256 of the facts in a fixed order. */
export function evidenceDigest(facts: EvidenceFacts): string {
  const fixed = [
    facts.checks.map((c) => [c.id, c.passed]),
    facts.primaryClusterId,
    facts.standbyClusterId,
    facts.drStatus,
    facts.dataLoss,
    facts.answeredBy,
  ];
  const hash = sha256(new TextEncoder().encode(JSON.stringify(fixed)));
  let hex = '';
  for (const b of hash.slice(0, 8)) hex += b.toString(16).padStart(2, '0');
  return `sha256:${hex}`;
}

/** What changed between two sets of facts, in words (why an approval was voided). */
export function factChanges(before: EvidenceFacts, after: EvidenceFacts): string[] {
  const changes: string[] = [];
  const was = new Map(before.checks.map((c) => [c.id, c.passed]));
  for (const c of after.checks) {
    const old = was.get(c.id);
    if (old !== undefined && old !== c.passed) changes.push(`check ${c.id} ${c.passed ? 'now passes' : 'now fails'}`);
    if (old === undefined) changes.push(`check ${c.id} is new`);
  }
  if (before.dataLoss !== after.dataLoss) {
    changes.push(`the data-loss window went from ${before.dataLoss} to ${after.dataLoss}`);
  }
  if (before.primaryClusterId !== after.primaryClusterId || before.standbyClusterId !== after.standbyClusterId) {
    changes.push(
      `the topology changed: primary ${before.primaryClusterId} → ${after.primaryClusterId}, standby ${before.standbyClusterId} → ${after.standbyClusterId}`
    );
  }
  if (before.drStatus !== after.drStatus)
    changes.push(`the DR status went from ${before.drStatus} to ${after.drStatus}`);
  if (before.answeredBy !== after.answeredBy) {
    changes.push(`the answering endpoint went from ${before.answeredBy} to ${after.answeredBy}`);
  }
  return changes.length > 0 ? changes : ['the facts changed'];
}

/** How a verified identity reads in a report or a notification: `alice (signed with her key)`. */
export function describeIdentity(who: VerifiedIdentity | null | undefined): string {
  if (!who) return 'unverified';
  switch (who.method) {
    case 'key':
      return `${who.actor} (own key)`;
    case 'oidc':
      return `${who.actor} (OIDC ${who.detail ?? ''}, via ${who.keyId})`;
    case 'token':
      return `${who.actor} (named token ${who.detail ?? ''}, via ${who.keyId})`;
    case 'alert':
      return `${who.actor} (alert sender, via ${who.keyId})`;
    case 'break-glass':
      return `${who.actor} (BREAK-GLASS key ${who.keyId}: identity not verified by the identity provider)`;
    case 'drill':
      return `${who.actor} (its drill)`;
  }
}
