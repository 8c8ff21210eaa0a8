/**
 * Ed25519 keys on the Node side: the operator's signing key (the CLI), the intake's attesting key, and the worker's
 * approver keys file. Signatures are checked in the workflow by `src/shared/identity.ts`.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import {
  parsePublicKey,
  statementBytes,
  type DecisionProof,
  type DecisionStatement,
  type TrustedKey,
} from '../shared/identity';

/** A private key that signs decisions, under the name the worker trusts it by. */
export interface SigningKey {
  /** The key's name in the approver keys file: the person (their actor name), or the service. */
  name: string;
  /**
   * What the key is for, from its file's `# kind:` line (`keys generate --kind`): a break-glass key signs for the
   * person using it (`--actor`), any other only for its owner. @default 'person'
   */
  kind?: TrustedKey['kind'];
  privateKey: KeyObject;
  /** `ed25519:<base64url raw>`. */
  publicKey: string;
}

/** Where the CLI looks for the operator's key when DWS_FAILOVER_SIGNING_KEY_FILE is not set. */
export function defaultSigningKeyPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || path.join(homedir(), '.config');
  return path.join(base, 'dws-failover', 'signing-key.pem');
}

/** `ed25519:<base64url>` of a key object (private or public). */
export function publicKeyText(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = pub.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('not an Ed25519 key');
  return `ed25519:${jwk.x}`;
}

/**
 * Reads a PEM private key whose first line may be a `# name: <name>` comment (as `dws-failover keys generate`
 * writes it). @throws naming `what` and the fix when it is not an Ed25519 private key.
 */
export function parseSigningKey(pem: string, what: string, nameOverride?: string): SigningKey {
  const named = /^#\s*name:\s*(\S.*?)\s*$/m.exec(pem);
  const name = nameOverride ?? named?.[1];
  const kindLine = /^#\s*kind:\s*(\S+)\s*$/m.exec(pem)?.[1];
  if (kindLine !== undefined && !KINDS.has(kindLine)) {
    throw new Error(`${what} says "# kind: ${kindLine}"; a key is a person, service or break-glass key`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem.replace(/^#.*$/gm, '').trim());
  } catch {
    throw new Error(`${what} is not a PEM private key: create one with \`dws-failover keys generate --name <you>\``);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${what} is a ${privateKey.asymmetricKeyType} key; decisions are signed with Ed25519 keys`);
  }
  if (!name) {
    throw new Error(`${what} does not say whose key it is: its first line should be "# name: <you>"`);
  }
  return {
    name,
    privateKey,
    publicKey: publicKeyText(privateKey),
    ...(kindLine ? { kind: kindLine as TrustedKey['kind'] } : {}),
  };
}

/** A new key pair, as the PEM text `keys generate` writes (with its `# name:` line). */
export function generateSigningKey(
  name: string,
  kind: TrustedKey['kind'] = 'person'
): { pem: string; key: SigningKey } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const body = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const header = `# name: ${name}\n${kind === 'person' ? '' : `# kind: ${kind}\n`}`;
  const key: SigningKey = {
    name,
    privateKey,
    publicKey: publicKeyText(privateKey),
    ...(kind === 'person' ? {} : { kind }),
  };
  return { pem: `${header}${body}`, key };
}

/** Signs a statement. */
export function signStatement(key: SigningKey, statement: DecisionStatement): DecisionProof {
  const signature = sign(null, Buffer.from(statementBytes(statement)), key.privateKey).toString('base64url');
  return { keyId: key.name, statement, signature };
}

/** The line of the approver keys file that trusts `key` as `kind`. */
export function approverKeyLine(key: Pick<SigningKey, 'name' | 'publicKey'>, kind: TrustedKey['kind']): string {
  return `${kind} ${key.name} ${key.publicKey}`;
}

const KINDS = new Set(['person', 'service', 'break-glass']);

/**
 * Parses an approver keys file: one `<person|service|break-glass> <name> ed25519:<base64url>` per line, `#` comments.
 * @returns the keys and the problems, each naming its line and the fix.
 */
export function parseApproverKeys(text: string, file: string): { keys: TrustedKey[]; problems: string[] } {
  const keys: TrustedKey[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const where = `${file}:${i + 1}`;
    const parts = line.split(/\s+/);
    if (parts.length !== 3) {
      problems.push(
        `${where}: expected "<person|service|break-glass> <name> ed25519:<key>", got ${parts.length} fields`
      );
      return;
    }
    const [kind, name, publicKey] = parts as [string, string, string];
    if (!KINDS.has(kind)) {
      problems.push(`${where}: kind ${JSON.stringify(kind)} is not person, service or break-glass`);
      return;
    }
    if (!parsePublicKey(publicKey)) {
      problems.push(
        `${where}: ${JSON.stringify(publicKey.slice(0, 20))}… is not an Ed25519 public key (ed25519:<43 base64url characters>; \`dws-failover keys show\` prints it)`
      );
      return;
    }
    if (keys.some((k) => k.name === name && k.kind !== kind)) {
      problems.push(
        `${where}: ${name} is already a ${keys.find((k) => k.name === name)?.kind} key; one name, one kind`
      );
      return;
    }
    keys.push({ kind: kind as TrustedKey['kind'], name, publicKey });
  });
  return { keys, problems };
}

/** Reads the approver keys file. @throws naming the variable when it cannot be read. */
export function loadApproverKeys(
  file: string,
  variable = 'DWS_FAILOVER_APPROVER_KEYS'
): { keys: TrustedKey[]; problems: string[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { keys: [], problems: [`${variable}: cannot read ${file}: ${(err as Error).message}`] };
  }
  return parseApproverKeys(text, file);
}
