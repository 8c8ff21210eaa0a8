/**
 * A failover scenario on the real stack: the shared Temporal dev server, a fresh simulator over loopback, and a
 * worker on a task queue of its own. Every scenario uses random ids, so scenarios never meet.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { expect, inject, onTestFinished } from 'vitest';
import { loadConfig, type Config } from '../../src/config';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator';
import type { PairInput } from '../../src/simulator/pair-input';
import type { OperationPolicy } from '../../src/shared/policy';
import type { OperationPhase, OperationReport, OperationState } from '../../src/shared/operation-model';
import {
  operationWorkflowId,
  startFailover,
  startPlannedOperation,
  type StartFailoverRequest,
  type StartFailoverResult,
  type StartPlannedRequest,
} from '../../src/operations/start-failover';
import { progressQuery } from '../../src/shared/messages';
import { buildWorker } from '../../src/worker';
import type { DecisionProof } from '../../src/shared/identity';
import { approverKeysFile, harnessStart } from './decisions';

/**
 * With DWS_FAILOVER_RECORD_HISTORIES=1, saves the run's history as a replay fixture named after the test
 * (test/fixtures/histories), so determinism breaks are caught by test/workflows/replay.test.ts.
 */
export function recordHistory(workflowId: string, runId: string): void {
  if (process.env.DWS_FAILOVER_RECORD_HISTORIES !== '1') return;
  const name = (expect.getState().currentTestName ?? workflowId)
    .replace(/[^a-z0-9]+/gi, '-')
    .toLowerCase()
    .slice(0, 100);
  // `temporal workflow show --output json` gives the JSON form operators export, which replay accepts.
  const shown = spawnSync(
    inject('temporalCliPath'),
    ['workflow', 'show', '--workflow-id', workflowId, '--run-id', runId, '--output', 'json'],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress') },
    }
  );
  if (shown.status !== 0) throw new Error(`temporal workflow show failed: ${shown.stderr}`);
  mkdirSync(FIXTURES, { recursive: true });
  writeFileSync(path.join(FIXTURES, `${name}-${runId.slice(0, 8)}.json`), shown.stdout);
}

const FIXTURES = path.resolve(__dirname, '../fixtures/histories');

export const TEST_AK = 'TESTACCESSKEY0000001';
export const TEST_SK = 'test-secret-key-for-the-simulator';

/** Short timings so scenarios take seconds. */
export const FAST_POLICY: Partial<OperationPolicy> = {
  requestRetryInitialIntervalSeconds: 0.2,
  requestRetryMaxIntervalSeconds: 1,
  readAfterWriteWindowSeconds: 1.5,
  pollIntervalSeconds: 0.3,
  completionTimeoutSeconds: 60,
  heartbeatTimeoutSeconds: 5,
  cooldownSeconds: 3600,
};

export const FAST_SIMULATOR: Partial<SimulatorOptions> = {
  failoverDurationMs: 1500,
  switchoverDurationMs: 1500,
  recoveryDurationMs: 1500,
  readAfterWriteMs: 500,
};

let runtimeInstalled = false;
/** Quiet SDK logs (once per test process). */
export function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  runtimeInstalled = true;
}

export const randomProjectId = (): string => randomBytes(16).toString('hex');

export interface Scenario {
  sim: Simulator;
  config: Config;
  /** The environment a worker process of this scenario needs. */
  workerEnv: Record<string, string>;
  client: Client;
  projectId: string;
  drId: string;
  primaryId: string;
  standbyId: string;
  /** Path of the failover POST of this scenario's pair. */
  failoverPath: string;
  start(overrides?: Partial<StartFailoverRequest>): Promise<StartFailoverResult>;
  /** Starts a switchover or a recovery of the scenario's pair. */
  startPlanned(
    operation: 'switchover' | 'recovery',
    overrides?: Partial<StartPlannedRequest>
  ): Promise<StartFailoverResult>;
  /** Waits until the run reaches `phase` (progress query). */
  untilPhase(started: StartFailoverResult, phase: OperationPhase, timeoutMs?: number): Promise<OperationState>;
  /** Starts the failover and waits for the report. */
  run(overrides?: Partial<StartFailoverRequest>): Promise<OperationReport>;
  handle(started: StartFailoverResult): WorkflowHandle;
  /** The failover POSTs the simulator received, in order. */
  failoverPosts(): ReturnType<Simulator['requests']>;
  /** The POSTs of an operation (failover, switchover, recovery) the simulator received, in order. */
  posts(operation: 'failover' | 'switchover' | 'recovery'): ReturnType<Simulator['requests']>;
  /** The pair as the simulator holds it (ground truth: roles, actions taken, role swaps). */
  pair(): ReturnType<Simulator['state']>['disasterRecoveries'][number];
  /** Starts (another) in-process worker on the scenario's task queue; stopped at the end of the test. */
  startWorker(): Promise<Worker>;
}

export interface ScenarioOptions {
  simulator?: Partial<SimulatorOptions>;
  pair?: PairInput;
  /** Don't start a worker (e.g. the test runs one in a child process). */
  noWorker?: boolean;
  /**
   * Extra worker environment, e.g. DWS_FAILOVER_INVENTORY. The worker trusts the test people's keys
   * (DWS_FAILOVER_APPROVER_KEYS: test/helpers/decisions.ts) unless this sets the variable.
   */
  env?: Record<string, string>;
  /** Credentials the worker signs with (default: the ones the simulator accepts). */
  workerCredentials?: { ak: string; sk: string };
  /** Authenticate with IAM tokens from the simulator's token endpoint instead of AK/SK. */
  iam?: boolean;
}

export const TEST_IAM_USER = { domain: 'test-domain', name: 'test-user', password: 'test-password-0001' };

/** A Temporal client for `config`, closed when the test finishes. */
export async function testClient(config: Config): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporal.address });
  onTestFinished(() => connection.close());
  return new Client({ connection, namespace: config.temporal.namespace });
}

/** Runs an in-process worker for `config` (production's buildWorker); stopped when the test finishes. */
export async function startTestWorker(config: Config): Promise<Worker> {
  const native = await NativeConnection.connect({ address: config.temporal.address });
  const { worker, close } = await buildWorker(config, native);
  const running = worker.run();
  onTestFinished(async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
    await close();
    await native.close();
  });
  return worker;
}

/** Sets up a scenario; everything it starts is stopped when the test finishes. */
export async function scenario(options: ScenarioOptions = {}): Promise<Scenario> {
  installQuietRuntime();
  const sim = await createSimulator({
    credentials: [{ ak: TEST_AK, sk: TEST_SK }],
    ...(options.iam ? { iamUsers: [TEST_IAM_USER] } : {}),
    ...FAST_SIMULATOR,
    ...options.simulator,
  });
  onTestFinished(() => sim.close());
  const projectId = options.pair?.projectId ?? randomProjectId();
  const drId = options.pair?.id ?? randomUUID();
  const primaryId = options.pair?.primary?.id ?? randomUUID();
  const standbyId = options.pair?.standby?.id ?? randomUUID();
  sim.addPair({
    status: 'running',
    version: '8.2.1',
    ...options.pair,
    id: drId,
    projectId,
    primary: { ...options.pair?.primary, id: primaryId },
    standby: { ...options.pair?.standby, id: standbyId },
  });

  const creds = options.workerCredentials ?? { ak: TEST_AK, sk: TEST_SK };
  const workerEnv: Record<string, string> = {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: 'default',
    DWS_FAILOVER_TASK_QUEUE: `test-${randomUUID()}`,
    DWS_ENDPOINT: sim.url,
    ...(options.iam
      ? {
          HUAWEICLOUD_IAM_ENDPOINT: sim.url,
          HUAWEICLOUD_IAM_DOMAIN: TEST_IAM_USER.domain,
          HUAWEICLOUD_IAM_USER: TEST_IAM_USER.name,
          HUAWEICLOUD_IAM_PASSWORD: TEST_IAM_USER.password,
          HUAWEICLOUD_SDK_PROJECT_ID: projectId,
        }
      : { HUAWEICLOUD_SDK_AK: creds.ak, HUAWEICLOUD_SDK_SK: creds.sk }),
    DWS_FAILOVER_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
    DWS_FAILOVER_SHUTDOWN_GRACE: '1s',
    // Worker processes of parallel tests each serve health and metrics on a port of their own.
    DWS_FAILOVER_WORKER_HTTP_PORT: '0',
    // Decisions are signed: the worker trusts the test people (test-approver, second-approver).
    DWS_FAILOVER_APPROVER_KEYS: approverKeysFile(),
    ...options.env,
  };
  const config = loadConfig(workerEnv, { requireDws: true });
  const client = await testClient(config);

  const startWorker = (): Promise<Worker> => startTestWorker(config);
  if (!options.noWorker) await startWorker();

  const failoverPath = `/v2/${projectId}/disaster-recovery/${drId}/failover`;
  // The default start (no trigger or proof of the test's own) is signed by the test harness for its actor, as the
  // intake signs a person's: its `force` holds, as a person's signed force does (src/workflows/operations/decisions.ts).
  const signedByHarness = (
    operation: 'failover' | 'switchover' | 'recovery',
    overrides: { trigger?: unknown; proof?: unknown; reason?: string; projectId?: string; drId?: string }
  ): { proof?: DecisionProof } =>
    overrides.trigger || overrides.proof
      ? {}
      : {
          proof: harnessStart(
            operationWorkflowId(config, operation, overrides.projectId ?? projectId, overrides.drId ?? drId),
            'vitest',
            overrides.reason ?? 'test'
          ),
        };
  const request = (overrides: Partial<StartFailoverRequest> = {}): StartFailoverRequest => ({
    projectId,
    drId,
    reason: 'test',
    trigger: { source: 'api', ref: 'test', receivedAt: new Date().toISOString(), actor: 'vitest' },
    ...signedByHarness('failover', overrides),
    ...overrides,
    policy: { ...FAST_POLICY, ...overrides.policy },
  });
  const start = (overrides?: Partial<StartFailoverRequest>): Promise<StartFailoverResult> =>
    startFailover(client, config, request(overrides));
  const startPlanned = (
    operation: 'switchover' | 'recovery',
    overrides: Partial<StartPlannedRequest> = {}
  ): Promise<StartFailoverResult> =>
    startPlannedOperation(client, config, {
      operation,
      projectId,
      drId,
      reason: 'test',
      trigger: { source: 'api', ref: 'test', receivedAt: new Date().toISOString(), actor: 'vitest' },
      ...signedByHarness(operation, overrides),
      ...overrides,
      policy: { ...FAST_POLICY, ...overrides.policy },
    });
  const untilPhase = async (
    started: StartFailoverResult,
    phase: OperationPhase,
    timeoutMs = 60_000
  ): Promise<OperationState> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await handle(started)
        .query(progressQuery)
        .catch(() => null);
      if (state?.phase === phase) return state;
      if (state?.outcome)
        throw new Error(`run ended as ${state.outcome} before reaching phase ${phase}: ${state.summary}`);
      if (Date.now() > deadline) throw new Error(`phase ${phase} not reached; last phase ${state?.phase ?? 'unknown'}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const handle = (started: StartFailoverResult): WorkflowHandle =>
    client.workflow.getHandle(started.workflowId, started.runId);
  return {
    sim,
    config,
    workerEnv,
    client,
    projectId,
    drId,
    primaryId,
    standbyId,
    failoverPath,
    start,
    startPlanned,
    untilPhase,
    handle,
    run: async (overrides) => {
      const started = await start(overrides);
      const h = handle(started);
      const report = (await h.result()) as OperationReport;
      recordHistory(started.workflowId, started.runId);
      return report;
    },
    failoverPosts: () => sim.requests().filter((r) => r.method === 'POST' && r.path === failoverPath),
    posts: (operation) =>
      sim
        .requests()
        .filter((r) => r.method === 'POST' && r.path === `/v2/${projectId}/disaster-recovery/${drId}/${operation}`),
    pair: () => {
      const dr = sim.state().disasterRecoveries.find((d) => d.id === drId);
      if (!dr) throw new Error(`pair ${drId} is not in the simulator`);
      return dr;
    },
    startWorker,
  };
}

/**
 * The report's request list agrees with what the service received: every attempt that surely sent is in the log,
 * and nothing is in the log that the report says never left. (`sent: null` — a worker that died without telling —
 * may go either way.)
 */
export function expectRequestsMatchLog(report: OperationReport, posts: ReturnType<Simulator['requests']>): void {
  const log = report.request.log ?? [];
  const surely = log.filter((r) => r.sent === true).length;
  const maybe = log.filter((r) => r.sent !== false).length;
  expect(report.request.sent, 'requests sent in the report').toBe(surely);
  expect(posts.length, `service log ${posts.length} vs report ${JSON.stringify(log)}`).toBeGreaterThanOrEqual(surely);
  expect(posts.length, `service log ${posts.length} vs report ${JSON.stringify(log)}`).toBeLessThanOrEqual(maybe);
  // Where every attempt is known to have sent or not, the n-th request sent is the n-th the service received, and
  // every answer the report knows is the answer the service gave (a lost attempt's answer is unknown: any matches).
  if (log.every((r) => r.sent !== null)) {
    const served = posts.map((p) => (p.dropped ? null : p.status));
    log
      .filter((r) => r.sent === true)
      .forEach((r, i) => {
        if (r.status !== null) expect(served[i], `answer to attempt ${r.attempt}`).toBe(r.status);
      });
  }
}
