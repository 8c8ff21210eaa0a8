import { describe, expect, it } from 'vitest';
import { HttpError } from '../../src/intake/http';
import { createOidcVerifier, type OidcSettings } from '../../src/intake/oidc';
import { AUDIENCE, startTestIssuer, type TestIssuer } from './oidc-issuer';

function settingsOf(issuer: TestIssuer, overrides: Partial<OidcSettings> = {}): OidcSettings {
  return {
    issuer: issuer.issuer,
    audience: AUDIENCE,
    jwksUrl: issuer.jwksUrl,
    claim: 'email',
    clockSkewSeconds: 60,
    ...overrides,
  };
}

/** The HttpError `verify` throws for `token`. */
async function refusal(settings: OidcSettings, token: string, now = new Date()): Promise<HttpError> {
  const err = await createOidcVerifier(settings)
    .verify(token, now)
    .then(
      () => null,
      (e: unknown) => e
    );
  expect(err).toBeInstanceOf(HttpError);
  return err as HttpError;
}

describe('OIDC tokens', () => {
  it('verifies a token of the configured issuer and names the person by the configured claim', async () => {
    const issuer = await startTestIssuer();
    const verifier = createOidcVerifier(settingsOf(issuer));
    expect(await verifier.verify(await issuer.token(), new Date())).toEqual({
      actor: 'alice@example.com',
      method: 'oidc',
      detail: `${issuer.issuer} · alice-sub`,
    });
    const byName = createOidcVerifier(settingsOf(issuer, { claim: 'preferred_username' }));
    const person = await byName.verify(await issuer.token({ preferred_username: 'alice' }), new Date());
    expect(person.actor).toBe('alice');
  });

  it('refuses an expired token, saying when it expired and the skew it allowed', async () => {
    const issuer = await startTestIssuer();
    // Whole seconds, as in the token: the message's "ago" is then exact.
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const token = await issuer.token({}, { now: new Date(now.getTime() - 400_000) });
    const err = await refusal(settingsOf(issuer), token, now);
    expect(err.status).toBe(401);
    expect(err.details).toEqual({ reason: 'expired' });
    expect(err.message).toMatch(
      /^The token expired at .+Z \(100 s ago; the clock skew allowed is 60 s\): get a new one/
    );
  });

  it('accepts a token expired less than the clock skew ago, and refuses it with a smaller skew', async () => {
    const issuer = await startTestIssuer();
    const now = new Date();
    const token = await issuer.token({}, { now: new Date(now.getTime() - 330_000) });
    await expect(createOidcVerifier(settingsOf(issuer)).verify(token, now)).resolves.toMatchObject({
      actor: 'alice@example.com',
    });
    const strict = await refusal(settingsOf(issuer, { clockSkewSeconds: 10 }), token, now);
    expect(strict.details).toEqual({ reason: 'expired' });
  });

  it('refuses a token for another audience, naming both', async () => {
    const issuer = await startTestIssuer();
    const err = await refusal(settingsOf(issuer), await issuer.token({ aud: 'grafana' }));
    expect(err.details).toEqual({ reason: 'wrong_audience' });
    expect(err.message).toContain(
      `The token is for audience "grafana", not "${AUDIENCE}" (DWS_FAILOVER_OIDC_AUDIENCE)`
    );
  });

  it('refuses a token of another issuer, naming both', async () => {
    const issuer = await startTestIssuer();
    const err = await refusal(settingsOf(issuer), await issuer.token({ iss: 'https://other.example.com' }));
    expect(err.details).toEqual({ reason: 'wrong_issuer' });
    expect(err.message).toContain(
      `The token was issued by "https://other.example.com", not "${issuer.issuer}" (DWS_FAILOVER_OIDC_ISSUER)`
    );
  });

  it('refuses a token signed with a key the issuer does not publish, naming its kid', async () => {
    const issuer = await startTestIssuer();
    const err = await refusal(settingsOf(issuer), await issuer.token({}, { key: 'unpublished' }));
    expect(err.details).toEqual({ reason: 'unknown_key' });
    expect(err.message).toContain(`signed with key "unpublished-key", which is not in the key set of ${issuer.issuer}`);
  });

  it('refuses a token whose signature does not verify (a payload changed after signing)', async () => {
    const issuer = await startTestIssuer();
    const [head, , signature] = (await issuer.token()).split('.');
    const forged = Buffer.from(
      JSON.stringify({ iss: issuer.issuer, aud: AUDIENCE, sub: 'x', email: 'mallory@example.com', exp: 4e9 })
    ).toString('base64url');
    const err = await refusal(settingsOf(issuer), `${head}.${forged}.${signature}`);
    expect(err.details).toEqual({ reason: 'bad_signature' });
    expect(err.message).toContain('signature does not verify with key "published-key"');
  });

  it('refuses a token without the claim that names the person, listing the claims it has', async () => {
    const issuer = await startTestIssuer();
    const err = await refusal(settingsOf(issuer), await issuer.token({ email: undefined }));
    expect(err.details).toEqual({ reason: 'missing_claim' });
    expect(err.message).toContain('The token has no "email" claim to name the person (DWS_FAILOVER_OIDC_CLAIM');
    expect(err.message).toContain('the token has: iss, aud, sub, iat, exp');
  });

  it('refuses a token without exp or sub, and an email its issuer marks unverified', async () => {
    const issuer = await startTestIssuer();
    const noExp = await refusal(settingsOf(issuer), await issuer.token({ exp: undefined }));
    expect(noExp.details).toEqual({ reason: 'missing_claim' });
    expect(noExp.message).toContain('no "exp" claim');
    const noSub = await refusal(settingsOf(issuer), await issuer.token({ sub: undefined }));
    expect(noSub.message).toContain('no "sub" claim');
    const unverified = await refusal(settingsOf(issuer), await issuer.token({ email_verified: false }));
    expect(unverified.details).toEqual({ reason: 'unverified_email' });
  });

  it('answers 503 when the key set cannot be read, and fetches it once for many tokens', async () => {
    const issuer = await startTestIssuer();
    const down = await refusal(settingsOf(issuer, { jwksUrl: `${issuer.issuer}/nowhere.json` }), await issuer.token());
    expect(down.status).toBe(503);
    expect(down.code).toBe('identity_provider_unavailable');
    expect(down.message).toContain(`could not be read from ${issuer.issuer}/nowhere.json`);
    const verifier = createOidcVerifier(settingsOf(issuer));
    for (let i = 0; i < 3; i++) await verifier.verify(await issuer.token(), new Date());
    expect(issuer.fetches()).toBe(1);
  });
});
