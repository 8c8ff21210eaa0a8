import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type LoadConfigOptions } from '../../src/config';
import { workerRateShare } from '../../src/dws/factory';

/** The problems `loadConfig` reports for `env`; fails the test when the configuration is accepted. */
function problemsOf(env: NodeJS.ProcessEnv, options: LoadConfigOptions = {}): string[] {
  try {
    loadConfig(env, options);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError, but the configuration was accepted');
}

/** The ConfigError `loadConfig` throws for `env`. */
function errorOf(env: NodeJS.ProcessEnv, options: LoadConfigOptions = {}): ConfigError {
  try {
    loadConfig(env, options);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError, but the configuration was accepted');
}

const AKSK = { HUAWEICLOUD_SDK_AK: 'AKEXAMPLE0000000001', HUAWEICLOUD_SDK_SK: 'sk-example-secret' };
const PROJECT_ID = '0123456789abcdef0123456789abcdef';

describe('loadConfig defaults', () => {
  it('connects to Temporal at 127.0.0.1:7233 in the default namespace on the dws-failover task queue', () => {
    const config = loadConfig({});
    expect(config.temporal.address).toBe('127.0.0.1:7233');
    expect(config.temporal.connectionOptions.address).toBe('127.0.0.1:7233');
    expect(config.temporal.namespace).toBe('default');
    expect(config.temporal.taskQueue).toBe('dws-failover');
  });

  it('uses the documented policy defaults when no policy variable is set', () => {
    expect(loadConfig({}).policy).toEqual({
      dataLossBudgetSeconds: 900,
      approval: 'auto',
      approvalTimeoutSeconds: 1800,
      completionTimeoutSeconds: 3600,
      pollIntervalSeconds: 10,
      cooldownSeconds: 3600,
      requestRetryInitialIntervalSeconds: 2,
      requestRetryMaxIntervalSeconds: 60,
      requestMaxAttempts: 8,
      readAfterWriteWindowSeconds: 60,
      readOutageAllowanceSeconds: 300,
      heartbeatTimeoutSeconds: 10,
      resolvedAlertCancels: false,
    });
  });

  it('derives the resend fence from the request timeout and the planned read lag unless it is set', () => {
    expect(loadConfig({ DWS_REQUEST_TIMEOUT: '10s' }).policy.readAfterWriteWindowSeconds).toBe(55);
    expect(loadConfig({ DWS_FAILOVER_MAX_READ_LAG: '2m' }).policy.readAfterWriteWindowSeconds).toBe(135);
    expect(loadConfig({ DWS_FAILOVER_READ_AFTER_WRITE_WINDOW: '30s' }).policy.readAfterWriteWindowSeconds).toBe(30);
    expect(() => loadConfig({ DWS_FAILOVER_MAX_READ_LAG: 'soon' })).toThrow(/DWS_FAILOVER_MAX_READ_LAG/);
  });

  it('needs no DWS endpoint or credentials unless asked to, and then leaves them empty', () => {
    const config = loadConfig({});
    expect(config.dws).toMatchObject({ endpoint: null, region: null, credentials: null, defaultProjectId: null });
    expect(config.inventoryPath).toBeNull();
  });

  it('serves the intake on port 8080 and logs text at info level by default', () => {
    const config = loadConfig({});
    expect(config.intake).toMatchObject({ port: 8080, token: null, hmacSecret: null });
    expect(config.log).toEqual({ format: 'text', level: 'info' });
  });

  it('treats empty and blank variables as unset', () => {
    const config = loadConfig({ DWS_FAILOVER_TASK_QUEUE: '   ', DWS_REGION: '', DWS_FAILOVER_DATA_LOSS_BUDGET: ' ' });
    expect(config.temporal.taskQueue).toBe('dws-failover');
    expect(config.dws.endpoint).toBeNull();
    expect(config.policy.dataLossBudgetSeconds).toBe(900);
  });
});

describe('loadConfig Temporal connection', () => {
  it('takes the address, namespace and task queue from TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and DWS_FAILOVER_TASK_QUEUE', () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_NAMESPACE: 'dws-prod',
      DWS_FAILOVER_TASK_QUEUE: 'dws-failover-eu',
    });
    expect(config.temporal.address).toBe('temporal.internal:7233');
    expect(config.temporal.connectionOptions.address).toBe('temporal.internal:7233');
    expect(config.temporal.namespace).toBe('dws-prod');
    expect(config.temporal.taskQueue).toBe('dws-failover-eu');
  });

  it('passes TEMPORAL_API_KEY to the connection and turns TLS on for it', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'api-key-value' });
    expect(config.temporal.connectionOptions.apiKey).toBe('api-key-value');
    expect(config.temporal.connectionOptions.tls).toBeTruthy();
  });

  it('reports contradictory TLS variables naming both of them', () => {
    const problems = problemsOf({
      TEMPORAL_TLS_CLIENT_KEY_PATH: '/etc/tls/key.pem',
      TEMPORAL_TLS_CLIENT_KEY_DATA: 'x',
    });
    expect(problems).toEqual([
      'Both TEMPORAL_TLS_CLIENT_KEY_PATH and TEMPORAL_TLS_CLIENT_KEY_DATA are set; keep one (a file path or the PEM text).',
    ]);
  });
});

describe('loadConfig DWS endpoint', () => {
  it('derives https://dws.{region}.myhuaweicloud.com from DWS_REGION', () => {
    const config = loadConfig({ DWS_REGION: 'cn-north-4' });
    expect(config.dws.region).toBe('cn-north-4');
    expect(config.dws.endpoint).toBe('https://dws.cn-north-4.myhuaweicloud.com');
  });

  it.each(['cn-south-4', 'cn-north-12', 'cn-east-4', 'tr-west-1', 'ap-southeast-4'])(
    'uses the myhuaweicloud.cn domain for %s',
    (region) => {
      expect(loadConfig({ DWS_REGION: region }).dws.endpoint).toBe(`https://dws.${region}.myhuaweicloud.cn`);
    }
  );

  it('uses the myhuaweicloud.eu domain for eu-west-101', () => {
    expect(loadConfig({ DWS_REGION: 'eu-west-101' }).dws.endpoint).toBe('https://dws.eu-west-101.myhuaweicloud.eu');
  });

  it.each(['ap-southeast-1', 'af-south-1', 'la-south-2', 'cn-east-3'])(
    'keeps the myhuaweicloud.com domain for %s',
    (region) => {
      expect(loadConfig({ DWS_REGION: region }).dws.endpoint).toBe(`https://dws.${region}.myhuaweicloud.com`);
    }
  );

  it('prefers DWS_ENDPOINT over the regional default and drops its trailing slashes', () => {
    const config = loadConfig({ DWS_REGION: 'cn-north-4', DWS_ENDPOINT: 'http://127.0.0.1:8090//' });
    expect(config.dws.endpoint).toBe('http://127.0.0.1:8090');
    expect(config.dws.region).toBe('cn-north-4');
  });

  it.each(['dws.cn-north-4.myhuaweicloud.com', 'ftp://dws.example.com', 'not a url'])(
    'rejects DWS_ENDPOINT=%s as not an http(s) URL, naming the variable',
    (endpoint) => {
      const problems = problemsOf({ DWS_ENDPOINT: endpoint });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^DWS_ENDPOINT=/);
      expect(problems[0]).toMatch(/http\(s\) URL/);
    }
  );

  it('rejects a DWS_REGION that is not a region id, naming the variable', () => {
    const problems = problemsOf({ DWS_REGION: 'Beijing 4' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^DWS_REGION='Beijing 4'/);
  });
});

describe('loadConfig DWS credentials', () => {
  it('reads AK/SK credentials from HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK', () => {
    expect(loadConfig(AKSK).dws.credentials).toEqual({
      kind: 'aksk',
      ak: 'AKEXAMPLE0000000001',
      sk: 'sk-example-secret',
    });
  });

  it('adds HUAWEICLOUD_SDK_SECURITY_TOKEN to the AK/SK for temporary credentials', () => {
    const config = loadConfig({ ...AKSK, HUAWEICLOUD_SDK_SECURITY_TOKEN: 'temporary-token' });
    expect(config.dws.credentials).toEqual({
      kind: 'aksk',
      ak: 'AKEXAMPLE0000000001',
      sk: 'sk-example-secret',
      securityToken: 'temporary-token',
    });
  });

  it('reports an AK without its SK, naming HUAWEICLOUD_SDK_SK', () => {
    const problems = problemsOf({ HUAWEICLOUD_SDK_AK: 'AKEXAMPLE0000000001' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/HUAWEICLOUD_SDK_SK is missing/);
  });

  it('reports an SK without its AK, naming HUAWEICLOUD_SDK_AK', () => {
    const problems = problemsOf({ HUAWEICLOUD_SDK_SK: 'sk-example-secret' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/HUAWEICLOUD_SDK_AK is missing/);
  });

  it('reads IAM-token credentials with the IAM endpoint of DWS_REGION', () => {
    const config = loadConfig({
      DWS_REGION: 'cn-north-4',
      HUAWEICLOUD_IAM_DOMAIN: 'acme',
      HUAWEICLOUD_IAM_USER: 'failover-bot',
      HUAWEICLOUD_IAM_PASSWORD: 'iam-password',
    });
    expect(config.dws.credentials).toEqual({
      kind: 'iam',
      iamEndpoint: 'https://iam.cn-north-4.myhuaweicloud.com',
      domain: 'acme',
      user: 'failover-bot',
      password: 'iam-password',
    });
  });

  it('uses HUAWEICLOUD_IAM_ENDPOINT when it is set, and the global IAM endpoint without a region', () => {
    const iam = { HUAWEICLOUD_IAM_DOMAIN: 'acme', HUAWEICLOUD_IAM_USER: 'bot', HUAWEICLOUD_IAM_PASSWORD: 'pw' };
    expect(loadConfig({ ...iam, HUAWEICLOUD_IAM_ENDPOINT: 'http://127.0.0.1:8090' }).dws.credentials).toMatchObject({
      kind: 'iam',
      iamEndpoint: 'http://127.0.0.1:8090',
    });
    expect(loadConfig(iam).dws.credentials).toMatchObject({
      kind: 'iam',
      iamEndpoint: 'https://iam.myhuaweicloud.com',
    });
  });

  it('reports every missing IAM variable when only the user is set', () => {
    const problems = problemsOf({ HUAWEICLOUD_IAM_USER: 'bot' });
    expect(problems).toHaveLength(2);
    expect(problems.some((p) => p.includes('HUAWEICLOUD_IAM_PASSWORD is missing'))).toBe(true);
    expect(problems.some((p) => p.includes('HUAWEICLOUD_IAM_DOMAIN'))).toBe(true);
  });

  it('reports an IAM password without a user, naming HUAWEICLOUD_IAM_USER', () => {
    const problems = problemsOf({ HUAWEICLOUD_IAM_PASSWORD: 'pw', HUAWEICLOUD_IAM_DOMAIN: 'acme' });
    expect(problems).toEqual([expect.stringContaining('HUAWEICLOUD_IAM_USER is missing')]);
  });

  it('accepts a 32-hex HUAWEICLOUD_SDK_PROJECT_ID as the default project and rejects anything else', () => {
    expect(loadConfig({ HUAWEICLOUD_SDK_PROJECT_ID: PROJECT_ID }).dws.defaultProjectId).toBe(PROJECT_ID);
    const problems = problemsOf({ HUAWEICLOUD_SDK_PROJECT_ID: 'my-project' });
    expect(problems).toEqual([expect.stringMatching(/^HUAWEICLOUD_SDK_PROJECT_ID='my-project'.*32-hex/)]);
  });
});

describe('loadConfig requireDws', () => {
  it('asks for DWS_REGION or DWS_ENDPOINT and for credentials when neither is set', () => {
    const problems = problemsOf({}, { requireDws: true });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/DWS_REGION/);
    expect(problems[0]).toMatch(/DWS_ENDPOINT/);
    expect(problems[1]).toMatch(/No DWS credentials/);
    expect(problems[1]).toMatch(/HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK/);
    expect(problems[1]).toMatch(/HUAWEICLOUD_SDK_SECURITY_TOKEN/);
    expect(problems[1]).toMatch(/HUAWEICLOUD_IAM_USER/);
  });

  it('asks only for credentials when the region is set', () => {
    const problems = problemsOf({ DWS_REGION: 'cn-north-4' }, { requireDws: true });
    expect(problems).toEqual([expect.stringMatching(/^No DWS credentials/)]);
  });

  it('asks only for the endpoint when AK/SK are set', () => {
    const problems = problemsOf(AKSK, { requireDws: true });
    expect(problems).toEqual([expect.stringMatching(/DWS_REGION .*or DWS_ENDPOINT/)]);
  });

  it('reports an invalid DWS_ENDPOINT once, without also asking for an endpoint', () => {
    const problems = problemsOf({ ...AKSK, DWS_ENDPOINT: 'nope' }, { requireDws: true });
    expect(problems).toEqual([expect.stringMatching(/^DWS_ENDPOINT='nope'/)]);
  });

  it('reports a half-set AK/SK pair instead of a generic missing-credentials message', () => {
    const problems = problemsOf({ DWS_REGION: 'cn-north-4', HUAWEICLOUD_SDK_AK: 'AK' }, { requireDws: true });
    expect(problems).toEqual([expect.stringContaining('HUAWEICLOUD_SDK_SK is missing')]);
  });

  it('still reports missing credentials when the project id is invalid too', () => {
    const problems = problemsOf(
      { DWS_REGION: 'cn-north-4', HUAWEICLOUD_SDK_PROJECT_ID: 'not-a-project' },
      { requireDws: true }
    );
    expect(problems).toHaveLength(2);
    expect(problems.some((p) => p.startsWith('HUAWEICLOUD_SDK_PROJECT_ID='))).toBe(true);
    expect(problems.some((p) => p.startsWith('No DWS credentials'))).toBe(true);
  });

  it('accepts a region with AK/SK', () => {
    const config = loadConfig({ DWS_REGION: 'cn-north-4', ...AKSK }, { requireDws: true });
    expect(config.dws.endpoint).toBe('https://dws.cn-north-4.myhuaweicloud.com');
    expect(config.dws.credentials?.kind).toBe('aksk');
  });
});

describe('loadConfig durations and numbers', () => {
  it.each([
    ['90', 90],
    ['90s', 90],
    ['15m', 900],
    ['1h', 3600],
    ['1h30m', 5400],
  ])('reads DWS_FAILOVER_DATA_LOSS_BUDGET=%s as %i seconds', (value, seconds) => {
    expect(loadConfig({ DWS_FAILOVER_DATA_LOSS_BUDGET: value }).policy.dataLossBudgetSeconds).toBe(seconds);
  });

  it('reads every policy variable into the policy', () => {
    const policy = loadConfig({
      DWS_FAILOVER_APPROVAL: 'always',
      DWS_FAILOVER_APPROVAL_TIMEOUT: '1h',
      DWS_FAILOVER_COMPLETION_TIMEOUT: '2h',
      DWS_FAILOVER_POLL_INTERVAL: '0.3',
      DWS_FAILOVER_COOLDOWN: '0',
      DWS_FAILOVER_READ_AFTER_WRITE_WINDOW: '1',
      DWS_FAILOVER_REQUEST_MAX_ATTEMPTS: '3',
    }).policy;
    expect(policy).toMatchObject({
      approval: 'always',
      approvalTimeoutSeconds: 3600,
      completionTimeoutSeconds: 7200,
      pollIntervalSeconds: 0.3,
      cooldownSeconds: 0,
      readAfterWriteWindowSeconds: 1,
      requestMaxAttempts: 3,
    });
  });

  it('reads the DWS request timeout in seconds and the rate limit', () => {
    const config = loadConfig({ DWS_REQUEST_TIMEOUT: '30s', DWS_RATE_LIMIT: '0' });
    expect(config.dws.timeoutMs).toBe(30_000);
    expect(config.dws.rateLimitPerSecond).toBe(0);
  });

  it('gives each of the workers sharing the account limit an equal whole part of it', () => {
    expect(workerRateShare(loadConfig({ DWS_RATE_LIMIT: '50' }))).toBe(50);
    expect(workerRateShare(loadConfig({ DWS_RATE_LIMIT: '50', DWS_FAILOVER_WORKERS: '2' }))).toBe(25);
    expect(workerRateShare(loadConfig({ DWS_RATE_LIMIT: '50', DWS_FAILOVER_WORKERS: '3' }))).toBe(16);
    expect(workerRateShare(loadConfig({ DWS_RATE_LIMIT: '2', DWS_FAILOVER_WORKERS: '5' }))).toBe(1);
    expect(() => loadConfig({ DWS_FAILOVER_WORKERS: '0' })).toThrow(/DWS_FAILOVER_WORKERS/);
  });

  it.each([
    ['DWS_FAILOVER_DATA_LOSS_BUDGET', 'abc'],
    ['DWS_FAILOVER_DATA_LOSS_BUDGET', '-5'],
    ['DWS_FAILOVER_APPROVAL_TIMEOUT', '0'],
    ['DWS_FAILOVER_POLL_INTERVAL', '50ms'],
    ['DWS_FAILOVER_COMPLETION_TIMEOUT', '10 minutes'],
    ['DWS_FAILOVER_COOLDOWN', '1w'],
  ])('rejects %s=%s with a message naming the variable and the accepted forms', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${name}='${value}'`);
    expect(problems[0]).toMatch(/15m/);
  });

  it.each([
    ['DWS_FAILOVER_REQUEST_MAX_ATTEMPTS', '0'],
    ['DWS_FAILOVER_REQUEST_MAX_ATTEMPTS', 'three'],
    ['DWS_FAILOVER_INTAKE_PORT', '70000'],
    ['DWS_FAILOVER_MAX_CONCURRENT_ACTIVITIES', '1.5'],
  ])('rejects %s=%s as not a whole number in range, naming the variable', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^${name}='${value}' must be a whole number`))]);
  });

  it.each([
    ['DWS_FAILOVER_APPROVAL', 'sometimes'],
    ['DWS_FAILOVER_LOG_FORMAT', 'xml'],
    ['DWS_FAILOVER_LOG_LEVEL', 'loud'],
  ])('rejects %s=%s, naming the variable and the allowed values', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^${name}='${value}' must be`))]);
  });
});

describe('loadConfig errors', () => {
  it('reports several invalid variables in one ConfigError that lists every problem', () => {
    const err = errorOf({
      DWS_ENDPOINT: 'not a url',
      HUAWEICLOUD_SDK_AK: 'AKEXAMPLE0000000001',
      HUAWEICLOUD_SDK_PROJECT_ID: 'xyz',
      DWS_FAILOVER_DATA_LOSS_BUDGET: 'abc',
      DWS_FAILOVER_POLL_INTERVAL: '0',
      DWS_FAILOVER_APPROVAL: 'sometimes',
      DWS_FAILOVER_LOG_LEVEL: 'loud',
      DWS_FAILOVER_INTAKE_PORT: '70000',
      DWS_FAILOVER_REQUEST_MAX_ATTEMPTS: '0',
    });
    expect(err.name).toBe('ConfigError');
    const named = [
      'DWS_ENDPOINT',
      'HUAWEICLOUD_SDK_SK',
      'HUAWEICLOUD_SDK_PROJECT_ID',
      'DWS_FAILOVER_DATA_LOSS_BUDGET',
      'DWS_FAILOVER_POLL_INTERVAL',
      'DWS_FAILOVER_APPROVAL',
      'DWS_FAILOVER_LOG_LEVEL',
      'DWS_FAILOVER_INTAKE_PORT',
      'DWS_FAILOVER_REQUEST_MAX_ATTEMPTS',
    ];
    expect(err.problems).toHaveLength(named.length);
    for (const variable of named) {
      expect(
        err.problems.filter((p) => p.includes(variable)),
        variable
      ).toHaveLength(1);
    }
    expect(err.message.startsWith('Invalid configuration:\n')).toBe(true);
    for (const problem of err.problems) expect(err.message).toContain(`  - ${problem}`);
  });

  it('never echoes a secret value, even when the variable holding it is the problem', () => {
    const secrets = {
      HUAWEICLOUD_SDK_SK: 'SK-SECRET-3f9a',
      HUAWEICLOUD_SDK_SECURITY_TOKEN: 'TOKEN-SECRET-77c1',
      HUAWEICLOUD_IAM_PASSWORD: 'PASSWORD-SECRET-0b2e',
      TEMPORAL_API_KEY: 'APIKEY-SECRET-91d4',
      TEMPORAL_TLS_CLIENT_KEY_DATA: 'TLSKEY-SECRET-5e6f',
      TEMPORAL_TLS_CLIENT_KEY_PATH: '/etc/tls/client.key',
      DWS_FAILOVER_INTAKE_TOKEN: 'INTAKE-c3a8',
      DWS_FAILOVER_INTAKE_HMAC_SECRET: 'HMAC-SECRET-48bd-HMAC-SECRET',
      DWS_FAILOVER_PAGERDUTY_SECRET: 'PAGERDUTY-SECRET-a1b2',
    };
    // An SK without its AK and a TLS key given twice: the variables holding secrets are themselves the problems.
    const err = errorOf({ ...secrets, DWS_FAILOVER_DATA_LOSS_BUDGET: 'abc' }, { requireDws: true });
    expect(err.problems.length).toBeGreaterThanOrEqual(3);
    expect(err.problems.some((p) => p.includes('HUAWEICLOUD_SDK_AK is missing'))).toBe(true);
    expect(
      err.problems.some((p) => p.startsWith('Both TEMPORAL_TLS_CLIENT_KEY_PATH and TEMPORAL_TLS_CLIENT_KEY_DATA'))
    ).toBe(true);
    for (const [name, value] of Object.entries(secrets)) {
      if (name.endsWith('_PATH')) continue;
      expect(err.message, name).not.toContain(value);
      for (const problem of err.problems) expect(problem, name).not.toContain(value);
    }
  });

  it('never echoes the IAM password when the IAM user or domain is missing', () => {
    const err = errorOf({ HUAWEICLOUD_IAM_PASSWORD: 'PASSWORD-SECRET-0b2e' }, { requireDws: true });
    expect(err.problems.some((p) => p.includes('HUAWEICLOUD_IAM_USER is missing'))).toBe(true);
    expect(err.message).not.toContain('PASSWORD-SECRET-0b2e');
  });
});
