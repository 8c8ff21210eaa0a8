import { mkdtempSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MockAgent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { DwsInvalidInputError } from '../../src/dws/errors';
import { createDwsFleet } from '../../src/dws/factory';
import type { DwsFleet } from '../../src/dws/fleet';
import { verifySignature } from '../../src/dws/signer';
import { actionBody, clusterBody, detailBody, DR, listBody, progressBody } from './fixtures';
import { sendJson, startScriptedServer, type ReceivedRequest, type ScriptedServer } from './scripted-server';

const NORTH = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const NORTH_2 = '1a1b2c3d4e5f60718293a4b5c6d7e8f9';
const NORTH_APAC = '2a1b2c3d4e5f60718293a4b5c6d7e8f9';
const SOUTH = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const UNLISTED = 'ffffffffffffffffffffffffffffffff';

const SECRETS: Record<string, string> = { AKPROD: 'sk-prod', AKAPAC: 'sk-apac', AKENV: 'sk-env' };
const ACCOUNT_ENV = {
  PROD_AK: 'AKPROD',
  PROD_SK: 'sk-prod',
  APAC_AK: 'AKAPAC',
  APAC_SK: 'sk-apac',
  IAM_PASSWORD: 'pw-iam',
};

/** Answers every DWS read and action with a body of its shape. */
function answerDws(req: ReceivedRequest, res: ServerResponse): void {
  if (req.method === 'POST') return sendJson(res, 200, actionBody);
  if (req.path.endsWith('/show-progress')) return sendJson(res, 200, progressBody);
  if (req.path.endsWith('/disaster-recoveries')) return sendJson(res, 200, listBody);
  if (req.path.endsWith('/clusters')) return sendJson(res, 200, { clusters: [clusterBody.cluster], count: 1 });
  if (req.path.includes('/clusters/')) return sendJson(res, 200, clusterBody);
  return sendJson(res, 200, detailBody);
}

/** The AK whose signature the request carries, checked as the gateway would; null when it is not validly signed. */
function signedBy(req: ReceivedRequest): string | null {
  const result = verifySignature({
    method: req.method,
    path: req.path,
    rawQuery: req.rawQuery,
    headers: req.headers,
    body: req.body,
    lookupSecret: (ak) => SECRETS[ak],
  });
  return result.valid ? result.ak : null;
}

let north: ScriptedServer;
let south: ScriptedServer;
let env: ScriptedServer;
let iam: ScriptedServer;
const fleets: DwsFleet[] = [];

beforeAll(async () => {
  north = await startScriptedServer();
  south = await startScriptedServer();
  env = await startScriptedServer();
  iam = await startScriptedServer();
});
afterEach(async () => {
  await Promise.all(fleets.splice(0).map((f) => f.close()));
});
afterAll(async () => {
  await Promise.all([north, south, env, iam].map((s) => s.close()));
});

/** A fleet of the configuration that `environment` and an inventory file of `text` make. */
function fleetOf(text: string, environment: NodeJS.ProcessEnv = {}): DwsFleet {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'dws-fleet-')), 'inventory.yaml');
  writeFileSync(file, text);
  const config = loadConfig({ ...ACCOUNT_ENV, ...environment, DWS_FAILOVER_INVENTORY: file }, { requireDws: true });
  const fleet = createDwsFleet(config);
  fleets.push(fleet);
  return fleet;
}

const ACCOUNTS = `accounts:
  prod: { ak_env: PROD_AK, sk_env: PROD_SK }
  apac: { ak_env: APAC_AK, sk_env: APAC_SK }
`;

const TWO_REGIONS = (): string => `${ACCOUNTS}projects:
  - { id: ${NORTH}, region: cn-north-4, account: prod, endpoint: "${north.origin}" }
  - { id: ${SOUTH}, region: cn-south-1, account: apac, endpoint: "${south.origin}" }
pairs:
  - name: ledger
    project_id: ${NORTH}
    dr_id: ${DR}
    dr_type: region
    clusters: [{ id: c-north }, { id: c-south, project_id: ${SOUTH} }]
  - { name: warehouse, project_id: ${NORTH}, dr_id: d-az, clusters: [{ id: c-1 }, { id: c-2 }] }
`;

describe('DwsFleet routing', () => {
  it("sends each project's calls to its region's endpoint, signed with its account's AK", async () => {
    north.script(answerDws);
    south.script(answerDws);
    const fleet = fleetOf(TWO_REGIONS());
    await fleet.getDisasterRecovery(NORTH, DR);
    await fleet.listDisasterRecoveries(SOUTH, { id: DR });
    await fleet.getProgress(SOUTH, DR);
    await fleet.listClusters(SOUTH);
    await fleet.getCluster(SOUTH, 'c-south');
    await fleet.failover(SOUTH, DR);
    await fleet.switchover(NORTH, DR);
    await fleet.recovery(NORTH, DR);

    expect(north.requests.map((r) => [r.method, r.path, signedBy(r)])).toEqual([
      ['GET', `/v2/${NORTH}/disaster-recovery/${DR}`, 'AKPROD'],
      ['POST', `/v2/${NORTH}/disaster-recovery/${DR}/switchover`, 'AKPROD'],
      ['POST', `/v2/${NORTH}/disaster-recovery/${DR}/recovery`, 'AKPROD'],
    ]);
    expect(south.requests.map((r) => [r.method, r.path, signedBy(r)])).toEqual([
      ['GET', `/v2/${SOUTH}/disaster-recoveries`, 'AKAPAC'],
      ['GET', `/v1/${SOUTH}/disaster-recovery/${DR}/show-progress`, 'AKAPAC'],
      ['GET', `/v1.0/${SOUTH}/clusters`, 'AKAPAC'],
      ['GET', `/v1.0/${SOUTH}/clusters/c-south`, 'AKAPAC'],
      ['POST', `/v2/${SOUTH}/disaster-recovery/${DR}/failover`, 'AKAPAC'],
    ]);
    expect(south.requests.every((r) => r.headers['x-project-id'] === SOUTH)).toBe(true);
    expect(fleet.clients).toBe(2);
  });

  it("sends a project the inventory does not list to the environment's endpoint with its credentials", async () => {
    env.script(answerDws);
    const fleet = fleetOf(TWO_REGIONS(), {
      DWS_ENDPOINT: env.origin,
      HUAWEICLOUD_SDK_AK: 'AKENV',
      HUAWEICLOUD_SDK_SK: 'sk-env',
    });
    expect(fleet.endpointFor(UNLISTED)).toEqual({
      projectId: UNLISTED,
      region: null,
      endpoint: env.origin,
      account: null,
    });
    expect(fleet.endpointFor(SOUTH)).toEqual({
      projectId: SOUTH,
      region: 'cn-south-1',
      endpoint: south.origin,
      account: 'apac',
    });
    await fleet.getDisasterRecovery(UNLISTED, DR);
    expect(env.requests.map((r) => [r.path, signedBy(r)])).toEqual([
      [`/v2/${UNLISTED}/disaster-recovery/${DR}`, 'AKENV'],
    ]);
  });

  it('refuses a project with no endpoint before anything is sent, saying how to give it one', async () => {
    const fleet = fleetOf(TWO_REGIONS());
    const why = `Project ${UNLISTED} has no DWS endpoint: list it under projects in the inventory (`;
    const fix = ') with its region, or set DWS_REGION or DWS_ENDPOINT.';
    expect(() => fleet.endpointFor(UNLISTED)).toThrow(why);
    expect(() => fleet.endpointFor(UNLISTED)).toThrow(fix);
    const refused = fleet.getDisasterRecovery(UNLISTED, DR);
    await expect(refused).rejects.toBeInstanceOf(DwsInvalidInputError);
    await expect(refused).rejects.toThrow(
      `ShowDisasterDetail for DR ${DR} in project ${UNLISTED} was not sent: ${why}`
    );
    expect(fleet.clients).toBe(0);
  });

  it('makes no client before the first call', () => {
    expect(fleetOf(TWO_REGIONS()).clients).toBe(0);
  });
});

describe('DwsFleet rate limits', () => {
  it('keeps one limit per account and region: another region or another account does not wait', async () => {
    for (const s of [north, south]) s.script(answerDws);
    const fleet = fleetOf(
      `${ACCOUNTS}projects:
  - { id: ${NORTH}, region: cn-north-4, account: prod, endpoint: "${north.origin}" }
  - { id: ${NORTH_2}, region: cn-north-4, account: prod, endpoint: "${north.origin}" }
  - { id: ${NORTH_APAC}, region: cn-north-4, account: apac, endpoint: "${north.origin}" }
  - { id: ${SOUTH}, region: cn-south-1, account: prod, endpoint: "${south.origin}" }
pairs: []
`,
      { DWS_RATE_LIMIT: '1' }
    );
    await fleet.getDisasterRecovery(NORTH, DR); // prod's one request a second at cn-north-4
    const sameAccountSameRegion = fleet.getDisasterRecovery(NORTH_2, DR);
    await Promise.all([fleet.getDisasterRecovery(SOUTH, DR), fleet.getDisasterRecovery(NORTH_APAC, DR)]);
    // prod in cn-south-1 and apac in cn-north-4 went at once, while NORTH_2 waits for prod's next second there.
    expect(north.requests.map((r) => r.headers['x-project-id'])).toEqual([NORTH, NORTH_APAC]);
    expect(south.requests.map((r) => r.headers['x-project-id'])).toEqual([SOUTH]);
    await sameAccountSameRegion;
    expect(north.requests.map((r) => r.headers['x-project-id'])).toEqual([NORTH, NORTH_APAC, NORTH_2]);
    expect(fleet.clients).toBe(3);
  });

  it('makes one client with one limit with the environment alone, as a single client did', async () => {
    env.script(answerDws);
    const config = loadConfig(
      { DWS_ENDPOINT: env.origin, HUAWEICLOUD_SDK_AK: 'AKENV', HUAWEICLOUD_SDK_SK: 'sk-env', DWS_RATE_LIMIT: '1' },
      { requireDws: true }
    );
    const fleet = createDwsFleet(config);
    fleets.push(fleet);
    await fleet.getDisasterRecovery(NORTH, DR);
    const second = fleet.getDisasterRecovery(SOUTH, DR);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(env.requests).toHaveLength(1);
    await second;
    expect(env.requests.map((r) => [r.headers['x-project-id'], signedBy(r)])).toEqual([
      [NORTH, 'AKENV'],
      [SOUTH, 'AKENV'],
    ]);
    expect(fleet.clients).toBe(1);
  });
});

describe('DwsFleet IAM accounts', () => {
  it("asks the account's IAM endpoint for one token per project and sends each project's own", async () => {
    const scopes: string[] = [];
    iam.script((req, res) => {
      const body = JSON.parse(req.body.toString()) as { auth: { scope: { project: { id: string } } } };
      const projectId = body.auth.scope.project.id;
      scopes.push(projectId);
      sendJson(
        res,
        201,
        { token: { expires_at: '2099-01-01T00:00:00.000000Z' } },
        { 'X-Subject-Token': `tok-${projectId}` }
      );
    });
    north.script(answerDws);
    const fleet = fleetOf(`accounts:
  corp: { iam: { domain: acme, user: dws-failover, password_env: IAM_PASSWORD, endpoint: "${iam.origin}" } }
projects:
  - { id: ${NORTH}, region: cn-north-4, account: corp, endpoint: "${north.origin}" }
  - { id: ${NORTH_2}, region: cn-north-4, account: corp, endpoint: "${north.origin}" }
pairs: []
`);
    await fleet.getDisasterRecovery(NORTH, DR);
    await fleet.getDisasterRecovery(NORTH_2, DR);
    await fleet.listClusters(NORTH);
    expect(scopes).toEqual([NORTH, NORTH_2]);
    expect(north.requests.map((r) => [r.headers['x-project-id'], r.headers['x-auth-token']])).toEqual([
      [NORTH, `tok-${NORTH}`],
      [NORTH_2, `tok-${NORTH_2}`],
      [NORTH, `tok-${NORTH}`],
    ]);
    expect(fleet.clients).toBe(1);
  });

  it("asks the IAM endpoint of the project's region when the account names none", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const seen: string[] = [];
    agent
      .get('https://iam.cn-south-1.myhuaweicloud.com')
      .intercept({ path: '/v3/auth/tokens?nocatalog=true', method: 'POST' })
      .reply(
        201,
        { token: { expires_at: '2099-01-01T00:00:00.000000Z' } },
        { headers: { 'x-subject-token': 'tok-south' } }
      );
    agent
      .get('https://dws.cn-south-1.myhuaweicloud.com')
      .intercept({ path: `/v2/${SOUTH}/disaster-recovery/${DR}`, method: 'GET' })
      .reply(200, (opts) => {
        seen.push(String((opts.headers as Record<string, string>)['X-Auth-Token']));
        return detailBody;
      });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dws-fleet-')), 'inventory.yaml');
    writeFileSync(
      file,
      `accounts:
  corp: { iam: { domain: acme, user: dws-failover, password_env: IAM_PASSWORD } }
projects:
  - { id: ${SOUTH}, region: cn-south-1, account: corp }
pairs: []
`
    );
    const config = loadConfig({ ...ACCOUNT_ENV, DWS_FAILOVER_INVENTORY: file }, { requireDws: true });
    const fleet = createDwsFleet(config, agent);
    try {
      await fleet.getDisasterRecovery(SOUTH, DR);
      expect(seen).toEqual(['tok-south']);
      agent.assertNoPendingInterceptors();
    } finally {
      await fleet.close();
      await agent.close();
    }
  });
});

describe('DwsFleet topology', () => {
  it('gives a cross-region pair a site per project, whichever side names it', () => {
    const fleet = fleetOf(TWO_REGIONS());
    const expected = {
      drType: 'region',
      sites: [
        { projectId: NORTH, region: 'cn-north-4', endpoint: north.origin },
        { projectId: SOUTH, region: 'cn-south-1', endpoint: south.origin },
      ],
      clusterProjects: { 'c-north': NORTH, 'c-south': SOUTH },
      failoverEndpoint: 'standby-region',
    };
    expect(fleet.topology(NORTH, DR)).toEqual(expected);
    expect(fleet.topology(SOUTH, DR)).toEqual(expected);
  });

  it('gives a cross-AZ pair and a pair the inventory does not list one site', () => {
    const fleet = fleetOf(TWO_REGIONS(), {
      DWS_REGION: 'cn-east-3',
      HUAWEICLOUD_SDK_AK: 'AKENV',
      HUAWEICLOUD_SDK_SK: 'x',
    });
    expect(fleet.topology(NORTH, 'd-az')).toEqual({
      drType: 'az',
      sites: [{ projectId: NORTH, region: 'cn-north-4', endpoint: north.origin }],
      clusterProjects: { 'c-1': NORTH, 'c-2': NORTH },
      failoverEndpoint: 'standby-region',
    });
    expect(fleet.topology(UNLISTED, 'd-other')).toEqual({
      drType: 'az',
      sites: [{ projectId: UNLISTED, region: 'cn-east-3', endpoint: 'https://dws.cn-east-3.myhuaweicloud.com' }],
      clusterProjects: {},
      failoverEndpoint: 'standby-region',
    });
  });
});
