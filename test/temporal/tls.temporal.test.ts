/**
 * The worker and the CLI connect to Temporal over TLS and mTLS as in production: a CA, a server certificate for
 * `temporal.test` and 127.0.0.1 and a client certificate are made here with openssl, and a TLS-terminating proxy that
 * demands the client certificate stands in front of the shared dev server.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OperationReport } from '../../src/shared/operation-model';
import { failoverArgs } from '../helpers/cli';
import { scenario } from '../helpers/scenario';
import { spawnCli, spawnWorker, until, type WorkerProcess } from '../helpers/worker-process';

const dir = mkdtempSync(path.join(tmpdir(), 'dws-failover-tls-'));
const pem = (name: string): string => path.join(dir, name);

/** openssl's progress lines stay out of the test output (its errors still fail the call). */
const QUIET = { stdio: 'pipe' } as const;

/** A P-256 key and a certificate signed by `ca` (or self-signed), with `ext` lines for the extension file. */
function certificate(name: string, subject: string, ca: string | null, ext: string[]): void {
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', pem(`${name}.key`)];
  if (ca === null) {
    execFileSync(
      'openssl',
      ['req', '-x509', ...key, '-days', '2', '-subj', subject, '-out', pem(`${name}.pem`)],
      QUIET
    );
    return;
  }
  execFileSync('openssl', ['req', ...key, '-subj', subject, '-out', pem(`${name}.csr`)], QUIET);
  writeFileSync(pem(`${name}.ext`), ext.join('\n') + '\n');
  execFileSync(
    'openssl',
    [
      'x509',
      '-req',
      '-in',
      pem(`${name}.csr`),
      '-CA',
      pem(`${ca}.pem`),
      '-CAkey',
      pem(`${ca}.key`),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      pem(`${name}.ext`),
      '-out',
      pem(`${name}.pem`),
    ],
    QUIET
  );
}

/** Connections the proxy accepted with a verified client certificate. */
let authorizedConnections = 0;
let proxy: tls.Server;
/** `127.0.0.1:<port>` of the TLS proxy. */
let tlsAddress: string;

beforeAll(async () => {
  certificate('ca', '/CN=dws-failover test CA', null, []);
  certificate('other-ca', '/CN=another CA', null, []);
  certificate('server', '/CN=temporal.test', 'ca', [
    'subjectAltName=DNS:temporal.test,IP:127.0.0.1',
    'extendedKeyUsage=serverAuth',
  ]);
  certificate('client', '/CN=dws-failover worker', 'ca', ['extendedKeyUsage=clientAuth']);
  const [host, port] = inject('temporalAddress').split(':');
  proxy = tls.createServer(
    {
      key: readFileSync(pem('server.key')),
      cert: readFileSync(pem('server.pem')),
      ca: readFileSync(pem('ca.pem')),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (socket) => {
      if (socket.authorized) authorizedConnections++;
      const upstream = net.connect(Number(port), host);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    }
  );
  proxy.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  tlsAddress = `127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** The mTLS variables for the proxy, with the server name override (the address is an IP). */
const mtlsEnv = (): Record<string, string> => ({
  TEMPORAL_ADDRESS: tlsAddress,
  TEMPORAL_TLS_CLIENT_CERT_PATH: pem('client.pem'),
  TEMPORAL_TLS_CLIENT_KEY_PATH: pem('client.key'),
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: pem('ca.pem'),
  TEMPORAL_TLS_SERVER_NAME: 'temporal.test',
});

/** Runs `dws-failover <args>` as a child process; its exit code, stdout, and all it printed. */
async function runCli(
  args: string[],
  env: Record<string, string>
): Promise<{ code: number; stdout: string; output: string }> {
  const run: WorkerProcess = spawnCli(args, env);
  let stdout = '';
  run.child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  const code = await new Promise<number>((resolve) => run.child.once('close', (c) => resolve(c ?? -1)));
  return { code, stdout, output: run.output() };
}

describe('Temporal over TLS', () => {
  it('runs a failover with the worker and the CLI connected over mTLS with a server name override', async () => {
    const t = await scenario({ noWorker: true });
    t.sim.outage(t.primaryId);
    const { HUAWEICLOUD_SDK_SK, ...plain } = t.workerEnv;
    writeFileSync(pem('sk'), `${HUAWEICLOUD_SDK_SK}\n`);
    // The worker's DWS secret comes from a file too, as from a Kubernetes secret.
    const env = { ...plain, ...mtlsEnv(), HUAWEICLOUD_SDK_SK_FILE: pem('sk') };
    const before = authorizedConnections;

    const worker = spawnWorker(env);
    await until('the worker serving over mTLS', () => (worker.output().includes('Worker started') ? true : undefined));
    const failover = await runCli(failoverArgs(t, '--wait', '--json'), env);
    expect(failover.code, `${failover.output}\n${worker.output()}`).toBe(0);
    const report = JSON.parse(failover.stdout) as OperationReport;
    expect(report.outcome).toBe('failed-over');
    expect(t.failoverPosts()).toHaveLength(1);

    const status = await runCli(['status', report.workflowId, '--json'], env);
    expect(status.code, status.output).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ outcome: 'failed-over' });
    // Worker, failover and status each came through the proxy with the client certificate.
    expect(authorizedConnections - before).toBeGreaterThanOrEqual(3);
  });

  it('works with a profile file (TEMPORAL_CONFIG_FILE and TEMPORAL_PROFILE) for the CLI and the worker', async () => {
    const toml = [
      '[profile.tls-test]',
      `address = "${tlsAddress}"`,
      'namespace = "default"',
      '[profile.tls-test.tls]',
      `client_cert_path = "${pem('client.pem')}"`,
      `client_key_path = "${pem('client.key')}"`,
      `server_ca_cert_path = "${pem('ca.pem')}"`,
      'server_name = "temporal.test"',
      '',
    ].join('\n');
    writeFileSync(pem('temporal.toml'), toml);
    const profile = { TEMPORAL_CONFIG_FILE: pem('temporal.toml'), TEMPORAL_PROFILE: 'tls-test' };
    const t = await scenario({ noWorker: true });
    t.sim.outage(t.primaryId);
    // The profile gives the address: the scenario's plaintext one goes.
    const env: Record<string, string> = { ...t.workerEnv, ...profile };
    delete env.TEMPORAL_ADDRESS;

    const worker = spawnWorker(env);
    await until('the worker serving through the profile', () =>
      worker.output().includes('Worker started') ? true : undefined
    );
    const failover = await runCli(failoverArgs(t, '--wait', '--json'), env);
    expect(failover.code, `${failover.output}\n${worker.output()}`).toBe(0);
    expect((JSON.parse(failover.stdout) as OperationReport).outcome).toBe('failed-over');
  });

  it('refuses a server certificate from another CA, in the CLI and in the worker, saying which variable to fix', async () => {
    const env = { ...mtlsEnv(), TEMPORAL_TLS_SERVER_CA_CERT_PATH: pem('other-ca.pem') };
    const expected =
      `Cannot connect to Temporal at ${tlsAddress} (namespace default; TLS, client certificate, own CA, server name ` +
      `temporal.test): the server's certificate is not signed by a CA this process trusts. Set ` +
      'TEMPORAL_TLS_SERVER_CA_CERT_PATH';
    const cli = await runCli(['schedule', 'list'], env);
    expect(cli.code).toBe(1);
    expect(cli.output).toContain(expected);

    const t = await scenario({ noWorker: true });
    const worker = await runCli(['worker'], { ...t.workerEnv, ...env });
    expect(worker.code).toBe(1);
    expect(worker.output).toContain(expected);
  });

  it('says the server name does not match when TEMPORAL_TLS_SERVER_NAME names another host', async () => {
    const cli = await runCli(['schedule', 'list'], { ...mtlsEnv(), TEMPORAL_TLS_SERVER_NAME: 'other.test' });
    expect(cli.code).toBe(1);
    expect(cli.output).toContain(
      "the server's certificate is not valid for 'other.test'. Set TEMPORAL_TLS_SERVER_NAME"
    );
  });

  it('says the server refused the client certificate when none is configured', async () => {
    const { TEMPORAL_TLS_CLIENT_CERT_PATH: _c, TEMPORAL_TLS_CLIENT_KEY_PATH: _k, ...env } = mtlsEnv();
    const cli = await runCli(['schedule', 'list'], env);
    expect(cli.code).toBe(1);
    expect(cli.output).toContain('the server refused the client certificate (mTLS)');
  });

  it('tells plaintext from TLS: a plaintext client at a TLS server, and TLS at a plaintext server', async () => {
    const plaintext = await runCli(['schedule', 'list'], { TEMPORAL_ADDRESS: tlsAddress });
    expect(plaintext.code).toBe(1);
    expect(plaintext.output).toContain(`TLS is off but the server at ${tlsAddress} expects TLS. Set TEMPORAL_TLS=true`);

    const address = inject('temporalAddress');
    const toPlain = await runCli(['schedule', 'list'], { ...mtlsEnv(), TEMPORAL_ADDRESS: address });
    expect(toPlain.code).toBe(1);
    expect(toPlain.output).toContain(`TLS is on but the server at ${address} answers in plaintext`);
  });

  it('reads the API key from TEMPORAL_API_KEY_FILE, turns TLS on for it, and allows it over plaintext with TEMPORAL_TLS=false', async () => {
    writeFileSync(pem('api-key'), 'test-api-key-from-a-file\n');
    const address = inject('temporalAddress');
    // The dev server has no authorizer: it accepts any key, so this shows the key file is read and the key sent.
    const keyed = await runCli(['schedule', 'list', '--json'], {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_API_KEY_FILE: pem('api-key'),
      TEMPORAL_TLS: 'false',
    });
    expect(keyed.code, keyed.output).toBe(0);

    // Without TEMPORAL_TLS=false the key turns TLS on (Temporal Cloud), which a plaintext server does not speak.
    const tlsByDefault = await runCli(['schedule', 'list'], {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_API_KEY_FILE: pem('api-key'),
    });
    expect(tlsByDefault.code).toBe(1);
    expect(tlsByDefault.output).toContain(`(namespace default; TLS, API key): TLS is on but the server at ${address}`);
    expect(tlsByDefault.output).not.toContain('test-api-key-from-a-file');
  });
});
