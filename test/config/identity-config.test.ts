import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { generateSigningKey } from '../../src/identity/keys';

const dir = mkdtempSync(path.join(tmpdir(), 'dws-failover-identity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError, but the configuration was accepted');
}

const ISSUER = 'https://login.example.com/realms/ops';

describe('intake OIDC settings', () => {
  it('are off without an issuer; with one, the key set, claim and clock skew take their defaults', () => {
    expect(loadConfig({}).intake.oidc).toBeNull();
    const config = loadConfig({ DWS_FAILOVER_OIDC_ISSUER: `${ISSUER}/`, DWS_FAILOVER_OIDC_AUDIENCE: 'dws-failover' });
    expect(config.intake.oidc).toEqual({
      issuer: `${ISSUER}/`,
      audience: 'dws-failover',
      jwksUrl: `${ISSUER}/.well-known/jwks.json`,
      claim: 'email',
      clockSkewSeconds: 60,
    });
  });

  it('take the key set URL, the claim and the clock skew as configured', () => {
    const config = loadConfig({
      DWS_FAILOVER_OIDC_ISSUER: ISSUER,
      DWS_FAILOVER_OIDC_AUDIENCE: 'dws-failover',
      DWS_FAILOVER_OIDC_JWKS_URL: `${ISSUER}/protocol/openid-connect/certs`,
      DWS_FAILOVER_OIDC_CLAIM: 'preferred_username',
      DWS_FAILOVER_OIDC_CLOCK_SKEW: '2m',
    });
    expect(config.intake.oidc).toMatchObject({
      jwksUrl: `${ISSUER}/protocol/openid-connect/certs`,
      claim: 'preferred_username',
      clockSkewSeconds: 120,
    });
  });

  it('require the audience, https (http only on loopback), an issuer for the other settings, and a duration', () => {
    expect(problemsOf({ DWS_FAILOVER_OIDC_ISSUER: ISSUER })).toEqual([
      expect.stringMatching(/^DWS_FAILOVER_OIDC_AUDIENCE is required with DWS_FAILOVER_OIDC_ISSUER/),
    ]);
    expect(
      problemsOf({ DWS_FAILOVER_OIDC_ISSUER: 'http://login.example.com', DWS_FAILOVER_OIDC_AUDIENCE: 'a' })
    ).toEqual([expect.stringMatching(/^DWS_FAILOVER_OIDC_ISSUER='http:\/\/login.example.com' must be an https URL/)]);
    expect(
      loadConfig({ DWS_FAILOVER_OIDC_ISSUER: 'http://127.0.0.1:5556', DWS_FAILOVER_OIDC_AUDIENCE: 'a' }).intake.oidc
        ?.jwksUrl
    ).toBe('http://127.0.0.1:5556/.well-known/jwks.json');
    expect(problemsOf({ DWS_FAILOVER_OIDC_AUDIENCE: 'a', DWS_FAILOVER_OIDC_CLAIM: 'sub' })).toEqual([
      'DWS_FAILOVER_OIDC_AUDIENCE is set but DWS_FAILOVER_OIDC_ISSUER is not; set the issuer too.',
      'DWS_FAILOVER_OIDC_CLAIM is set but DWS_FAILOVER_OIDC_ISSUER is not; set the issuer too.',
    ]);
    expect(
      problemsOf({
        DWS_FAILOVER_OIDC_ISSUER: ISSUER,
        DWS_FAILOVER_OIDC_AUDIENCE: 'a',
        DWS_FAILOVER_OIDC_CLOCK_SKEW: 'soon',
      })
    ).toEqual([expect.stringMatching(/^DWS_FAILOVER_OIDC_CLOCK_SKEW='soon' is not a duration/)]);
  });
});

describe('intake named tokens', () => {
  it('are read from DWS_FAILOVER_INTAKE_PEOPLE_TOKENS; its bad lines are problems naming file:line', () => {
    const hash = createHash('sha256').update('alice-token').digest('hex');
    const good = file('tokens', `alice sha256:${hash}\n`);
    expect(loadConfig({ DWS_FAILOVER_INTAKE_PEOPLE_TOKENS: good }).intake.peopleTokens).toEqual({
      path: good,
      tokens: [{ name: 'alice', sha256: Buffer.from(hash, 'hex') }],
    });
    const bad = file('bad-tokens', `# people\nbob s3cret\n`);
    expect(problemsOf({ DWS_FAILOVER_INTAKE_PEOPLE_TOKENS: bad })).toEqual([
      `DWS_FAILOVER_INTAKE_PEOPLE_TOKENS: ${bad}:2: the token of bob must be written as sha256:<64 hex> (its hash, never the token itself); make it with \`printf %s "$TOKEN" | sha256sum\``,
    ]);
    expect(problemsOf({ DWS_FAILOVER_INTAKE_PEOPLE_TOKENS: path.join(dir, 'missing') })).toEqual([
      expect.stringMatching(/^DWS_FAILOVER_INTAKE_PEOPLE_TOKENS='.*missing' cannot be read \(ENOENT\)/),
    ]);
  });

  it("refuse a line holding the shared intake token's hash", () => {
    const shared = 'shared-intake-token-0123456789abcdef';
    const tokens = file('shared', `alerts sha256:${createHash('sha256').update(shared).digest('hex')}\n`);
    expect(problemsOf({ DWS_FAILOVER_INTAKE_TOKEN: shared, DWS_FAILOVER_INTAKE_PEOPLE_TOKENS: tokens })).toEqual([
      expect.stringContaining(`${tokens}:1: the token of alerts is DWS_FAILOVER_INTAKE_TOKEN`),
    ]);
  });
});

describe('intake signing key', () => {
  it('is read from DWS_FAILOVER_INTAKE_SIGNING_KEY_FILE with its name', () => {
    const { pem, key } = generateSigningKey('intake');
    const config = loadConfig({ DWS_FAILOVER_INTAKE_SIGNING_KEY_FILE: file('intake.pem', pem) });
    expect(config.intake.signingKey?.name).toBe('intake');
    expect(config.intake.signingKey?.publicKey).toBe(key.publicKey);
    expect(loadConfig({}).intake.signingKey).toBeNull();
  });

  it('that is not a key, or says no name, is a problem saying how to create the intake key', () => {
    const [notPem] = problemsOf({ DWS_FAILOVER_INTAKE_SIGNING_KEY: 'not a key' });
    expect(notPem).toMatch(/^DWS_FAILOVER_INTAKE_SIGNING_KEY is not a PEM private key/);
    expect(notPem).toContain('`{ echo "# name: intake"; openssl genpkey -algorithm ed25519; } > intake-key.pem`');
    expect(notPem).toContain('`service intake ed25519:…`');
    const unnamed = generateSigningKey('x').pem.replace(/^# name: x\n/, '');
    expect(problemsOf({ DWS_FAILOVER_INTAKE_SIGNING_KEY: unnamed })).toEqual([
      expect.stringMatching(/does not say whose key it is: its first line should be "# name: <you>"/),
    ]);
  });
});
