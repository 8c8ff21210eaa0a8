import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config';
import { DEMO_AK, DEMO_PROJECT_ID, DEMO_SK } from '../../src/simulator/seed';
import { namesReadByCode, REPO_ROOT } from './env-names';

/** One service of `docker-compose config` output (v1 writes short forms, v2 long ones; both are read). */
interface Service {
  profiles?: string[];
  environment?: Record<string, string | null>;
  depends_on?: Record<string, { condition: string }> | string[];
  ports?: (string | { host_ip?: string; published?: string | number; target: number })[];
  volumes?: (string | { source?: string; target: string })[];
  healthcheck?: { test: string[] | string };
  entrypoint?: string[];
  image?: string;
}

const COMPOSE_FILE = join(REPO_ROOT, 'docker-compose.yml');
const DEMO_ENV = join(REPO_ROOT, 'deploy', 'compose', 'demo.env');
const tmp = mkdtempSync(join(tmpdir(), 'dws-failover-compose-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** What a newcomer writes into .env from deploy/compose/real.env.example. */
const REAL = {
  DWS_REGION: 'cn-south-1',
  HUAWEICLOUD_SDK_PROJECT_ID: '5e7a9c1b3d2f4e6a8b0c1d2e3f4a5b6c',
  HUAWEICLOUD_SDK_AK: 'AKCOMPOSETEST0000001',
  HUAWEICLOUD_SDK_SK: 'compose-test-sk-0123456789abcdef0123456789',
  DWS_FAILOVER_INTAKE_TOKEN: '4f1c9e7a2b8d6f3e0a5c7b9d1e3f5a7c9b2d4f6e8a0c1e3b5d7f9a2c4e6b8d0f',
  DWS_FAILOVER_HOST_INVENTORY: join(REPO_ROOT, 'examples', 'inventory.yaml'),
};
const REQUIRED = Object.keys(REAL);

function writeEnv(name: string, values: Record<string, string>): string {
  const file = join(tmp, name);
  writeFileSync(
    file,
    Object.entries(values)
      .map(([k, v]) => `${k}=${v}\n`)
      .join('')
  );
  return file;
}

/**
 * `docker-compose config` of the repository's file with `envFile`, run with nothing but PATH and HOME from this
 * process, so no DWS_* or HUAWEICLOUD_* of the test's shell leaks in.
 */
function composeConfig(envFile: string, profiles: string[] = []): { status: number; stdout: string; stderr: string } {
  const args = ['-f', COMPOSE_FILE, '--env-file', envFile, ...profiles.flatMap((p) => ['--profile', p]), 'config'];
  const run = spawnSync('docker-compose', args, {
    cwd: tmp,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmp },
  });
  if (run.error) {
    throw new Error(
      `docker-compose could not run (${run.error.message}): install it (apt-get install docker-compose, as .ci/run does) to check docker-compose.yml`
    );
  }
  return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

/** The services a `docker compose up` with `profiles` starts (v1's `config` lists every profile's). */
function activeServices(envFile: string, profiles: string[] = []): Record<string, Service> {
  const run = composeConfig(envFile, profiles);
  expect(run.stderr, 'docker-compose config failed').toBe('');
  expect(run.status).toBe(0);
  const services = (parse(run.stdout) as { services: Record<string, Service> }).services;
  return Object.fromEntries(
    Object.entries(services).filter(([, s]) => !s.profiles || s.profiles.some((p) => profiles.includes(p)))
  );
}

const env = (s: Service | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(s?.environment ?? {}).map(([k, v]) => [k, v ?? '']));
const dependencies = (s: Service): string[] =>
  Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
const condition = (s: Service, on: string): string | undefined =>
  Array.isArray(s.depends_on) ? undefined : s.depends_on?.[on]?.condition;
const hostIps = (s: Service): string[] =>
  (s.ports ?? []).map(
    (p) => (typeof p === 'string' ? (p.split(':').length === 3 ? p.split(':')[0] : '') : p.host_ip) ?? ''
  );
const healthTest = (s: Service | undefined): string => [s?.healthcheck?.test ?? []].flat().join(' ');
/** The host file mounted at `target` in the container. */
const mountSource = (s: Service, target: string): string | undefined =>
  (s.volumes ?? [])
    .map((v) => (typeof v === 'string' ? { source: v.split(':')[0], target: v.split(':')[1] } : v))
    .find((v) => v.target === target)?.source;

/** The worker's configuration as the worker would load it, the inventory and approver keys read from their host files. */
function workerConfig(worker: Service) {
  const inventory = mountSource(worker, '/config/inventory.yaml');
  expect(inventory).toBeDefined();
  expect(env(worker).DWS_FAILOVER_APPROVER_KEYS).toBe('/config/approver-keys');
  const approverKeys = mountSource(worker, '/config/approver-keys');
  expect(approverKeys).toBeDefined();
  return loadConfig(
    { ...env(worker), DWS_FAILOVER_INVENTORY: inventory, DWS_FAILOVER_APPROVER_KEYS: approverKeys },
    { requireDws: true }
  );
}

describe('docker-compose.yml, real-DWS profile (.env)', () => {
  const envFile = writeEnv('real.env', REAL);
  const services = activeServices(envFile);
  const worker = services.worker!;

  it('gives the worker the region, project and credentials from .env and no simulator endpoint', () => {
    expect(env(worker)).toMatchObject({
      DWS_REGION: 'cn-south-1',
      HUAWEICLOUD_SDK_PROJECT_ID: REAL.HUAWEICLOUD_SDK_PROJECT_ID,
      HUAWEICLOUD_SDK_AK: REAL.HUAWEICLOUD_SDK_AK,
      HUAWEICLOUD_SDK_SK: REAL.HUAWEICLOUD_SDK_SK,
    });
    expect(env(worker).DWS_ENDPOINT ?? '').toBe('');
    const config = workerConfig(worker);
    expect(config.dws.endpoint).toBe('https://dws.cn-south-1.myhuaweicloud.com');
    expect(config.dws.defaultProjectId).toBe(REAL.HUAWEICLOUD_SDK_PROJECT_ID);
    expect(config.dws.credentials).toEqual({ kind: 'aksk', ak: REAL.HUAWEICLOUD_SDK_AK, sk: REAL.HUAWEICLOUD_SDK_SK });
  });

  it('starts no simulator, and nothing names one', () => {
    expect(Object.keys(services)).not.toContain('simulator');
    for (const [name, service] of Object.entries(services)) {
      expect(dependencies(service), name).not.toContain('simulator');
      for (const [k, v] of Object.entries(env(service))) expect(v, `${name} ${k}`).not.toMatch(/simulator|:8090/);
    }
  });

  it('accepts the intake token from .env as the intake would', () => {
    const intake = services.intake!;
    expect(env(intake).DWS_FAILOVER_INTAKE_TOKEN).toBe(REAL.DWS_FAILOVER_INTAKE_TOKEN);
    const inventory = mountSource(intake, '/config/inventory.yaml');
    expect(loadConfig({ ...env(intake), DWS_FAILOVER_INVENTORY: inventory }).intake.token).toBe(
      REAL.DWS_FAILOVER_INTAKE_TOKEN
    );
  });

  it.each(REQUIRED)('refuses to render without %s, naming it', (name) => {
    const rest = Object.fromEntries(Object.entries(REAL).filter(([k]) => k !== name));
    const run = composeConfig(writeEnv(`without-${name}.env`, { ...rest, [name]: '' }));
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`Set ${name} `);
  });
});

describe('docker-compose.yml, demo profile (deploy/compose/demo.env)', () => {
  const services = activeServices(DEMO_ENV, ['demo']);

  it('runs the simulator, and points the worker at it with its demo project and credentials', () => {
    expect(services.simulator?.profiles).toEqual(['demo']);
    expect(healthTest(services.simulator)).toContain('http://127.0.0.1:8090/_sim/state');
    const config = workerConfig(services.worker!);
    expect(config.dws.endpoint).toBe('http://simulator:8090');
    expect(config.dws.defaultProjectId).toBe(DEMO_PROJECT_ID);
    expect(config.dws.credentials).toEqual({ kind: 'aksk', ak: DEMO_AK, sk: DEMO_SK });
  });

  it('carries a demo intake token that the intake accepts and that says it is one', () => {
    const token = env(services.intake).DWS_FAILOVER_INTAKE_TOKEN ?? '';
    expect(token).toMatch(/^demo-only-/);
    expect(loadConfig({ DWS_FAILOVER_INTAKE_TOKEN: token }).intake.token).toBe(token);
  });
});

describe('docker-compose.yml in both profiles', () => {
  const profiles = {
    real: activeServices(writeEnv('both.env', REAL)),
    demo: activeServices(DEMO_ENV, ['demo']),
  };

  it.each(Object.keys(profiles))('%s: publishes every port on 127.0.0.1 only', (profile) => {
    const services = profiles[profile as keyof typeof profiles];
    for (const [name, service] of Object.entries(services)) {
      for (const ip of hostIps(service)) expect(ip, name).toBe('127.0.0.1');
    }
    expect(Object.values(services).flatMap(hostIps).length).toBeGreaterThanOrEqual(4);
  });

  it('publishes the intake elsewhere only when DWS_FAILOVER_INTAKE_BIND says so, Temporal never with it', () => {
    const services = activeServices(writeEnv('intake-bind.env', { ...REAL, DWS_FAILOVER_INTAKE_BIND: '0.0.0.0' }));
    expect(hostIps(services.intake!)).toEqual(['0.0.0.0']);
    expect(hostIps(services.temporal!)).toEqual(['127.0.0.1']);
  });

  it('sets up Temporal in order: schema job, server healthy by its gRPC health check, namespace job, then the parts', () => {
    const s = profiles.real;
    expect(s['temporal-schema']?.image).toMatch(/^temporalio\/admin-tools:1\.29\./);
    expect(s['temporal-schema']?.entrypoint?.join(' ')).toContain('setup-schema.sh');
    expect(s.temporal?.image).toMatch(/^temporalio\/server:1\.29\./);
    expect(condition(s.temporal!, 'temporal-schema')).toBe('service_completed_successfully');
    expect(healthTest(s.temporal)).toBe('CMD temporal operator cluster health --address temporal:7233');
    expect(condition(s['temporal-namespace']!, 'temporal')).toBe('service_healthy');
    for (const part of ['worker', 'intake']) {
      expect(condition(s[part]!, 'temporal-namespace'), part).toBe('service_completed_successfully');
    }
    expect(Object.values(s).map((x) => x.image)).not.toContain(expect.stringMatching(/auto-setup/));
    const schema = readFileSync(join(REPO_ROOT, 'deploy', 'compose', 'temporal', 'setup-schema.sh'), 'utf8');
    for (const dir of [
      '/etc/temporal/schema/postgresql/v12/temporal/versioned',
      '/etc/temporal/schema/postgresql/v12/visibility/versioned',
    ]) {
      expect(schema).toContain(dir.replace(/^\/etc\/temporal\/schema\/postgresql\/v12/, '$SCHEMA'));
    }
    expect(schema).toMatch(/for db in temporal temporal_visibility/);
  });

  it("probes the worker's and the intake's readiness over HTTP with Node (the image has no curl)", () => {
    const s = profiles.real;
    expect(healthTest(s.worker)).toMatch(/^CMD node -e .*fetch\('http:\/\/127\.0\.0\.1:9464\/readyz'\)/);
    expect(healthTest(s.intake)).toMatch(/^CMD node -e .*fetch\('http:\/\/127\.0\.0\.1:8080\/readyz'\)/);
  });

  it('sets only variables the code reads on the worker and the intake', () => {
    const known = namesReadByCode();
    for (const part of ['worker', 'intake']) {
      for (const name of Object.keys(env(profiles.real[part]))) expect(known.has(name), `${part} ${name}`).toBe(true);
    }
  });
});

describe('the Docker image', () => {
  const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');

  it('builds and runs on Node 24 as the node user', () => {
    const from = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(from).toEqual(['node:24-bookworm-slim', 'node:24-bookworm-slim']);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it("checks the worker's readiness by default and exposes the intake, worker and simulator ports", () => {
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n\s+CMD \["node", "-e", ".*\/readyz.*"\]$/m);
    expect(dockerfile).toMatch(/^EXPOSE 8080 9464 8090$/m);
    expect(dockerfile).toMatch(/DWS_FAILOVER_WORKER_HTTP_HOST=0\.0\.0\.0/);
  });

  it('keeps dependencies, build output, tests, git and env files out of the build context', () => {
    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', 'lib', 'test', '.git', 'coverage', '*.log', '.env']) {
      expect(ignored, entry).toContain(entry);
    }
  });
});
