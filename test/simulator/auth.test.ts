import { describe, expect, it, onTestFinished } from 'vitest';
import { AkSkAuthenticator, IamTokenAuthenticator } from '../../src/dws/auth';
import { DwsClient } from '../../src/dws/client';
import { createLogger } from '../../src/logger';
import { createSimulator } from '../../src/simulator';
import { addTestPair, call, control, FAST, startSimulator, TEST_AK, TEST_SK } from './support';

const USER = { domain: 'acme', name: 'sre-bot', password: 'correct horse battery staple' };
const APIG_0301 = {
  error_code: 'APIG.0301',
  error_msg: 'Incorrect IAM authentication information: verify aksk signature fail',
};

function tokenBody(projectId: string, password = USER.password) {
  return {
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: USER.name, password, domain: { name: USER.domain } } },
      },
      scope: { project: { id: projectId } },
    },
  };
}

describe('simulator authentication', () => {
  it('serves a correctly signed request and logs the signature as valid', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim);
    expect((await call(sim, 'GET', `${pair.list}?primary_cluster_id=${pair.primaryId}`)).status).toBe(200);
    expect(sim.requests()[0]).toMatchObject({ status: 200, signatureValid: true, auth: 'aksk', ak: TEST_AK });
  });

  it('answers 401 APIG.0301 to a wrong secret, an unknown key, a stale date and a missing signature', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim, { status: 'abnormal' });
    const attempts = [
      call(sim, 'POST', pair.action('failover'), { sk: 'not-the-secret' }),
      call(sim, 'GET', pair.detail, { ak: 'UNKNOWNACCESSKEY0000' }),
      call(sim, 'GET', pair.detail, { date: new Date(Date.now() - 60 * 60_000) }),
      call(sim, 'GET', pair.detail, { unsigned: true }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject(APIG_0301);
      expect(res.json.request_id).toBe(res.headers.get('x-request-id'));
    }
    const log = sim.requests();
    expect(log.map((r) => [r.status, r.signatureValid])).toEqual([
      [401, false],
      [401, false],
      [401, false],
      [401, false],
    ]);
    expect(log.find((r) => r.action === 'failover')).toMatchObject({
      accepted: false,
      authError: 'signature mismatch',
    });
    expect(sim.state().disasterRecoveries[0]?.status).toBe('abnormal');
  });

  it('checks nothing and logs signatureValid null when started without credentials, and says so', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      component: 't',
      level: 'warn',
      stream: { write: (l: string) => lines.push(l) } as never,
    });
    const sim = await createSimulator({ ...FAST, logger });
    onTestFinished(() => sim.close());
    const pair = addTestPair(sim);
    expect((await call(sim, 'GET', pair.detail, { unsigned: true })).status).toBe(200);
    expect((await call(sim, 'GET', pair.detail, { sk: 'anything' })).status).toBe(200);
    expect(sim.requests().map((r) => r.signatureValid)).toEqual([null, null]);
    expect(lines.join('')).toMatch(/authentication is off/);
    expect(sim.state().config.authentication).toBe('off');
  });

  it('issues an IAM token (201, X-Subject-Token, expires_at) that DWS calls accept as X-Auth-Token', async () => {
    const sim = await startSimulator({ iamUsers: [USER] });
    const pair = addTestPair(sim);
    const res = await control(sim, 'POST', '/v3/auth/tokens', tokenBody(pair.projectId));
    expect(res.status).toBe(201);
    const token = res.headers.get('x-subject-token') ?? '';
    expect(token).toMatch(/^MII/);
    expect(res.json.token.expires_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    expect(Date.parse(res.json.token.expires_at) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect(res.json.token).toMatchObject({ methods: ['password'], project: { id: pair.projectId }, catalog: [] });

    const detail = await call(sim, 'GET', pair.detail, { token });
    expect(detail.status).toBe(200);
    expect(sim.requests().at(-1)).toMatchObject({ auth: 'token', signatureValid: null, status: 200 });
  });

  it('refuses unknown, expired and other-project tokens, and a wrong password', async () => {
    const sim = await startSimulator({ iamUsers: [USER], tokenTtlMs: 200 });
    const pair = addTestPair(sim);
    const other = addTestPair(sim);
    const wrong = await control(sim, 'POST', '/v3/auth/tokens', tokenBody(pair.projectId, 'guess'));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('x-subject-token')).toBeNull();

    const unknown = await call(sim, 'GET', pair.detail, { token: 'MIInot-a-token' });
    expect([unknown.status, unknown.json.error_msg]).toEqual([
      401,
      'Incorrect IAM authentication information: decrypt token fail',
    ]);
    const token = (await control(sim, 'POST', '/v3/auth/tokens?nocatalog=true', tokenBody(pair.projectId))).headers.get(
      'x-subject-token'
    );
    const foreign = await call(sim, 'GET', other.detail, { token: token ?? '' });
    expect(foreign.status).toBe(403);
    await new Promise((r) => setTimeout(r, 250));
    const expired = await call(sim, 'GET', pair.detail, { token: token ?? '' });
    expect(expired.status).toBe(401);
    expect(expired.json.error_code).toBe('APIG.0301');
    expect(expired.json.error_msg).toMatch(/^Incorrect IAM authentication information: token expires, expires_at: /);
  });

  it("works with the project's DwsClient using AK/SK and IAM-token authentication", async () => {
    const sim = await startSimulator({ iamUsers: [USER], failoverDurationMs: 5000 });
    const pair = addTestPair(sim, { status: 'abnormal' });
    const aksk = new DwsClient({ endpoint: sim.url, auth: new AkSkAuthenticator({ ak: TEST_AK, sk: TEST_SK }) });
    const iam = new DwsClient({
      endpoint: sim.url,
      auth: new IamTokenAuthenticator({ iamEndpoint: sim.url, ...USER, user: USER.name, projectId: pair.projectId }),
    });
    onTestFinished(async () => {
      await aksk.close();
      await iam.close();
    });

    expect((await aksk.getDisasterRecovery(pair.projectId, pair.drId)).status).toBe('abnormal');
    expect(await aksk.listDisasterRecoveries(pair.projectId, { primary_cluster_id: pair.primaryId })).toHaveLength(1);
    expect((await iam.failover(pair.projectId, pair.drId)).id).toBe(pair.drId);
    expect((await iam.getCluster(pair.projectId, pair.standbyId)).status).toBe('AVAILABLE');
    expect((await aksk.getProgress(pair.projectId, pair.drId)).recovery_point_object).toEqual(expect.any(Number));
    expect(
      sim
        .requests()
        .filter((r) => r.auth === 'aksk')
        .every((r) => r.signatureValid)
    ).toBe(true);
    expect(sim.requests({ path: pair.action('failover') })).toMatchObject([{ auth: 'token', accepted: true }]);
  });
});
