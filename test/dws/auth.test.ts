import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AkSkAuthenticator, IamTokenAuthenticator } from '../../src/dws/auth';
import { DwsAuthError, DwsBadResponseError, DwsNetworkError } from '../../src/dws/errors';
import { verifySignature } from '../../src/dws/signer';
import { sendJson, startScriptedServer } from './scripted-server';
import type { ScriptedServer } from './scripted-server';

const AK = 'HPUAEXAMPLEAK';
const SK = 'sk-that-must-stay-secret';
const NOW = new Date(Date.UTC(2024, 0, 1, 12));

describe('AkSkAuthenticator', () => {
  const url = new URL('https://dws.cn-north-4.myhuaweicloud.com/v2/p1/disaster-recovery/d1/failover');
  const headers = { host: url.host, 'content-type': 'application/json', 'x-project-id': 'p1', 'user-agent': 'ua' };

  /** Verifies the added headers the way the gateway would, over the request as sent. */
  const verify = (added: Record<string, string>, sent: Record<string, string> = headers) =>
    verifySignature({
      method: 'POST',
      path: url.pathname,
      rawQuery: '',
      headers: Object.fromEntries(Object.entries({ ...sent, ...added }).map(([k, v]) => [k.toLowerCase(), v])),
      body: '',
      lookupSecret: (ak) => (ak === AK ? SK : undefined),
      now: NOW,
    });

  it('signs content-type, host, x-project-id and x-sdk-date', async () => {
    const auth = new AkSkAuthenticator({ ak: AK, sk: SK, now: () => NOW });
    const added = await auth.authenticate({ method: 'POST', url, headers, body: '' });
    expect(Object.keys(added).sort()).toEqual(['Authorization', 'X-Sdk-Date']);
    expect(added['X-Sdk-Date']).toBe('20240101T120000Z');
    expect(added.Authorization).toMatch(
      /^SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$/
    );
    expect(verify(added)).toEqual({ valid: true, ak: AK });
  });

  it('sends and signs the security token of temporary credentials', async () => {
    const auth = new AkSkAuthenticator({ ak: AK, sk: SK, securityToken: 'sts-token', now: () => NOW });
    const added = await auth.authenticate({ method: 'POST', url, headers, body: '' });
    expect(added['X-Security-Token']).toBe('sts-token');
    expect(added.Authorization).toContain('SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token,');
    expect(verify(added)).toEqual({ valid: true, ak: AK });
    expect(verify({ ...added, 'X-Security-Token': 'other-token' })).toMatchObject({ valid: false });
  });

  it('signs the URL host when the request has no host header', async () => {
    const auth = new AkSkAuthenticator({ ak: AK, sk: SK, now: () => NOW });
    const { host: _host, ...withoutHost } = headers;
    const added = await auth.authenticate({ method: 'POST', url, headers: withoutHost, body: '' });
    expect(verify(added)).toEqual({ valid: true, ak: AK });
  });

  it('keeps the secret key out of inspection and JSON', () => {
    const auth = new AkSkAuthenticator({ ak: AK, sk: SK, securityToken: 'sts-token' });
    expect(inspect(auth, { showHidden: true, depth: 5 })).not.toContain(SK);
    expect(JSON.stringify(auth)).not.toContain(SK);
  });

  it('refuses empty credentials without echoing them', () => {
    expect(() => new AkSkAuthenticator({ ak: AK, sk: '' })).toThrow('AK/SK authentication needs a non-empty AK and SK');
  });
});

describe('IamTokenAuthenticator', () => {
  let server: ScriptedServer;
  beforeAll(async () => {
    server = await startScriptedServer();
  });
  afterAll(async () => {
    await server.close();
  });

  const PASSWORD = 'Pa55word!that-must-stay-secret';
  const HOUR = 3_600_000;

  /** A clock the test moves, and an IAM that issues `tok-1`, `tok-2`… valid for `lifetimeMs` from that clock. */
  function setup(lifetimeMs = 24 * HOUR, delayMs = 0) {
    const clock = { ms: NOW.getTime() };
    let issued = 0;
    server.script(async (_req, res) => {
      await new Promise((r) => setTimeout(r, delayMs));
      issued += 1;
      const expires_at = new Date(clock.ms + lifetimeMs).toISOString().replace('Z', '000Z');
      sendJson(res, 201, { token: { expires_at, methods: ['password'] } }, { 'X-Subject-Token': `tok-${issued}` });
    });
    const auth = new IamTokenAuthenticator({
      iamEndpoint: `${server.origin}/`,
      domain: 'acme',
      user: 'sre-bot',
      password: PASSWORD,
      projectId: 'p1',
      now: () => new Date(clock.ms),
    });
    const token = async () =>
      (await auth.authenticate({ method: 'GET', url: new URL('https://x/'), headers: {}, body: '' }))['X-Auth-Token'];
    return { clock, auth, token };
  }

  it('asks IAM for a project-scoped password token and sends it as X-Auth-Token', async () => {
    const { token } = setup();
    expect(await token()).toBe('tok-1');
    const [req] = server.requests;
    expect(req?.method).toBe('POST');
    expect(`${req?.path}?${req?.rawQuery}`).toBe('/v3/auth/tokens?nocatalog=true');
    expect(req?.headers['content-type']).toBe('application/json;charset=utf8');
    expect(JSON.parse(req?.body.toString() ?? '')).toEqual({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'sre-bot', password: PASSWORD, domain: { name: 'acme' } } },
        },
        scope: { project: { id: 'p1' } },
      },
    });
  });

  it('fetches the token once and serves it from the cache', async () => {
    const { token, clock } = setup();
    expect(await token()).toBe('tok-1');
    clock.ms += 22 * HOUR;
    expect(await token()).toBe('tok-1');
    expect(server.requests).toHaveLength(1);
  });

  it('renews the token one hour before it expires', async () => {
    const { token, clock } = setup();
    await token();
    clock.ms += 23 * HOUR - 1000;
    expect(await token()).toBe('tok-1');
    clock.ms += 2000;
    expect(await token()).toBe('tok-2');
    expect(server.requests).toHaveLength(2);
  });

  it('renews a short-lived token at half its lifetime', async () => {
    const { token, clock } = setup(10 * 60_000);
    await token();
    clock.ms += 4 * 60_000;
    expect(await token()).toBe('tok-1');
    clock.ms += 2 * 60_000;
    expect(await token()).toBe('tok-2');
  });

  it('makes concurrent callers share one token request', async () => {
    const { token } = setup(24 * HOUR, 100);
    const tokens = await Promise.all(Array.from({ length: 10 }, token));
    expect(new Set(tokens)).toEqual(new Set(['tok-1']));
    expect(server.requests).toHaveLength(1);
  });

  it('keeps using a still-valid token when its renewal fails, and fails once it has expired', async () => {
    const { token, clock } = setup();
    await token();
    server.script((_req, res) => sendJson(res, 503, ''));
    clock.ms += 23.5 * HOUR;
    expect(await token()).toBe('tok-1');
    clock.ms += 1 * HOUR;
    await expect(token()).rejects.toMatchObject({ name: 'DwsServerError', status: 503 });
  });

  it('explains a rejected password without revealing it, even when IAM echoes it', async () => {
    const { token } = setup();
    server.script((_req, res) =>
      sendJson(
        res,
        401,
        { error: { code: 'IAM.0002', message: `wrong password ${PASSWORD}` } },
        { 'X-Request-Id': 'r-1' }
      )
    );
    const err = await token().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DwsAuthError);
    const e = err as DwsAuthError;
    expect(e.operation).toBe('KeystoneCreateUserTokenByPassword');
    expect(e.errorCode).toBe('IAM.0002');
    expect(e.requestId).toBe('r-1');
    expect(e.message).toContain('IAM user sre-bot of account acme');
    expect(e.message).toContain('HUAWEICLOUD_IAM_PASSWORD');
    expect(`${e.message} ${e.errorMessage} ${inspect(e)}`).not.toContain(PASSWORD);
  });

  it('tries again on the next call after a failed token request', async () => {
    const { token } = setup();
    server.script((_req, res) => sendJson(res, 500, { error_code: 'IAM.9999', error_msg: 'boom' }));
    await expect(token()).rejects.toMatchObject({ code: 'DWS_SERVER_ERROR' });
    server.script((_req, res) =>
      sendJson(res, 201, { token: { expires_at: '2099-01-01T00:00:00.000000Z' } }, { 'X-Subject-Token': 'tok-ok' })
    );
    expect(await token()).toBe('tok-ok');
  });

  it('reports an answer without X-Subject-Token as a bad response', async () => {
    const { token } = setup();
    server.script((_req, res) => sendJson(res, 201, { token: { expires_at: '2099-01-01T00:00:00Z' } }));
    await expect(token()).rejects.toBeInstanceOf(DwsBadResponseError);
  });

  it('reports an unreachable IAM endpoint as a network error without the password', async () => {
    const closed = await startScriptedServer();
    await closed.close();
    const auth = new IamTokenAuthenticator({
      iamEndpoint: closed.origin,
      domain: 'acme',
      user: 'sre-bot',
      password: PASSWORD,
      projectId: 'p1',
    });
    const err = await auth
      .authenticate({ method: 'GET', url: new URL('https://x/'), headers: {}, body: '' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DwsNetworkError);
    expect((err as DwsNetworkError).requestMayHaveBeenSent).toBe(false);
    expect(inspect(err)).not.toContain(PASSWORD);
  });
});
