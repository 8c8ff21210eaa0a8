import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type LoadConfigOptions } from '../../src/config';

const NORTH = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const SOUTH = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const AKSK = { HUAWEICLOUD_SDK_AK: 'AKEXAMPLE0000000001', HUAWEICLOUD_SDK_SK: 'sk-example-secret' };
const ACCOUNT_ENV = { PROD_DWS_AK: 'AKPROD', PROD_DWS_SK: 'sk-prod', APAC_IAM_PASSWORD: 'pw-apac' };

/** Writes an inventory file and returns the environment variable naming it. */
function inventory(text: string): { DWS_FAILOVER_INVENTORY: string } {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'dws-regions-')), 'inventory.yaml');
  writeFileSync(file, text);
  return { DWS_FAILOVER_INVENTORY: file };
}

function problemsOf(env: NodeJS.ProcessEnv, options: LoadConfigOptions = {}): string[] {
  try {
    loadConfig(env, options);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError, but the configuration was accepted');
}

const ACCOUNTS = `accounts:
  prod: { ak_env: PROD_DWS_AK, sk_env: PROD_DWS_SK }
  apac: { iam: { domain: acme, user: dws-failover, password_env: APAC_IAM_PASSWORD } }
`;
const PROJECTS = `projects:
  - { id: ${NORTH}, region: cn-north-4, account: prod }
  - { id: ${SOUTH}, region: cn-south-1, account: apac }
`;
const PAIRS = `pairs:
  - { name: warehouse, project_id: ${NORTH}, dr_id: d-az, clusters: [{ id: c1 }, { id: c2 }] }
  - name: ledger
    project_id: ${NORTH}
    dr_id: d-region
    dr_type: region
    clusters: [{ id: c3 }, { id: c4, project_id: ${SOUTH} }]
`;

describe('loadConfig with an inventory of several regions', () => {
  it("reads each account's variables from the environment when the configuration loads", () => {
    const config = loadConfig({ ...inventory(ACCOUNTS + PROJECTS + PAIRS), ...ACCOUNT_ENV });
    expect(config.inventory?.accounts.get('prod')?.credentials).toEqual({ kind: 'aksk', ak: 'AKPROD', sk: 'sk-prod' });
    expect(config.inventory?.accounts.get('apac')?.credentials).toMatchObject({ kind: 'iam', password: 'pw-apac' });
  });

  it('starts a worker without DWS_REGION and environment credentials when the projects and accounts cover every pair', () => {
    const config = loadConfig({ ...inventory(ACCOUNTS + PROJECTS + PAIRS), ...ACCOUNT_ENV }, { requireDws: true });
    expect(config.dws.endpoint).toBeNull();
    expect(config.dws.credentials).toBeNull();
    expect([...(config.inventory?.projects.keys() ?? [])]).toEqual([NORTH, SOUTH]);
  });

  it("refuses to start a worker while an account's variable is unset, naming the account, the key and the variable", () => {
    const env = { ...inventory(ACCOUNTS + PROJECTS + PAIRS), ...ACCOUNT_ENV, PROD_DWS_SK: '' };
    const file = env.DWS_FAILOVER_INVENTORY;
    expect(problemsOf(env, { requireDws: true })).toEqual([
      `DWS_FAILOVER_INVENTORY (${file}): accounts.prod.sk_env: the variable PROD_DWS_SK is not set or empty; set it to the account's secret access key (SK) before starting, or name the variable that holds it`,
    ]);
  });

  it('lets the intake and the starting commands load the inventory without the accounts’ secrets', () => {
    const config = loadConfig(inventory(ACCOUNTS + PROJECTS + PAIRS));
    expect(config.inventory?.accounts.get('prod')).toMatchObject({
      credentials: null,
      unset: [
        { key: 'ak_env', variable: 'PROD_DWS_AK' },
        { key: 'sk_env', variable: 'PROD_DWS_SK' },
      ],
    });
  });

  it('names the pair and the project that has no endpoint, and the fix', () => {
    const env = {
      ...inventory(`${ACCOUNTS}projects:\n  - { id: ${NORTH}, region: cn-north-4, account: prod }\n${PAIRS}`),
      ...ACCOUNT_ENV,
    };
    expect(problemsOf(env, { requireDws: true })).toEqual([
      `DWS_FAILOVER_INVENTORY (${env.DWS_FAILOVER_INVENTORY}): pairs[1].clusters[1].project_id: project ${SOUTH} (pair 'ledger') has no DWS endpoint: it is not listed under projects, and neither DWS_REGION nor DWS_ENDPOINT is set; list it under projects with its region, or set DWS_REGION (e.g. cn-north-4) or DWS_ENDPOINT`,
      `DWS_FAILOVER_INVENTORY (${env.DWS_FAILOVER_INVENTORY}): pairs[1].clusters[1].project_id: project ${SOUTH} (pair 'ledger') has no credentials: it is not listed under projects, so it uses the environment's, and none are set; list it under projects with an account, or set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (or HUAWEICLOUD_IAM_USER/PASSWORD/DOMAIN) in the environment`,
    ]);
    // The environment's endpoint and credentials serve the unlisted side.
    expect(loadConfig({ ...env, DWS_REGION: 'cn-south-1', ...AKSK }, { requireDws: true }).dws.endpoint).toBe(
      'https://dws.cn-south-1.myhuaweicloud.com'
    );
  });

  it('names a listed project without an account when the environment has no credentials', () => {
    const env = {
      ...inventory(
        `projects:\n  - { id: ${NORTH}, region: cn-north-4 }\npairs:\n  - { name: warehouse, project_id: ${NORTH}, dr_id: d, clusters: [{ id: c1 }, { id: c2 }] }\n`
      ),
    };
    expect(problemsOf(env, { requireDws: true })).toEqual([
      `DWS_FAILOVER_INVENTORY (${env.DWS_FAILOVER_INVENTORY}): pairs[0].project_id: project ${NORTH} (pair 'warehouse') has no credentials: its projects entry names no account, so it uses the environment's, and none are set; give it account:, or set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (or HUAWEICLOUD_IAM_USER/PASSWORD/DOMAIN) in the environment`,
    ]);
    expect(loadConfig({ ...env, ...AKSK }, { requireDws: true }).dws.credentials?.kind).toBe('aksk');
  });

  it("refuses a cross-region pair whose unlisted side would use the listed side's endpoint", () => {
    const env = {
      ...inventory(`${ACCOUNTS}projects:\n  - { id: ${NORTH}, region: cn-north-4, account: prod }\n${PAIRS}`),
      ...ACCOUNT_ENV,
      ...AKSK,
      DWS_REGION: 'cn-north-4',
    };
    expect(problemsOf(env)).toEqual([
      `DWS_FAILOVER_INVENTORY (${env.DWS_FAILOVER_INVENTORY}): pairs[1].clusters[1].project_id: project ${SOUTH} is not listed under projects, so it would use the environment's endpoint https://dws.cn-north-4.myhuaweicloud.com, which is also the endpoint of the pair's other side (project ${NORTH}); list ${SOUTH} under projects with its own region`,
    ]);
  });
});

describe('loadConfig with the environment alone, as before', () => {
  const TODAY = [
    'Set DWS_REGION (e.g. cn-north-4) or DWS_ENDPOINT (the DWS API base URL).',
    'No DWS credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (plus HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary ones), or HUAWEICLOUD_IAM_USER/PASSWORD/DOMAIN.',
  ];

  it('asks for the endpoint and credentials in the same words without an inventory', () => {
    expect(problemsOf({}, { requireDws: true })).toEqual(TODAY);
  });

  it('asks the same with an inventory that lists no projects', () => {
    const env = inventory(PAIRS.replace(`, project_id: ${SOUTH}`, '').replace('dr_type: region', 'dr_type: az'));
    expect(problemsOf(env, { requireDws: true })).toEqual(TODAY);
  });

  it('keeps the environment endpoint and credentials as they were', () => {
    const config = loadConfig({ DWS_REGION: 'cn-north-4', ...AKSK }, { requireDws: true });
    expect(config.dws).toMatchObject({
      endpoint: 'https://dws.cn-north-4.myhuaweicloud.com',
      region: 'cn-north-4',
      credentials: { kind: 'aksk', ak: AKSK.HUAWEICLOUD_SDK_AK, sk: AKSK.HUAWEICLOUD_SDK_SK },
    });
    expect(config.inventory).toBeNull();
  });
});
