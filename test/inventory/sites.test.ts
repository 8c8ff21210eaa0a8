import { describe, expect, it } from 'vitest';
import { parseInventory } from '../../src/inventory';

const NORTH = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const SOUTH = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
/** A second project in cn-south-1. */
const SOUTH_2 = 'c0ffee00'.repeat(4);

/** A two-region inventory: an az pair in cn-north-4 and a cross-region pair cn-north-4 ↔ cn-south-1. */
const TWO_REGIONS = `version: 1
accounts:
  prod: { ak_env: PROD_DWS_AK, sk_env: PROD_DWS_SK, security_token_env: PROD_DWS_TOKEN }
  apac:
    iam: { domain: acme, user: dws-failover, password_env: APAC_IAM_PASSWORD }
projects:
  - id: ${NORTH}
    region: cn-north-4
    account: prod
  - id: ${SOUTH}
    region: cn-south-1
    account: apac
    endpoint: https://dws.cn-south-1.example.internal/
pairs:
  - name: warehouse
    project_id: ${NORTH}
    dr_id: d-az
    clusters: [{ id: c-1 }, { id: c-2 }]
  - name: ledger
    project_id: ${NORTH}
    dr_id: d-region
    dr_type: region
    failover_endpoint: primary-region
    clusters:
      - id: c-3
      - id: c-4
        project_id: ${SOUTH}
`;

const ENV = {
  PROD_DWS_AK: 'AKPROD',
  PROD_DWS_SK: 'sk-prod',
  PROD_DWS_TOKEN: 'token-prod',
  APAC_IAM_PASSWORD: 'pw-apac',
};

/** The problems of an inventory made of `head` and pairs. */
const problemsOf = (text: string): string[] => parseInventory(text).problems;

describe('inventory projects and accounts', () => {
  it('reads projects with their endpoints, accounts with their variables, and where each cluster lives', () => {
    const { inventory, problems } = parseInventory(TWO_REGIONS, 'inv.yaml', ENV);
    expect(problems).toEqual([]);
    expect(inventory?.projects.get(NORTH)).toEqual({
      id: NORTH,
      region: 'cn-north-4',
      endpoint: 'https://dws.cn-north-4.myhuaweicloud.com',
      account: 'prod',
    });
    expect(inventory?.projects.get(SOUTH)?.endpoint).toBe('https://dws.cn-south-1.example.internal');
    expect(inventory?.accounts.get('prod')).toEqual({
      name: 'prod',
      credentials: { kind: 'aksk', ak: 'AKPROD', sk: 'sk-prod', securityToken: 'token-prod' },
      unset: [],
    });
    expect(inventory?.accounts.get('apac')?.credentials).toEqual({
      kind: 'iam',
      iamEndpoint: null,
      domain: 'acme',
      user: 'dws-failover',
      password: 'pw-apac',
    });
    const [az, region] = inventory?.pairs ?? [];
    expect(az).toMatchObject({ drType: 'az', failoverEndpoint: 'standby-region' });
    expect(az?.clusters.map((c) => c.projectId)).toEqual([NORTH, NORTH]);
    expect(region).toMatchObject({ drType: 'region', failoverEndpoint: 'primary-region' });
    expect(region?.clusters.map((c) => c.projectId)).toEqual([NORTH, SOUTH]);
  });

  it('keeps an account whose variables are unset without credentials, naming each unset variable', () => {
    const { inventory, problems } = parseInventory(TWO_REGIONS, 'inv.yaml', {
      PROD_DWS_AK: 'AKPROD',
      PROD_DWS_SK: ' ',
    });
    expect(problems).toEqual([]);
    expect(inventory?.accounts.get('prod')).toEqual({
      name: 'prod',
      credentials: null,
      unset: [
        { key: 'sk_env', variable: 'PROD_DWS_SK' },
        { key: 'security_token_env', variable: 'PROD_DWS_TOKEN' },
      ],
    });
    expect(inventory?.accounts.get('apac')?.unset).toEqual([
      { key: 'iam.password_env', variable: 'APAC_IAM_PASSWORD' },
    ]);
  });

  it('loads an inventory without accounts and projects as before: every pair in one project, cross-AZ', () => {
    const { inventory } = parseInventory(`pairs:
  - { name: a, project_id: p, dr_id: d, clusters: [{ id: c1 }, { id: c2 }] }
`);
    expect(inventory?.projects.size).toBe(0);
    expect(inventory?.accounts.size).toBe(0);
    expect(inventory?.pairs[0]).toMatchObject({
      drType: 'az',
      failoverEndpoint: 'standby-region',
      clusters: [{ projectId: 'p' }, { projectId: 'p' }],
    });
  });

  it('refuses malformed accounts, naming the key and the fix, and never echoes a secret pasted as a name', () => {
    const problems = problemsOf(`accounts:
  pasted: { ak_env: AKPROD, sk_env: "hX3kq9ZsecretSK0" }
  half: { ak_env: PROD_AK }
  both: { ak_env: A, sk_env: B, iam: { domain: d, user: u, password_env: P } }
  empty: {}
  typo: { iam: { domain: d, user: u, pasword_env: P } }
pairs: []
`);
    expect(problems).toEqual([
      'accounts.pasted.sk_env: must be the name of an environment variable (upper-case letters, digits and _) that holds the value, never the value itself (line 2)',
      'accounts.half.sk_env: is required with AK/SK credentials: the name of the variable holding the secret access key (line 3)',
      'accounts.both.iam: an account is either AK/SK (ak_env, sk_env) or an IAM user (iam:), not both; split it into two accounts (line 4)',
      'accounts.empty: needs credentials: ak_env and sk_env (the variables holding the AK and SK), or iam: { domain, user, password_env } (line 5)',
      'accounts.typo.iam.password_env: is required (line 6)',
      'accounts.typo.iam.pasword_env: is not a known field (check the spelling) (line 6)',
    ]);
    expect(problems.join('\n')).not.toContain('hX3kq9ZsecretSK0');
  });

  it('refuses malformed and repeated projects and accounts that do not exist', () => {
    const problems = problemsOf(`accounts:
  prod: { ak_env: A, sk_env: B }
projects:
  - { id: ${NORTH}, region: cn-north-4, account: prod }
  - { id: ${NORTH}, region: cn-north-4, account: prd }
  - { id: 0A1B, region: Beijing 4, endpoint: "https://dws.example/?x=1", zone: a }
pairs: []
`);
    expect(problems).toEqual([
      `projects[1].id: project ${NORTH} is also projects[0]; list each project once (line 5)`,
      "projects[1].account: there is no account 'prd' under accounts (it has prod); fix the name or add the account (line 5)",
      "projects[2].id: must be the region's IAM project id: 32 lower-case hex characters (console: My Credentials → API Credentials) (line 6)",
      'projects[2].region: must be a region id such as cn-north-4 (line 6)',
      'projects[2].endpoint: must be a base URL without query, fragment or credentials, e.g. https://dws.cn-north-4.myhuaweicloud.com (line 6)',
      'projects[2].zone: is not a known field (check the spelling) (line 6)',
    ]);
    expect(problemsOf(`projects: [{ id: ${NORTH}, region: cn-north-4, account: prod }]\npairs: []\n`)).toEqual([
      "projects[0].account: there is no account 'prod': add it under accounts (with ak_env/sk_env or iam), or remove account to use the environment's credentials (line 1)",
    ]);
  });
});

describe('inventory dr_type', () => {
  const projects = `projects:
  - { id: ${NORTH}, region: cn-north-4 }
  - { id: ${SOUTH}, region: cn-south-1 }
  - { id: ${SOUTH_2}, region: cn-south-1 }
`;

  it('keeps both clusters of a cross-AZ pair in its project and refuses failover_endpoint on it', () => {
    expect(
      problemsOf(`${projects}pairs:
  - name: a
    project_id: ${NORTH}
    dr_id: d
    failover_endpoint: standby-region
    clusters: [{ id: c1 }, { id: c2, project_id: ${SOUTH} }]
`)
    ).toEqual([
      'pairs[0].failover_endpoint: applies only to a cross-region pair (dr_type: region): a cross-AZ pair has one endpoint; remove failover_endpoint (line 9)',
      `pairs[0].clusters[1].project_id: a cross-AZ pair (dr_type: az, the default) has both clusters in the pair's project ${NORTH}; remove project_id, or set dr_type: region on the pair if its clusters are in two regions (line 10)`,
    ]);
  });

  it('needs a cross-region pair in two projects with two endpoints, named by one of them', () => {
    const pair = (name: string, projectId: string, a: string, b: string): string => `  - name: ${name}
    project_id: ${projectId}
    dr_id: d-${name}
    dr_type: region
    clusters: [{ id: ${name}-1, project_id: ${a} }, { id: ${name}-2, project_id: ${b} }]
`;
    const unlisted = 'f'.repeat(32);
    const other = 'e'.repeat(32);
    expect(
      problemsOf(`${projects}pairs:
${pair('same', NORTH, NORTH, NORTH)}${pair('neither', SOUTH_2, NORTH, SOUTH)}${pair('endpoint', SOUTH, SOUTH, SOUTH_2)}${pair('unlisted', unlisted, unlisted, other)}${pair('ok', unlisted, unlisted, SOUTH)}`)
    ).toEqual([
      `pairs[0].clusters: a cross-region pair (dr_type: region) has its clusters in two projects of two regions, but both are in project ${NORTH}; set project_id on the cluster in the other region, or use dr_type: az (line 10)`,
      `pairs[1].project_id: must be the project of one of the pair's clusters (${NORTH} or ${SOUTH}): a cross-region pair is named by one of its two sides (line 12)`,
      `pairs[2].clusters: projects ${SOUTH} and ${SOUTH_2} both use the endpoint https://dws.cn-south-1.myhuaweicloud.com, but the two sides of a cross-region pair are served by their own regions' endpoints; fix the region or endpoint of one of them under projects (line 20)`,
      `pairs[3].clusters: neither project ${unlisted} nor ${other} is listed under projects, but only one side of a cross-region pair can use the environment's endpoint (DWS_REGION/DWS_ENDPOINT); list the other region's project under projects with its region (line 25)`,
    ]);
  });

  it('refuses two pairs that either side of a cross-region pair would name alike', () => {
    expect(
      problemsOf(`${projects}pairs:
  - name: ledger
    project_id: ${NORTH}
    dr_id: d
    dr_type: region
    clusters: [{ id: c1 }, { id: c2, project_id: ${SOUTH} }]
  - { name: ledger-south, project_id: ${SOUTH}, dr_id: d, clusters: [{ id: c3 }, { id: c4 }] }
`)
    ).toEqual([`pairs[1].dr_id: DR d of project ${SOUTH} is also pairs[0]; list each pair once (line 11)`]);
  });
});
