/**
 * What every scenario runs on: one Temporal dev server for the whole benchmark, a simulator per scenario, and worker
 * processes started as production starts them (`node bin/dws-failover.js worker`), configured through the
 * environment only. `workerEnv` and `sharedLimitEnv` are the one place a worker's configuration is written.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { startDevServer, stopProcess, type DevServer } from '../../src/devstack/dev-server';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator';

const ROOT = join(__dirname, '..', '..');
export const AK = 'BENCHACCESSKEY000001';
export const SK = 'bench-secret-key-for-the-simulator';
/** Output kept per worker, printed when a scenario fails. */
const TAIL_CHARS = 4000;
/** How often a worker's RSS is sampled. */
const RSS_SAMPLE_MS = 250;

export const log = (line: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

/** Clean-up steps of everything still running, for SIGINT and failures. */
export const cleanups = new Set<() => void>();

export interface Stack {
  dev: DevServer;
  client: Client;
  bundlePath: string;
  /** Extra variables for every worker (`--worker-env`). */
  extraEnv: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the dev server and bundles the built workflows (lib/, what the worker processes run). */
export async function startStack(extraEnv: Record<string, string>): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'dws-bench-'));
  const bundlePath = join(dir, 'workflow-bundle.js');
  const [started, bundled] = await Promise.allSettled([
    startDevServer({ log: (l) => log(l) }),
    promisify(execFile)(
      process.execPath,
      ['-e', `require('./lib/devstack/bundle').writeWorkflowBundle(${JSON.stringify(bundlePath)})`],
      { cwd: ROOT }
    ),
  ]);
  if (started.status === 'rejected' || bundled.status === 'rejected') {
    if (started.status === 'fulfilled') await started.value.stop();
    rmSync(dir, { recursive: true, force: true });
    const reason = started.status === 'rejected' ? started.reason : (bundled as PromiseRejectedResult).reason;
    throw reason instanceof Error ? reason : new Error(String(reason));
  }
  const dev = started.value;
  const stopDev = (): void => {
    void dev.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  cleanups.add(stopDev);
  const connection = await Connection.connect({ address: dev.address });
  const client = new Client({ connection, namespace: 'default' });
  return {
    dev,
    client,
    bundlePath,
    extraEnv,
    close: async () => {
      await connection.close().catch(() => undefined);
      await dev.stop();
      cleanups.delete(stopDev);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A simulator that knows the bench's credentials and keeps a request log large enough for every scenario. */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const sim = await createSimulator({ credentials: [{ ak: AK, sk: SK }], requestLogLimit: 5_000_000, ...options });
  const close = (): void => void sim.close();
  cleanups.add(close);
  const original = sim.close.bind(sim);
  return Object.assign(sim, {
    close: async () => {
      cleanups.delete(close);
      await original();
    },
  });
}

/**
 * The environment of one worker process: the production variables, pointed at this run's dev server and simulator.
 * Everything else is the project's default, so the figures are what a user gets; `--worker-env` adds to it.
 */
export function workerEnv(
  stack: Stack,
  sim: Simulator,
  taskQueue: string,
  settings: Record<string, string> = {}
): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: stack.dev.address,
    TEMPORAL_NAMESPACE: 'default',
    DWS_FAILOVER_TASK_QUEUE: taskQueue,
    DWS_ENDPOINT: sim.url,
    HUAWEICLOUD_SDK_AK: AK,
    HUAWEICLOUD_SDK_SK: SK,
    DWS_FAILOVER_WORKFLOW_BUNDLE: stack.bundlePath,
    // Several workers run on this machine at once: each serves its health and metrics on a free port, not 9464.
    DWS_FAILOVER_WORKER_HTTP_PORT: '0',
    DWS_FAILOVER_SHUTDOWN_GRACE: '1s',
    DWS_FAILOVER_LOG_LEVEL: 'warn',
    ...settings,
    ...stack.extraEnv,
  };
}

/**
 * What worker `index` of `count` adds when several worker processes share ONE account's DWS limit (`limit`
 * requests/s): the account limit itself (`DWS_RATE_LIMIT`) and how many workers share it (`DWS_FAILOVER_WORKERS`,
 * each takes an equal part; a version without that variable ignores it and gives each worker the whole limit).
 * This is the one place the two-worker scenario's configuration is written: change it here for another way of
 * sharing (e.g. a shared limiter's address, or a per-worker index).
 */
export function sharedLimitEnv(limit: number, index: number, count: number): Record<string, string> {
  void index;
  return { DWS_RATE_LIMIT: String(limit), DWS_FAILOVER_WORKERS: String(count) };
}

/** One worker process, its output tail and its peak resident memory. */
export class WorkerProcess {
  private output = '';
  private peakKb = 0;
  private readonly sampler: NodeJS.Timeout;
  private readonly child: ChildProcess;
  private readonly kill = (): void => {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  };

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, [join(ROOT, 'bin', 'dws-failover.js'), 'worker'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-TAIL_CHARS);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.sampler = setInterval(() => this.sample(), RSS_SAMPLE_MS);
    cleanups.add(this.kill);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Peak RSS seen so far, in MiB (VmRSS of /proc/<pid>/status, sampled every 250 ms). */
  get peakRssMiB(): number {
    return this.peakKb / 1024;
  }

  /** The last lines the worker printed. */
  tail(): string {
    return this.output;
  }

  /** SIGTERM, then SIGKILL after 5 s. */
  async stop(): Promise<void> {
    clearInterval(this.sampler);
    await stopProcess(this.child, 5000);
    cleanups.delete(this.kill);
  }

  private sample(): void {
    if (this.exited || this.child.pid === undefined) return;
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
      if (Number.isFinite(kb)) this.peakKb = Math.max(this.peakKb, kb);
    } catch {
      // The process is gone, or /proc is not there (not Linux): no sample.
    }
  }
}

/**
 * Waits until `count` workers poll `taskQueue` for both workflow and activity tasks, so no scenario times Temporal
 * waiting for a worker that is still starting.
 * @throws Error when they do not within `timeoutMs`, with the output of a worker that exited.
 */
export async function waitForPollers(
  client: Client,
  taskQueue: string,
  workers: WorkerProcess[],
  timeoutMs = 120_000
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const { TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY } = temporal.api.enums.v1.TaskQueueType;
  for (;;) {
    const dead = workers.find((w) => w.exited);
    if (dead) throw new Error(`a worker exited at start:\n${dead.tail()}`);
    const counts = await Promise.all(
      [TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY].map(async (taskQueueType) => {
        const res = await client.workflowService.describeTaskQueue({
          namespace: 'default',
          taskQueue: { name: taskQueue },
          taskQueueType,
        });
        return new Set((res.pollers ?? []).map((p) => p.identity)).size;
      })
    );
    if (counts.every((n) => n >= workers.length)) return;
    if (Date.now() > deadline) {
      throw new Error(`workers did not poll ${taskQueue} within ${timeoutMs / 1000} s:\n${workers[0]?.tail() ?? ''}`);
    }
    await sleep(200);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
