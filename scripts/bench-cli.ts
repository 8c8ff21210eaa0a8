/**
 * How snappy the CLI is: `npx tsx scripts/bench-cli.ts [--runs N]`.
 * Starts a Temporal dev server, the simulator and one worker, fails over one simulated pair to completion, then times
 * the built CLI (`node bin/dws-failover.js`, so run `npm run build` first) as an operator runs it: `status <id>` and
 * `report <id>` N times each, next to `temporal workflow describe` on the same run and an empty `node` (the floor).
 * It also runs `failover --wait` a few times and measures how long the process lingers after the report is printed.
 * Prints median, p95 and max wall time per command. Everything runs on loopback and ends by itself.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../src/config';
import { writeWorkflowBundle } from '../src/devstack/bundle';
import { startDevServer } from '../src/devstack/dev-server';
import { createSimulator, type Simulator } from '../src/simulator';
import { startFailover } from '../src/operations/start-failover';
import { buildWorker } from '../src/worker';
import { percentile } from './bench/stats';

const AK = 'BENCHACCESSKEY000001';
const SK = 'bench-secret-key-for-the-simulator';
const CLI = path.join(__dirname, '..', 'bin', 'dws-failover.js');
/** Few enough to keep the bench short: each one is a whole failover (a few seconds on the simulator). */
const WAIT_RUNS = 3;

/** Runs `cmd` to the end and returns its wall time in seconds. @throws Error with its stderr when it fails. */
function timeOnce(cmd: string, args: string[], env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  return seconds;
}

/**
 * Runs `failover --wait` on a fresh pair and returns how long the process lived after its last output
 * (the report): the time an operator's shell or script waits for nothing.
 */
async function lingerAfterReport(sim: Simulator, env: NodeJS.ProcessEnv, projectId: string): Promise<number> {
  const drId = randomUUID();
  const primary = randomUUID();
  sim.addPair({ id: drId, projectId, status: 'running', version: '8.2.1', primary: { id: primary } });
  sim.outage(primary);
  const args = [CLI, 'failover', '--project', projectId, '--dr', drId, '--reason', 'bench-cli', '--wait', '--json'];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let lastOutput = process.hrtime.bigint();
  let stderr = '';
  child.stdout.on('data', () => (lastOutput = process.hrtime.bigint()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`failover --wait exited ${code}: ${stderr.trim()}`);
  return Number(process.hrtime.bigint() - lastOutput) / 1e9;
}

const row = (label: string, seconds: number[]): string => {
  const s = [...seconds].sort((a, b) => a - b);
  const f = (x: number): string => x.toFixed(3).padStart(7);
  return `${label.padEnd(34)} ${f(percentile(s, 50))} ${f(percentile(s, 95))} ${f(s.at(-1) ?? NaN)}  (n=${s.length})`;
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string' } } });
  const runs = Math.min(200, Math.max(1, Number(values.runs ?? 20)));
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const dev = await startDevServer({ log: (l) => console.error(l) });
  const sim = await createSimulator({
    credentials: [{ ak: AK, sk: SK }],
    failoverDurationMs: 1000,
    readAfterWriteMs: 200,
  });
  const bundle = `/tmp/dws-bench-cli-bundle-${randomUUID()}.js`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TEMPORAL_ADDRESS: dev.address,
    DWS_ENDPOINT: sim.url,
    HUAWEICLOUD_SDK_AK: AK,
    HUAWEICLOUD_SDK_SK: SK,
    DWS_RATE_LIMIT: '0',
    DWS_FAILOVER_POLL_INTERVAL: '1s',
    DWS_FAILOVER_COOLDOWN: '0',
    DWS_FAILOVER_TASK_QUEUE: `bench-cli-${randomUUID()}`,
  };
  const native = await NativeConnection.connect({ address: dev.address });
  const connection = await Connection.connect({ address: dev.address });
  let stopWorker = async (): Promise<void> => {};
  try {
    await writeWorkflowBundle(bundle);
    const config = loadConfig({ ...env, DWS_FAILOVER_WORKFLOW_BUNDLE: bundle }, { requireDws: true });
    const { worker, close } = await buildWorker(config, native);
    const running = worker.run();
    stopWorker = async () => {
      stopWorker = async () => {};
      worker.shutdown();
      await running.catch(() => undefined);
      await close();
    };

    const projectId = randomBytes(16).toString('hex');
    const drId = randomUUID();
    const primary = randomUUID();
    sim.addPair({ id: drId, projectId, status: 'running', version: '8.2.1', primary: { id: primary } });
    sim.outage(primary);
    const client = new Client({ connection });
    const started = await startFailover(client, config, {
      projectId,
      drId,
      reason: 'bench-cli',
      trigger: { source: 'api', ref: 'bench', receivedAt: new Date().toISOString(), actor: 'bench' },
    });
    const report = (await client.workflow.getHandle(started.workflowId, started.runId).result()) as {
      outcome: string;
    };
    console.error(`bench-cli: ${started.workflowId} ended ${report.outcome}`);

    const lingers: number[] = [];
    for (let i = 0; i < WAIT_RUNS; i++) lingers.push(await lingerAfterReport(sim, env, projectId));
    // The rest reads a finished run: no worker needed, and none competing for the CPU while timing.
    await stopWorker();

    const id = started.workflowId;
    const commands: [string, string, string[]][] = [
      ['node (empty script: the floor)', process.execPath, ['-e', '']],
      ['temporal workflow describe', dev.cliPath, ['workflow', 'describe', '--address', dev.address, '-w', id]],
      ['dws-failover status', process.execPath, [CLI, 'status', id]],
      ['dws-failover report', process.execPath, [CLI, 'report', id]],
      ['dws-failover report --format html', process.execPath, [CLI, 'report', id, '--format', 'html']],
    ];
    for (const [, cmd, args] of commands) timeOnce(cmd, args, env); // warm the file cache
    const times = commands.map(() => [] as number[]);
    // Interleaved, so a burst of load on the shared machine spreads over every command instead of one.
    for (let i = 0; i < runs; i++) commands.forEach(([, cmd, args], j) => times[j]?.push(timeOnce(cmd, args, env)));

    console.log(`bench-cli: wall time of one command line, ${runs} runs each (seconds)`);
    console.log(`${'command'.padEnd(34)} ${'median'.padStart(7)} ${'p95'.padStart(7)} ${'max'.padStart(7)}`);
    commands.forEach(([label], j) => console.log(row(label, times[j] ?? [])));
    console.log(row('failover --wait: exit after report', lingers));
  } finally {
    await stopWorker();
    await native.close();
    await connection.close();
    await sim.close();
    await dev.stop();
    await rm(bundle, { force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`bench-cli: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
