/**
 * An intake that verifies people: a loopback OIDC issuer, a named tokens file and the intake's signing key, on top
 * of the shared token and HMAC secret of the harness.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import { generateSigningKey, type SigningKey } from '../../src/identity/keys';
import { startIntake, type Intake, type IntakeOptions } from './harness';
import { startTestIssuer, type TestIssuer } from './oidc-issuer';

/** The named token of `deploy-bot` in the file. */
export const BOT_TOKEN = 'deploy-bot-token-0123456789abcdef0123';

export interface PeopleIntake {
  intake: Intake;
  issuer: TestIssuer;
  /** The intake's key; null with `signingKey: false`. */
  key: SigningKey | null;
  /** Headers with `Authorization: Bearer <token>`. */
  as(token: string): Record<string, string>;
}

/** A failover workflow id of this service, of a random pair. */
export const workflowIdOf = (projectId = randomUUID().replace(/-/g, ''), drId = randomUUID()): string =>
  `dws-failover:${projectId}:${drId}`;

/** Starts the issuer and the intake; `signingKey: false` leaves DWS_FAILOVER_INTAKE_SIGNING_KEY unset. */
export async function startPeopleIntake(options: IntakeOptions & { signingKey?: boolean } = {}): Promise<PeopleIntake> {
  const issuer = await startTestIssuer();
  const dir = mkdtempSync(path.join(tmpdir(), 'dws-intake-people-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const tokens = path.join(dir, 'people-tokens');
  const hash = createHash('sha256').update(BOT_TOKEN).digest('hex');
  writeFileSync(tokens, `# automation that may decide\ndeploy-bot sha256:${hash}\n`);
  const generated = options.signingKey === false ? null : generateSigningKey('intake');
  const env: Record<string, string> = {
    ...issuer.env(),
    DWS_FAILOVER_INTAKE_PEOPLE_TOKENS: tokens,
    ...options.env,
  };
  if (generated) {
    env.DWS_FAILOVER_INTAKE_SIGNING_KEY_FILE = path.join(dir, 'intake.pem');
    writeFileSync(env.DWS_FAILOVER_INTAKE_SIGNING_KEY_FILE, generated.pem);
  }
  const intake = await startIntake({ ...options, env });
  return {
    intake,
    issuer,
    key: generated?.key ?? null,
    as: (token) => ({ authorization: `Bearer ${token}` }),
  };
}
