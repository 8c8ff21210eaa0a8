/**
 * Who may decide through the intake, over HTTP. Every answer here is given before the intake calls Temporal (the
 * intake's Temporal address is never reached): 401 for a credential that does not verify, 403 for the shared
 * credentials, 400 for a body that does not fit the verified person, 503 without the intake's signing key. What a
 * verified decision sends to Temporal is in identity.temporal.test.ts.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../../src/config';
import { generateSigningKey } from '../../src/identity/keys';
import { lazyClient, startIntakeServer } from '../../src/intake';
import { createLogger } from '../../src/logger';
import { bearer, signedHeaders, TOKEN } from './harness';
import { startTestIssuer } from './oidc-issuer';
import { BOT_TOKEN, startPeopleIntake, workflowIdOf } from './people';

const decision = { comment: 'INC-7: data loss accepted', digest: 'sha256:0123456789abcdef' };

describe('decisions through the intake take a personal credential', () => {
  it.each(['approve', 'reject', 'cancel'])(
    'refuses the shared token on %s with 403 and the way to decide',
    async (kind) => {
      const { intake } = await startPeopleIntake();
      const answer = await intake.post(`/v1/failovers/${workflowIdOf()}/${kind}`, decision, bearer);
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ error: 'forbidden', reason: 'shared_credential' });
      expect(answer.body.message).toMatch(
        /^DWS_FAILOVER_INTAKE_TOKEN is the alert senders' shared credential: it names no person, so it cannot approve, reject or cancel\. Decide with "Authorization: Bearer <an OIDC token from http:\/\/127\.0\.0\.1:\d+ or your named token \(DWS_FAILOVER_INTAKE_PEOPLE_TOKENS\)>", or with `dws-failover approve\|reject\|cancel` and your own key\.$/
      );
    }
  );

  it('refuses an HMAC-signed decision with 403, and one without credentials with 401 naming the personal ones', async () => {
    const { intake } = await startPeopleIntake();
    const body = JSON.stringify(decision);
    const signed = await intake.post(`/v1/failovers/${workflowIdOf()}/cancel`, body, signedHeaders(body));
    expect(signed.status).toBe(403);
    expect(signed.body.message).toMatch(/^An HMAC signature \(DWS_FAILOVER_INTAKE_HMAC_SECRET\) is the alert senders'/);
    const none = await intake.post(`/v1/failovers/${workflowIdOf()}/cancel`, decision, {});
    expect(none.status).toBe(401);
    expect(none.body.message).toMatch(
      /^No credentials: approve, reject and cancel take "Authorization: Bearer <an OIDC/
    );
  });

  it('verifies a named token: the name is the actor, and a body naming someone else is refused', async () => {
    const { intake, as } = await startPeopleIntake();
    const other = await intake.post(
      `/v1/failovers/${workflowIdOf()}/reject`,
      { ...decision, actor: 'alice' },
      as(BOT_TOKEN)
    );
    expect(other.status).toBe(400);
    expect(other.body.message).toBe(
      'Not a valid decision: actor: is "alice", but your credential names "deploy-bot"; leave actor out (the credential says who decides).'
    );
    const wrong = await intake.post(`/v1/failovers/${workflowIdOf()}/reject`, decision, as(`${BOT_TOKEN}x`));
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toBe(
      'The bearer token is not the intake token, nor a named token (DWS_FAILOVER_INTAKE_PEOPLE_TOKENS), nor a JWT.'
    );
  });

  it('verifies an OIDC token: the claim is the actor, and an approval must name the digest it approves', async () => {
    const { intake, issuer, as } = await startPeopleIntake();
    const token = await issuer.token();
    const id = workflowIdOf();
    const noDigest = await intake.post(`/v1/failovers/${id}/approve`, { comment: 'ok' }, as(token));
    expect(noDigest.status).toBe(400);
    expect(noDigest.body.message).toMatch(
      /^Not a valid approval: digest: is required: the evidence digest you approve/
    );
    expect(noDigest.body.problems).toHaveLength(1);
    const badDigest = await intake.post(`/v1/failovers/${id}/approve`, { ...decision, digest: 'latest' }, as(token));
    expect(badDigest.status).toBe(400);
    expect(badDigest.body.message).toContain('digest: must be the evidence digest shown by the run');
    const other = await intake.post(`/v1/failovers/${id}/cancel`, { ...decision, actor: 'bob' }, as(token));
    expect(other.body.message).toContain('your credential names "alice@example.com"');
  });

  it.each([
    ['an expired token', 'expired', /^The token expired at /, { exp: Math.floor(Date.now() / 1000) - 600 }, {}],
    ['a token for another audience', 'wrong_audience', /^The token is for audience "grafana"/, { aud: 'grafana' }, {}],
    [
      'a token of another issuer',
      'wrong_issuer',
      /^The token was issued by "https:\/\/elsewhere/,
      { iss: 'https://elsewhere.example.com' },
      {},
    ],
    [
      'a token signed with an unknown key',
      'unknown_key',
      /with key "unpublished-key", which is not in the key set/,
      {},
      { key: 'unpublished' as const },
    ],
    ['a token without the email claim', 'missing_claim', /^The token has no "email" claim/, { email: undefined }, {}],
  ])('refuses %s with 401 and the reason', async (_what, reason, message, claims, options) => {
    const { intake, issuer, as } = await startPeopleIntake();
    const answer = await intake.post(
      `/v1/failovers/${workflowIdOf()}/approve`,
      decision,
      as(await issuer.token(claims, options))
    );
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="dws-failover"');
    expect(answer.body).toMatchObject({ error: 'unauthorized', reason });
    expect(answer.body.message).toMatch(message);
  });

  it('answers 503 naming DWS_FAILOVER_INTAKE_SIGNING_KEY and how to create it when the intake has no key', async () => {
    const { intake, issuer, as } = await startPeopleIntake({ signingKey: false });
    const answer = await intake.post(`/v1/failovers/${workflowIdOf()}/approve`, decision, as(await issuer.token()));
    expect(answer.status).toBe(503);
    expect(answer.body.error).toBe('signing_key_missing');
    expect(answer.body.message).toMatch(
      /^The intake cannot approve: it signs every decision it verified with its own key, and DWS_FAILOVER_INTAKE_SIGNING_KEY is not set\. Create it with `\{ echo "# name: intake"; openssl genpkey -algorithm ed25519; \} > intake-key\.pem`/
    );
    expect(answer.body.message).toContain(
      "`service intake ed25519:…` (the intake logs it at start) in every worker's DWS_FAILOVER_APPROVER_KEYS"
    );
  });
});

describe('manual starts through the intake', () => {
  const start = {
    project_id: '0b5e1c2d7a9f4e3c8d6b2a1f0e9d8c7b',
    disaster_recovery_id: 'c8f3d3a2-5b1e-4f6a-9d2c-7e4b1a0f3d95',
  };

  it('by a person need the signing key (503) and refuse a body naming someone else (400)', async () => {
    const unsigned = await startPeopleIntake({ signingKey: false });
    const noKey = await unsigned.intake.post('/v1/failovers', { ...start, reason: 'DR-3' }, unsigned.as(BOT_TOKEN));
    expect(noKey.status).toBe(503);
    expect(noKey.body.message).toMatch(
      /^The intake cannot start a failover for deploy-bot: .* DWS_FAILOVER_INTAKE_SIGNING_KEY is not set/
    );
    const { intake, as } = await startPeopleIntake();
    const other = await intake.post('/v1/failovers', { ...start, reason: 'DR-3', actor: 'carol' }, as(BOT_TOKEN));
    expect(other.status).toBe(400);
    expect(other.body.message).toContain('actor: is "carol", but your credential names "deploy-bot"');
  });

  it('refuse a personal token that does not verify, and alert routes take no personal token', async () => {
    const { intake, issuer, as } = await startPeopleIntake();
    const expired = await intake.post(
      '/v1/failovers',
      { ...start, reason: 'DR-3' },
      as(await issuer.token({ exp: Math.floor(Date.now() / 1000) - 600 }))
    );
    expect(expired.status).toBe(401);
    expect(expired.body.reason).toBe('expired');
    const alert = await intake.post('/v1/alerts/alertmanager', { alerts: [] }, as(BOT_TOKEN));
    expect(alert.status).toBe(401);
    expect(alert.body.message).toBe('The bearer token is not the intake token.');
  });
});

describe('the intake at start', () => {
  /** What an intake configured by `env` logs when it starts, and its URL. */
  async function started(env: Record<string, string>): Promise<{ log: string; url: string }> {
    const config = loadConfig(env);
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const client = lazyClient(config);
    const logger = createLogger({ component: 'intake', stream: out });
    const server = await startIntakeServer({ client, config, logger, port: 0, host: '127.0.0.1' });
    onTestFinished(async () => {
      await server.close(100);
      await client.connection.close();
    });
    return { log: text, url: server.url };
  }
  const startLog = async (env: Record<string, string>): Promise<string> =>
    (await started({ DWS_FAILOVER_INTAKE_TOKEN: TOKEN, ...env })).log;

  it('logs the line every worker must trust its key by', async () => {
    const { pem, key } = generateSigningKey('intake');
    const issuer = await startTestIssuer();
    const log = await startLog({ DWS_FAILOVER_INTAKE_SIGNING_KEY: pem, ...issuer.env() });
    expect(log).toContain(
      `INFO  [intake] decisions through the intake: OIDC (${issuer.issuer}, audience dws-failover-intake, claim email); signed by the intake's key {"trustOnWorkers":"service intake ${key.publicKey}"}`
    );
  });

  it('warns that decisions answer 503 when people are verified but nothing signs for them', async () => {
    const log = await startLog((await startTestIssuer()).env());
    expect(log).toContain(
      'WARN  [intake] decisions through the intake answer 503: DWS_FAILOVER_INTAKE_SIGNING_KEY is not set'
    );
  });

  it('starts with personal credentials alone, and without a shared one refuses alerts and is not "NONE"', async () => {
    const { url } = await started((await startTestIssuer()).env());
    const alert = await fetch(`${url}/v1/alerts/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(alert.status).toBe(401);
    expect(((await alert.json()) as { message: string }).message).toBe(
      'No credentials: this route takes the shared credentials (DWS_FAILOVER_INTAKE_TOKEN, DWS_FAILOVER_INTAKE_HMAC_SECRET), and none is set on this intake.'
    );
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
  });
});
