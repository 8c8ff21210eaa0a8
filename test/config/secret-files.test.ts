import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { resolveSecretFiles, SECRET_VARIABLES } from '../../src/secret-files';

const dir = mkdtempSync(path.join(tmpdir(), 'dws-failover-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file holding `content`; its path. */
function secretFile(name: string, content: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env, { requireDws: true });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError, but the configuration was accepted');
}

describe('secrets from files (<VAR>_FILE)', () => {
  it('reads every secret of the configuration from its _FILE variable, without one trailing newline', () => {
    const env: NodeJS.ProcessEnv = { DWS_REGION: 'cn-north-4' };
    for (const name of SECRET_VARIABLES)
      env[`${name}_FILE`] = secretFile(name, `${name.toLowerCase()}-value-0123456789\n`);
    const { env: resolved, problems } = resolveSecretFiles(env);
    expect(problems).toEqual([]);
    for (const name of SECRET_VARIABLES) {
      expect(resolved[name]).toBe(`${name.toLowerCase()}-value-0123456789`);
      expect(resolved[`${name}_FILE`]).toBeUndefined();
    }
  });

  it('gives the values read from files to the DWS credentials, the intake and the Temporal connection', () => {
    const config = loadConfig(
      {
        DWS_REGION: 'cn-north-4',
        HUAWEICLOUD_SDK_AK_FILE: secretFile('ak', 'AKFROMFILE000001\n'),
        HUAWEICLOUD_SDK_SK_FILE: secretFile('sk', 'sk-from-file\r\n'),
        HUAWEICLOUD_SDK_SECURITY_TOKEN_FILE: secretFile('token', 'token-from-file'),
        DWS_FAILOVER_INTAKE_TOKEN_FILE: secretFile('intake', 'intake-token-from-file-0123456789abcdef\n'),
        DWS_FAILOVER_INTAKE_HMAC_SECRET_FILE: secretFile('hmac', 'hmac-secret-from-file-0001\n'),
        DWS_FAILOVER_PAGERDUTY_SECRET_FILE: secretFile('pd', 'pagerduty-from-file\n'),
        TEMPORAL_API_KEY_FILE: secretFile('apikey', 'api-key-from-file\n'),
      },
      { requireDws: true }
    );
    expect(config.dws.credentials).toEqual({
      kind: 'aksk',
      ak: 'AKFROMFILE000001',
      sk: 'sk-from-file',
      securityToken: 'token-from-file',
    });
    expect(config.intake.token).toBe('intake-token-from-file-0123456789abcdef');
    expect(config.intake.hmacSecret).toBe('hmac-secret-from-file-0001');
    expect(config.intake.pagerdutySecret).toBe('pagerduty-from-file');
    expect(config.temporal.connectionOptions.apiKey).toBe('api-key-from-file');
    // An API key from a file turns TLS on just as one from the variable does.
    expect(config.temporal.connectionOptions.tls).toBe(true);
  });

  it('reads the IAM password from HUAWEICLOUD_IAM_PASSWORD_FILE', () => {
    const config = loadConfig(
      {
        DWS_REGION: 'cn-north-4',
        HUAWEICLOUD_IAM_DOMAIN: 'acct',
        HUAWEICLOUD_IAM_USER: 'ops',
        HUAWEICLOUD_IAM_PASSWORD_FILE: secretFile('iam', 'iam-password-from-file\n'),
      },
      { requireDws: true }
    );
    expect(config.dws.credentials).toMatchObject({ kind: 'iam', password: 'iam-password-from-file' });
  });

  it('removes only one trailing newline: a secret that ends in a blank line keeps the rest', () => {
    const { env } = resolveSecretFiles({ TEMPORAL_API_KEY_FILE: secretFile('two-newlines', 'key\n\n') });
    expect(env.TEMPORAL_API_KEY).toBe('key\n');
  });

  it('refuses a secret given both as the variable and as a file, naming both', () => {
    const problems = problemsOf({
      DWS_REGION: 'cn-north-4',
      HUAWEICLOUD_SDK_AK: 'AKINLINE00000001',
      HUAWEICLOUD_SDK_AK_FILE: secretFile('ak-twice', 'AKFROMFILE000001'),
      HUAWEICLOUD_SDK_SK: 'sk-inline',
    });
    expect(problems).toEqual([
      'Both HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_AK_FILE are set; keep one (HUAWEICLOUD_SDK_AK_FILE for a mounted secret file).',
    ]);
  });

  it('names the variable and the file when the file is missing or not a file', () => {
    const missing = path.join(dir, 'no-such-file');
    const { problems } = resolveSecretFiles({ TEMPORAL_API_KEY_FILE: missing, DWS_FAILOVER_INTAKE_TOKEN_FILE: dir });
    expect(problems).toEqual([
      `TEMPORAL_API_KEY_FILE='${missing}' cannot be read (ENOENT); mount the secret there or fix the path.`,
      `DWS_FAILOVER_INTAKE_TOKEN_FILE='${dir}' cannot be read (EISDIR); mount the secret there or fix the path.`,
    ]);
  });

  it('refuses an empty secret file', () => {
    const empty = secretFile('empty', '\n');
    const problems = problemsOf({
      DWS_REGION: 'cn-north-4',
      HUAWEICLOUD_SDK_SK_FILE: empty,
      HUAWEICLOUD_SDK_AK: 'AK1',
    });
    expect(problems).toContain(
      `HUAWEICLOUD_SDK_SK_FILE='${empty}' is empty; write the value of HUAWEICLOUD_SDK_SK into it.`
    );
  });

  it('treats an empty _FILE variable as unset (compose passes ${VAR:-} through)', () => {
    const { env, problems } = resolveSecretFiles({ TEMPORAL_API_KEY_FILE: '', TEMPORAL_API_KEY: 'inline' });
    expect(problems).toEqual([]);
    expect(env.TEMPORAL_API_KEY).toBe('inline');
  });
});
