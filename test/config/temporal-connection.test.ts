import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTemporalConnection } from '../../src/temporal/connection-config';

const dir = mkdtempSync(path.join(tmpdir(), 'dws-failover-tls-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

const CA = '-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n';
const CRT = '-----BEGIN CERTIFICATE-----\nclient\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n';
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The settings for `env`; fails the test on any problem. */
function settingsOf(env: NodeJS.ProcessEnv) {
  const { settings, problems } = loadTemporalConnection(env);
  expect(problems).toEqual([]);
  return settings;
}

describe('Temporal connection from TEMPORAL_* variables', () => {
  it('gives mTLS files, the CA and the server name to the connection as bytes and a name', () => {
    const s = settingsOf({
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_NAMESPACE: 'dws-prod',
      TEMPORAL_TLS_CLIENT_CERT_PATH: file('client.pem', CRT),
      TEMPORAL_TLS_CLIENT_KEY_PATH: file('client.key', KEY),
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: file('ca.pem', CA),
      TEMPORAL_TLS_SERVER_NAME: 'temporal.test',
    });
    expect(s.address).toBe('temporal.internal:7233');
    expect(s.namespace).toBe('dws-prod');
    expect(s.connectionOptions.tls).toEqual({
      serverNameOverride: 'temporal.test',
      serverRootCACertificate: bytes(CA),
      clientCertPair: { crt: bytes(CRT), key: bytes(KEY) },
    });
  });

  it('takes inline PEM text from the _DATA variables', () => {
    const s = settingsOf({
      TEMPORAL_TLS_CLIENT_CERT_DATA: CRT,
      TEMPORAL_TLS_CLIENT_KEY_DATA: KEY,
      TEMPORAL_TLS_SERVER_CA_CERT_DATA: CA,
    });
    expect(s.connectionOptions.tls).toMatchObject({
      serverRootCACertificate: bytes(CA),
      clientCertPair: { crt: bytes(CRT), key: bytes(KEY) },
    });
  });

  it('turns TLS on with the system CAs for an API key alone (Temporal Cloud), and off with TEMPORAL_TLS=false', () => {
    expect(settingsOf({ TEMPORAL_API_KEY: 'k' }).connectionOptions).toMatchObject({ apiKey: 'k', tls: true });
    expect(settingsOf({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'false' }).connectionOptions).toMatchObject({
      apiKey: 'k',
      tls: false,
    });
  });

  it('treats empty variables as unset: an empty TEMPORAL_API_KEY does not turn TLS on', () => {
    const s = settingsOf({ TEMPORAL_API_KEY: '', TEMPORAL_ADDRESS: ' ', TEMPORAL_NAMESPACE: '' });
    expect(s.connectionOptions.apiKey).toBeUndefined();
    expect(s.connectionOptions.tls).toBeUndefined();
    expect(s.address).toBe('127.0.0.1:7233');
    expect(s.namespace).toBe('default');
  });

  it('refuses a client certificate without its key, and a key without its certificate', () => {
    expect(loadTemporalConnection({ TEMPORAL_TLS_CLIENT_CERT_DATA: CRT }).problems).toEqual([
      'A client certificate is set without its key: set TEMPORAL_TLS_CLIENT_KEY_PATH (or _DATA, or client_key_path in the profile) too.',
    ]);
    expect(loadTemporalConnection({ TEMPORAL_TLS_CLIENT_KEY_DATA: KEY }).problems).toEqual([
      'A client key is set without its certificate: set TEMPORAL_TLS_CLIENT_CERT_PATH (or _DATA, or client_cert_path in the profile) too.',
    ]);
  });

  it('names the variable and the path of a TLS file that cannot be read', () => {
    const missing = path.join(dir, 'missing-ca.pem');
    expect(loadTemporalConnection({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: missing }).problems).toEqual([
      `TEMPORAL_TLS_SERVER_CA_CERT_PATH='${missing}' cannot be read (ENOENT); mount the file there or fix the path.`,
    ]);
  });

  it('refuses TEMPORAL_TLS values other than true/false/1/0 (envconfig would read them as off)', () => {
    expect(loadTemporalConnection({ TEMPORAL_TLS: 'yes' }).problems).toEqual([
      "TEMPORAL_TLS='yes' must be true or false.",
    ]);
  });

  it('refuses TEMPORAL_TLS_DISABLE_HOST_VERIFICATION=true, which the SDK cannot apply, and points to the server name', () => {
    const [problem] = loadTemporalConnection({ TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: 'true' }).problems;
    expect(problem).toMatch(/^TEMPORAL_TLS_DISABLE_HOST_VERIFICATION=true is not supported/);
    expect(problem).toContain('set TEMPORAL_TLS_SERVER_NAME');
    expect(loadTemporalConnection({ TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: 'false' }).problems).toEqual([]);
  });
});

describe('Temporal connection from a profile file (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE)', () => {
  const toml = (name: string): string =>
    file(
      name,
      [
        '[profile.default]',
        'address = "localhost:7233"',
        '',
        '[profile.prod]',
        'address = "temporal.internal:7233"',
        'namespace = "dws-prod"',
        '[profile.prod.tls]',
        `client_cert_path = "${file('p-client.pem', CRT)}"`,
        `client_key_path = "${file('p-client.key', KEY)}"`,
        `server_ca_cert_path = "${file('p-ca.pem', CA)}"`,
        'server_name = "temporal.test"',
        '',
      ].join('\n')
    );

  it('reads the named profile, TLS files and server name included', () => {
    const s = settingsOf({ TEMPORAL_CONFIG_FILE: toml('a.toml'), TEMPORAL_PROFILE: 'prod' });
    expect(s.address).toBe('temporal.internal:7233');
    expect(s.namespace).toBe('dws-prod');
    expect(s.connectionOptions.tls).toEqual({
      serverNameOverride: 'temporal.test',
      serverRootCACertificate: bytes(CA),
      clientCertPair: { crt: bytes(CRT), key: bytes(KEY) },
    });
  });

  it('lets variables override the profile', () => {
    const s = settingsOf({
      TEMPORAL_CONFIG_FILE: toml('b.toml'),
      TEMPORAL_PROFILE: 'prod',
      TEMPORAL_NAMESPACE: 'dws-staging',
      TEMPORAL_TLS_SERVER_NAME: 'other.test',
    });
    expect(s.namespace).toBe('dws-staging');
    expect(s.connectionOptions.tls).toMatchObject({ serverNameOverride: 'other.test' });
  });

  it('refuses a TEMPORAL_CONFIG_FILE that does not exist (envconfig would connect to localhost instead)', () => {
    const missing = path.join(dir, 'missing.toml');
    expect(loadTemporalConnection({ TEMPORAL_CONFIG_FILE: missing }).problems).toEqual([
      `TEMPORAL_CONFIG_FILE='${missing}' cannot be read (ENOENT); mount the profile file there or unset it.`,
    ]);
  });

  it('names the profile and the file when the profile is not in it', () => {
    const f = toml('c.toml');
    expect(loadTemporalConnection({ TEMPORAL_CONFIG_FILE: f, TEMPORAL_PROFILE: 'staging' }).problems).toEqual([
      `Temporal connection settings (TEMPORAL_* variables, profile 'staging' of ${f}): Profile 'staging' not found in config data`,
    ]);
  });
});
