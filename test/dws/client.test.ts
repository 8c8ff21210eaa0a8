import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AkSkAuthenticator, IamTokenAuthenticator } from '../../src/dws/auth';
import { DwsClient, regionalEndpoint } from '../../src/dws/client';
import { DwsBadResponseError, DwsInvalidInputError } from '../../src/dws/errors';
import { verifySignature } from '../../src/dws/signer';
import {
  AK,
  DR,
  PRIMARY,
  PROJECT,
  SK,
  STANDBY,
  actionBody,
  clusterBody,
  detailBody,
  listBody,
  progressBody,
} from './fixtures';
import { sendJson, startScriptedServer } from './scripted-server';
import type { ReceivedRequest, ScriptedServer } from './scripted-server';

let server: ScriptedServer;
let client: DwsClient;
beforeAll(async () => {
  server = await startScriptedServer();
  client = new DwsClient({ endpoint: server.origin, auth: new AkSkAuthenticator({ ak: AK, sk: SK }) });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

/** Checks the signature of a received request exactly as the simulator will. */
function signatureOf(req: ReceivedRequest) {
  return verifySignature({
    method: req.method,
    path: req.path,
    rawQuery: req.rawQuery,
    headers: req.headers,
    body: req.body,
    lookupSecret: (ak) => (ak === AK ? SK : undefined),
  });
}

describe('DwsClient endpoints', () => {
  const endpoints = [
    {
      name: 'listDisasterRecoveries',
      call: (c: DwsClient) => c.listDisasterRecoveries(PROJECT),
      method: 'GET',
      path: `/v2/${PROJECT}/disaster-recoveries`,
      query: '',
      answer: listBody,
    },
    {
      name: 'listDisasterRecoveries with filters',
      call: (c: DwsClient) =>
        c.listDisasterRecoveries(PROJECT, { primary_cluster_id: PRIMARY, standby_cluster_id: '', id: DR }),
      method: 'GET',
      path: `/v2/${PROJECT}/disaster-recoveries`,
      query: `primary_cluster_id=${PRIMARY}&id=${DR}`,
      answer: listBody,
    },
    {
      name: 'getDisasterRecovery',
      call: (c: DwsClient) => c.getDisasterRecovery(PROJECT, DR),
      method: 'GET',
      path: `/v2/${PROJECT}/disaster-recovery/${DR}`,
      query: '',
      answer: detailBody,
    },
    {
      name: 'failover',
      call: (c: DwsClient) => c.failover(PROJECT, DR),
      method: 'POST',
      path: `/v2/${PROJECT}/disaster-recovery/${DR}/failover`,
      query: '',
      answer: actionBody,
    },
    {
      name: 'switchover',
      call: (c: DwsClient) => c.switchover(PROJECT, DR),
      method: 'POST',
      path: `/v2/${PROJECT}/disaster-recovery/${DR}/switchover`,
      query: '',
      answer: actionBody,
    },
    {
      name: 'recovery',
      call: (c: DwsClient) => c.recovery(PROJECT, DR),
      method: 'POST',
      path: `/v2/${PROJECT}/disaster-recovery/${DR}/recovery`,
      query: '',
      answer: actionBody,
    },
    {
      name: 'start',
      call: (c: DwsClient) => c.start(PROJECT, DR),
      method: 'POST',
      path: `/v2/${PROJECT}/disaster-recovery/${DR}/start`,
      query: '',
      answer: actionBody,
    },
    {
      name: 'pause',
      call: (c: DwsClient) => c.pause(PROJECT, DR),
      method: 'POST',
      path: `/v2/${PROJECT}/disaster-recovery/${DR}/pause`,
      query: '',
      answer: actionBody,
    },
    {
      name: 'getProgress',
      call: (c: DwsClient) => c.getProgress(PROJECT, DR),
      method: 'GET',
      path: `/v1/${PROJECT}/disaster-recovery/${DR}/show-progress`,
      query: '',
      answer: progressBody,
    },
    {
      name: 'getCluster',
      call: (c: DwsClient) => c.getCluster(PROJECT, STANDBY),
      method: 'GET',
      path: `/v1.0/${PROJECT}/clusters/${STANDBY}`,
      query: '',
      answer: clusterBody,
    },
  ];

  it.each(endpoints)('$name sends $method $path with the signed headers', async (e) => {
    server.script((_req, res) => sendJson(res, 200, e.answer, { 'X-Request-Id': 'req-1' }));
    await e.call(client);
    expect(server.requests).toHaveLength(1);
    const [req] = server.requests as [ReceivedRequest];
    expect(req.method).toBe(e.method);
    expect(req.path).toBe(e.path);
    expect(req.rawQuery).toBe(e.query);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-project-id']).toBe(PROJECT);
    expect(req.headers['x-sdk-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(req.headers.authorization).toMatch(
      /^SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=/
    );
    // Exactly one Host header, with the value that was signed.
    const hosts = req.rawHeaders.filter((_v, i) => i % 2 === 0 && req.rawHeaders[i]?.toLowerCase() === 'host');
    expect(hosts).toHaveLength(1);
    expect(req.headers.host).toBe(`127.0.0.1:${server.port}`);
    expect(req.body).toHaveLength(0);
    if (e.method === 'POST') expect(req.headers['content-length']).toBe('0');
    expect(signatureOf(req)).toEqual({ valid: true, ak: AK });
  });

  it('returns the accepted id and the request id of an action', async () => {
    server.script((_req, res) => sendJson(res, 200, actionBody, { 'X-Request-Id': 'req-42' }));
    await expect(client.failover(PROJECT, DR)).resolves.toEqual({ id: DR, requestId: 'req-42' });
  });

  it('returns the answers in the wire types', async () => {
    server.script((req, res) => {
      const body = req.path.endsWith('disaster-recoveries')
        ? listBody
        : req.path.includes('show-progress')
          ? progressBody
          : req.path.includes('clusters')
            ? clusterBody
            : detailBody;
      sendJson(res, 200, body);
    });
    expect(await client.getDisasterRecovery(PROJECT, DR)).toEqual(detailBody.disaster_recovery);
    expect(await client.listDisasterRecoveries(PROJECT)).toEqual(listBody.disaster_recovery);
    expect(await client.getProgress(PROJECT, DR)).toEqual(progressBody.disaster_recovery_progress);
    const { nodes: _nodes, ...cluster } = clusterBody.cluster;
    expect(await client.getCluster(PROJECT, STANDBY)).toEqual(cluster);
  });

  it('turns omitted optional fields into null and numbers into strings', async () => {
    const primary = { id: PRIMARY, role: 'primary', progress: 100 };
    server.script((_req, res) =>
      sendJson(res, 200, {
        disaster_recovery: { id: DR, status: 'abnormal', primary_cluster: primary, standby_cluster: { id: STANDBY } },
      })
    );
    const dr = await client.getDisasterRecovery(PROJECT, DR);
    expect(dr.primary_cluster).toMatchObject({
      id: PRIMARY,
      progress: '100',
      last_success_time: null,
      status: null,
      name: '',
    });
    expect(dr.dr_sync_period).toBeNull();
  });

  it.each([
    [
      'an action answer without disaster_recovery.id',
      (c: DwsClient) => c.failover(PROJECT, DR),
      { disaster_recovery: {} },
      /no disaster_recovery\.id/,
    ],
    [
      'a detail without the standby cluster',
      (c: DwsClient) => c.getDisasterRecovery(PROJECT, DR),
      { disaster_recovery: { id: DR, status: 'running', primary_cluster: { id: PRIMARY } } },
      /no disaster_recovery\.standby_cluster/,
    ],
    [
      'a list item without its primary cluster id',
      (c: DwsClient) => c.listDisasterRecoveries(PROJECT),
      { disaster_recovery: [{ id: DR, status: 'running', standby_cluster_id: STANDBY }] },
      /no disaster_recovery\[0\]\.primary_cluster_id/,
    ],
    [
      'a cluster without a status',
      (c: DwsClient) => c.getCluster(PROJECT, STANDBY),
      { cluster: { id: STANDBY } },
      /no cluster\.status/,
    ],
  ])('reports %s as a bad response', async (_name, call, answer, message) => {
    server.script((_req, res) => sendJson(res, 200, answer));
    const err = await call(client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DwsBadResponseError);
    expect((err as Error).message).toMatch(message);
  });
});

describe('DwsClient URLs', () => {
  it('percent-encodes path segments and still signs them validly', async () => {
    server.script((_req, res) => sendJson(res, 200, { disaster_recovery: { id: 'a b/ü' } }));
    await client.failover(PROJECT, 'a b/ü');
    const [req] = server.requests as [ReceivedRequest];
    expect(req.path).toBe(`/v2/${PROJECT}/disaster-recovery/a%20b%2F%C3%BC/failover`);
    expect(signatureOf(req).valid).toBe(true);
  });

  it('keeps the path prefix of the endpoint', async () => {
    const prefixed = new DwsClient({
      endpoint: `${server.origin}/gateway/dws/`,
      auth: new AkSkAuthenticator({ ak: AK, sk: SK }),
    });
    server.script((_req, res) => sendJson(res, 200, detailBody));
    await prefixed.getDisasterRecovery(PROJECT, DR);
    await prefixed.close();
    const [req] = server.requests as [ReceivedRequest];
    expect(req.path).toBe(`/gateway/dws/v2/${PROJECT}/disaster-recovery/${DR}`);
    expect(signatureOf(req).valid).toBe(true);
  });

  it.each(['', '.', '..', 'a\nb'])('refuses the id %j before sending anything', async (id) => {
    server.script((_req, res) => sendJson(res, 200, actionBody));
    await expect(client.failover(PROJECT, id)).rejects.toBeInstanceOf(DwsInvalidInputError);
    expect(server.requests).toHaveLength(0);
  });

  it('sends an IAM token as X-Auth-Token', async () => {
    server.script((req, res) => {
      if (req.path === '/v3/auth/tokens')
        sendJson(res, 201, { token: { expires_at: '2099-01-01T00:00:00Z' } }, { 'X-Subject-Token': 'tok' });
      else sendJson(res, 200, detailBody);
    });
    const auth = new IamTokenAuthenticator({
      iamEndpoint: server.origin,
      domain: 'acme',
      user: 'u',
      password: 'p',
      projectId: PROJECT,
    });
    const iamClient = new DwsClient({ endpoint: server.origin, auth });
    await iamClient.getDisasterRecovery(PROJECT, DR);
    await iamClient.close();
    expect(server.requests.map((r) => r.path)).toEqual(['/v3/auth/tokens', `/v2/${PROJECT}/disaster-recovery/${DR}`]);
    expect(server.requests[1]?.headers['x-auth-token']).toBe('tok');
  });

  it('reuses one connection after error answers, because it reads every body', async () => {
    const agent = new Agent({ connections: 1 });
    const one = new DwsClient({
      endpoint: server.origin,
      auth: new AkSkAuthenticator({ ak: AK, sk: SK }),
      dispatcher: agent,
    });
    server.script((_req, res) => sendJson(res, 503, '<html><body>busy</body></html>'));
    for (let i = 0; i < 5; i++)
      await expect(one.getDisasterRecovery(PROJECT, DR)).rejects.toMatchObject({ status: 503 });
    server.script((_req, res) => sendJson(res, 200, detailBody));
    await one.getDisasterRecovery(PROJECT, DR);
    await one.close();
    expect(agent.closed).toBe(false);
    await agent.close();
  });
});

describe('regionalEndpoint', () => {
  it.each([
    ['cn-north-4', 'https://dws.cn-north-4.myhuaweicloud.com'],
    ['ap-southeast-1', 'https://dws.ap-southeast-1.myhuaweicloud.com'],
    ['cn-south-4', 'https://dws.cn-south-4.myhuaweicloud.cn'],
    ['cn-north-12', 'https://dws.cn-north-12.myhuaweicloud.cn'],
    ['cn-east-4', 'https://dws.cn-east-4.myhuaweicloud.cn'],
    ['tr-west-1', 'https://dws.tr-west-1.myhuaweicloud.cn'],
    ['ap-southeast-4', 'https://dws.ap-southeast-4.myhuaweicloud.cn'],
    ['eu-west-101', 'https://dws.eu-west-101.myhuaweicloud.eu'],
    ['my-kualalumpur-1', 'https://dws.my-kualalumpur-1.myhuaweicloud.com'],
  ])('maps %s to %s', (region, url) => {
    expect(regionalEndpoint(region)).toBe(url);
  });

  it.each(['', 'CN-NORTH-4', 'cn_north_4', 'evil.com/x'])('refuses %j', (region) => {
    expect(() => regionalEndpoint(region)).toThrow(RangeError);
  });
});
