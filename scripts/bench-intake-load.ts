/**
 * The intake under load, as production runs it (`node bin/dws-failover.js intake`, its own process), side by side in
 * one run: `npm run bench:intake -- [--count N] [--storm N] [--fanout]`. Prints figures; asserts none. See --help and
 * docs/performance.md#intake. Uses TEMPORAL_ADDRESS when set (its namespace needs the project's search attributes),
 * else starts a Temporal dev server. Workflows go to task queues of the run's own that no worker polls (but the
 * --fanout one), so the figures are the intake's answers; everything still running on them at the end is terminated
 * in one server-side batch.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { freePort, startDevServer, stopProcess, type DevServer } from '../src/devstack/dev-server';
import { createLogger } from '../src/logger';
import type { DeliveryView } from '../src/shared/delivery';
import { AK, SK, WorkerProcess, cleanups, log, sleep, startSimulator } from './bench/stack';
import { max, percentile } from './bench/stats';

const ROOT = join(__dirname, '..');
const TAIL_CHARS = 4000;

const USAGE = `Usage: npm run bench:intake -- [--count N] [--storm N] [--fanout]
       (or: npm run build && npx tsx scripts/bench-intake-load.ts …)

Runs \`dws-failover intake\` as its own process (built lib/) and measures, on loopback:
  1. the answer time of Alertmanager deliveries of 1, 100 and 1,000 pairs, N of each, one after another,
     each about new pairs (project id 32 hex, DR and cluster ids UUIDs);
  2. a storm: --storm copies of ONE notification about one pair at once (an HA Alertmanager pair, a retry
     storm): answer times, 202s and the rest, then how many failover workflows the pair has (must be 1);
  3. the intake's VmRSS and VmHWM (peak) from /proc/<pid>/status before and after each phase;
  4. a 10,000-pair delivery (DWS_FAILOVER_INTAKE_MAX_BODY 8 MiB, MAX_ALERTS 10000, MAX_PAIRS default) and a
     5,000-pair one on intakes with DWS_FAILOVER_INTAKE_MAX_PAIRS=5000 (alone, then with MAX_ALERTS=5000);
  5. with --fanout: a worker process (DWS_RATE_LIMIT=0, an in-process simulator that knows none of the
     pairs, so each failover ends at its first pre-check) and the time from the 202 of a 1,000-pair
     delivery until GET /v1/deliveries/{id} says \`dispatched\` (polled every 250 ms).

Options:
  --count N    deliveries of each size in phase 1 (default 50, 1–500)
  --storm N    concurrent copies in the storm (default 500, 1–2000)
  --fanout     also run phase 5
  -h, --help   this help

TEMPORAL_ADDRESS (and TEMPORAL_NAMESPACE) to use a running server; else a dev server is started.
Progress goes to stderr, the table to stdout. No figure is checked against a goal.`;

interface Memory {
  rssMiB: number;
  hwmMiB: number;
}

/** VmRSS and VmHWM of a process (NaN when it is gone or /proc is missing). */
function memoryOf(pid: number | undefined): Memory {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024 };
  } catch {
    return { rssMiB: NaN, hwmMiB: NaN };
  }
}

/** `dws-failover intake` as its own process, configured through the environment only. */
interface Intake {
  name: string;
  url: string;
  pid: number | undefined;
  memory(): Memory;
  tail(): string;
  stop(): Promise<void>;
}

async function startIntake(name: string, env: Record<string, string>): Promise<Intake> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'dws-failover.js'), 'intake', '--port', String(port), '--host', '127.0.0.1'],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: 'pipe' }
  );
  let output = '';
  const keep = (chunk: Buffer): void => void (output = (output + chunk.toString()).slice(-TAIL_CHARS));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const kill = (): void => void child.kill('SIGKILL');
  cleanups.add(kill);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`intake ${name} exited at start:\n${output}`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`intake ${name} was not ready within 30 s:\n${output}`);
    await sleep(100);
  }
  return {
    name,
    url,
    pid: child.pid,
    memory: () => memoryOf(child.pid),
    tail: () => output,
    stop: async () => {
      await stopProcess(child, 5000);
      cleanups.delete(kill);
    },
  };
}

interface Pair {
  drId: string;
  clusterId: string;
}

const newPairs = (n: number): Pair[] =>
  Array.from({ length: n }, () => ({ drId: randomUUID(), clusterId: randomUUID() }));
const projectId = (): string => randomBytes(16).toString('hex');

/** An Alertmanager v4 notification of one group, one firing alert per pair, shaped like a real one. */
function notification(project: string, pairs: Pair[], groupKey: string): string {
  const startsAt = new Date().toISOString();
  const common = { alertname: 'DwsClusterUnavailable', severity: 'critical', job: 'dws-exporter' };
  return JSON.stringify({
    receiver: 'dws-failover',
    status: 'firing',
    alerts: pairs.map((p) => ({
      status: 'firing',
      labels: {
        ...common,
        instance: `dws-${p.clusterId.slice(0, 8)}.cn-north-4`,
        dws_project_id: project,
        dws_dr_id: p.drId,
        dws_cluster_id: p.clusterId,
      },
      annotations: {
        summary: `DWS cluster dws-${p.clusterId.slice(0, 8)} is unavailable`,
        description: 'dws_cluster_status has reported UNAVAILABLE for 3 minutes.',
        runbook_url: 'https://wiki.example.internal/runbooks/dws-failover',
      },
      startsAt,
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL:
        'http://prometheus-0:9090/graph?g0.expr=dws_cluster_status%7Bstatus%3D%22UNAVAILABLE%22%7D&g0.tab=1',
      fingerprint: createHash('sha256').update(p.clusterId).digest('hex').slice(0, 16),
    })),
    groupLabels: { alertname: common.alertname },
    commonLabels: common,
    commonAnnotations: { runbook_url: 'https://wiki.example.internal/runbooks/dws-failover' },
    externalURL: 'http://alertmanager-0:9093',
    version: '4',
    groupKey,
    truncatedAlerts: 0,
  });
}

const groupKey = (): string => `{}:{alertname="DwsClusterUnavailable", region="cn-north-4", run="${randomUUID()}"}`;

interface Answer {
  status: number;
  ms: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read field by field
  body: any;
}

async function post(intake: Intake, token: string, body: string): Promise<Answer> {
  const t0 = performance.now();
  const res = await fetch(`${intake.url}/v1/alerts/alertmanager`, {
    method: 'POST',
    body,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { raw: text.slice(0, 200) };
  }
  return { status: res.status, ms, body: parsed };
}

/** The intake's own latency histogram of the Alertmanager route (`/metrics`): answers at most `le` seconds, by `le`. */
async function serverLatency(intake: Intake): Promise<Map<string, number>> {
  const text = await (await fetch(`${intake.url}/metrics`)).text();
  const buckets = new Map<string, number>();
  const re =
    /^dws_failover_intake_request_duration_seconds_bucket\{route="\/v1\/alerts\/alertmanager",le="([^"]+)"\} (\d+)$/gm;
  for (const m of text.matchAll(re)) buckets.set(m[1] ?? '', Number(m[2]));
  return buckets;
}

/** One line of the table. */
interface Row {
  phase: string;
  answers: Answer[];
  before: Memory;
  after: Memory;
  notes: string[];
}

const f0 = (v: number): string => (Number.isFinite(v) ? v.toFixed(0) : '–');
const msText = (v: number): string =>
  Number.isFinite(v) ? (v < 10 ? `${v.toFixed(1)} ms` : `${v.toFixed(0)} ms`) : '–';
const kib = (bytes: number): string =>
  bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MiB` : `${f0(bytes / 1024)} KiB`;

function statuses(answers: Answer[]): string {
  const other = new Map<string, number>();
  for (const a of answers.filter((x) => x.status !== 202)) {
    const key = `${a.status}${typeof a.body?.error === 'string' ? ` ${a.body.error}` : ''}`;
    other.set(key, (other.get(key) ?? 0) + 1);
  }
  return [...other].map(([k, n]) => `${n}× ${k}`).join(', ') || '–';
}

function render(rows: Row[], header: string): string {
  const cells = rows.map((r) => {
    const ms = r.answers.map((a) => a.ms);
    return [
      r.phase,
      String(r.answers.length),
      String(r.answers.filter((a) => a.status === 202).length),
      statuses(r.answers),
      msText(percentile(ms, 50)),
      msText(percentile(ms, 99)),
      msText(max(ms)),
      `${f0(r.before.rssMiB)} → ${f0(r.after.rssMiB)}`,
      `${f0(r.before.hwmMiB)} → ${f0(r.after.hwmMiB)}`,
    ];
  });
  const head = ['phase', 'n', '202', 'other', 'p50', 'p99', 'max', 'RSS MiB', 'peak MiB'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]): string =>
    c
      .map((v, i) => (i === 0 || i === 3 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [header, '', line(head), line(widths.map((w) => '─'.repeat(w)))];
  rows.forEach((r, i) => {
    out.push(line(cells[i] ?? []));
    for (const note of r.notes) out.push(`  ↳ ${note}`);
  });
  return out.join('\n');
}

/** Sends `count` deliveries of `size` new pairs, one after another. */
async function sizeRun(intake: Intake, token: string, size: number, count: number): Promise<Row> {
  const project = projectId();
  const before = intake.memory();
  const answers: Answer[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const body = notification(project, newPairs(size), groupKey());
    bytes = Buffer.byteLength(body);
    answers.push(await post(intake, token, body));
  }
  const label = size === 1 ? '1 pair' : `${size.toLocaleString('en')} pairs`;
  return { phase: `${label} per delivery`, answers, before, after: intake.memory(), notes: [`body ${kib(bytes)}`] };
}

/** `copies` of one notification about one pair, all at once; then how many failover workflows the pair has. */
async function storm(intake: Intake, token: string, client: Client, copies: number): Promise<Row> {
  const project = projectId();
  const [pair] = newPairs(1);
  const body = notification(project, pair ? [pair] : [], groupKey());
  const before = intake.memory();
  const histogramBefore = await serverLatency(intake);
  const t0 = performance.now();
  const answers = await Promise.all(Array.from({ length: copies }, () => post(intake, token, body)));
  const wall = performance.now() - t0;
  const after = intake.memory();
  const histogramAfter = await serverLatency(intake);
  const over = (le: string): number =>
    (histogramAfter.get('+Inf') ?? 0) -
    (histogramBefore.get('+Inf') ?? 0) -
    ((histogramAfter.get(le) ?? 0) - (histogramBefore.get(le) ?? 0));
  const workflowId = `dws-failover:${project}:${pair?.drId}`;
  const query = `WorkflowType = 'failoverWorkflow' AND WorkflowId STARTS_WITH 'dws-failover:${project}:'`;
  // Visibility lags a start by a moment: wait for the first, then a little more for any second one.
  const until = Date.now() + 15_000;
  while ((await client.workflow.count(query)).count === 0 && Date.now() < until) await sleep(200);
  await sleep(2000);
  const workflows = (await client.workflow.count(query)).count;
  const description = await client.workflow
    .getHandle(workflowId)
    .describe()
    .catch(() => null);
  const actions = new Map<string, number>();
  for (const a of answers.filter((x) => x.status === 202)) {
    const action = String(a.body?.workflows?.[0]?.action ?? '?');
    actions.set(action, (actions.get(action) ?? 0) + 1);
  }
  return {
    phase: `storm: ${copies} copies of 1 pair at once`,
    answers,
    before,
    after,
    notes: [
      `all answered in ${(wall / 1000).toFixed(2)} s; 202s: ${[...actions].map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}`,
      `the intake's own histogram (headers in → answer out): ${over('0.5')} over 0.5 s, ${over('1')} over 1 s, ` +
        `${over('2.5')} over 2.5 s`,
      `failover workflows for the pair (visibility): ${workflows} ${workflows === 1 ? '(exactly 1: ok)' : '(NOT 1)'}; ` +
        `its history ${description?.historyLength ?? '?'} events (a signal per recorded copy)`,
    ],
  };
}

/** One delivery of `size` pairs to `intake`: the answer, and the intake's memory before and after. */
async function oneLarge(intake: Intake, token: string, size: number, phase: string, setting: string): Promise<Row> {
  const body = notification(projectId(), newPairs(size), groupKey());
  const before = intake.memory();
  const answer = await post(intake, token, body);
  const after = intake.memory();
  const notes = [`${setting}; body ${kib(Buffer.byteLength(body))}`];
  if (answer.status === 202) notes.push(`202 delivery ${answer.body?.delivery?.id} (${answer.body?.pairs} pairs)`);
  else notes.push(`${answer.status} ${answer.body?.error}: ${answer.body?.message}`);
  const { record_bytes: recordBytes, limit_bytes: limitBytes } = answer.body ?? {};
  if (typeof recordBytes === 'number' && typeof limitBytes === 'number') {
    const perPair = recordBytes / size;
    notes.push(
      `${perPair.toFixed(0)} record bytes per pair: at most ${Math.floor(limitBytes / perPair)} such pairs fit`
    );
  }
  return { phase, answers: [answer], before, after, notes };
}

/** Phase 5: a worker fans a 1,000-pair delivery out; the time from the 202 until the record says `dispatched`. */
async function fanout(base: Record<string, string>, token: string, client: Client, namespace: string): Promise<Row> {
  const sim = await startSimulator({ logger: createLogger({ component: 'simulator', level: 'error' }) });
  const worker = new WorkerProcess({
    ...base,
    DWS_ENDPOINT: sim.url,
    HUAWEICLOUD_SDK_AK: AK,
    HUAWEICLOUD_SDK_SK: SK,
    DWS_RATE_LIMIT: '0',
    DWS_FAILOVER_SHUTDOWN_GRACE: '1s',
  });
  let intake: Intake | null = null;
  try {
    await waitForWorker(client, namespace, base.DWS_FAILOVER_TASK_QUEUE ?? '', worker);
    intake = await startIntake('fanout', base);
    const project = projectId();
    const before = intake.memory();
    const answer = await post(intake, token, notification(project, newPairs(1000), groupKey()));
    const answered = Date.now();
    const notes: string[] = [];
    if (answer.status !== 202) notes.push(`${answer.status} ${answer.body?.error}: ${answer.body?.message}`);
    else {
      let view: DeliveryView | null = null;
      while (Date.now() - answered < 240_000) {
        await sleep(250);
        const res = await fetch(`${intake.url}${answer.body.delivery.url}?limit=0`, {
          headers: { authorization: `Bearer ${token}` },
        }).catch(() => null);
        if (res?.ok) view = (await res.json()) as DeliveryView;
        else await res?.arrayBuffer();
        if (view?.phase === 'dispatched') break;
      }
      const seen = (Date.now() - answered) / 1000;
      const own = view?.dispatched_at ? (Date.parse(view.dispatched_at) - answered) / 1000 : NaN;
      notes.push(
        view?.phase === 'dispatched'
          ? `202 → GET says dispatched: ${seen.toFixed(1)} s (the record's own dispatched_at: ${own.toFixed(1)} s after the 202); ` +
              `actions ${JSON.stringify(view.actions)}`
          : `not dispatched after ${seen.toFixed(0)} s: ${view?.dispatched ?? 0}/1000 pairs`
      );
      const ofProject = `WorkflowType = 'failoverWorkflow' AND WorkflowId STARTS_WITH 'dws-failover:${project}:'`;
      const failovers = (await client.workflow.count(ofProject)).count;
      const running = async (): Promise<number> =>
        (await client.workflow.count(`${ofProject} AND ExecutionStatus = 'Running'`)).count;
      const atDispatch = await running();
      // Each run ends at its first pre-check (the simulator knows none of the pairs): how long until all have.
      let left = atDispatch;
      while (left > 0 && Date.now() - answered < 240_000) {
        await sleep(1000);
        left = await running();
      }
      const ended =
        left === 0
          ? `all ended ${((Date.now() - answered) / 1000).toFixed(0)} s after the 202`
          : `${left} still running after 240 s`;
      notes.push(
        `failover workflows of the project (visibility): ${failovers}, ${atDispatch} still running at dispatch, ${ended}; ` +
          `worker RSS peak ${f0(worker.peakRssMiB)} MiB`
      );
    }
    return { phase: 'fan-out: 1,000 pairs, with a worker', answers: [answer], before, after: intake.memory(), notes };
  } finally {
    await intake?.stop();
    await worker.stop();
    await sim.close();
  }
}

async function waitForWorker(
  client: Client,
  namespace: string,
  taskQueue: string,
  worker: WorkerProcess
): Promise<void> {
  const deadline = Date.now() + 120_000;
  const { TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY } = temporal.api.enums.v1.TaskQueueType;
  for (;;) {
    if (worker.exited) throw new Error(`the worker exited at start:\n${worker.tail()}`);
    const polled = await Promise.all(
      [TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY].map(async (taskQueueType) => {
        const res = await client.workflowService.describeTaskQueue({
          namespace,
          taskQueue: { name: taskQueue },
          taskQueueType,
        });
        return (res.pollers ?? []).length > 0;
      })
    );
    if (polled.every(Boolean)) return;
    if (Date.now() > deadline) throw new Error(`the worker did not poll ${taskQueue} within 120 s:\n${worker.tail()}`);
    await sleep(200);
  }
}

/** Terminates everything still running on the run's task queues in one server-side batch; resolves when it is done. */
async function terminateAll(client: Client, namespace: string, queues: string[]): Promise<string> {
  const jobId = randomUUID();
  await client.workflowService.startBatchOperation({
    namespace,
    jobId,
    reason: 'bench-intake-load cleanup',
    visibilityQuery: `TaskQueue IN (${queues.map((q) => `'${q}'`).join(', ')}) AND ExecutionStatus = 'Running'`,
    terminationOperation: {},
  });
  const { BATCH_OPERATION_STATE_RUNNING } = temporal.api.enums.v1.BatchOperationState;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const d = await client.workflowService.describeBatchOperation({ namespace, jobId });
    if (d.state !== BATCH_OPERATION_STATE_RUNNING || Date.now() > deadline) {
      return `${d.completeOperationCount ?? 0} of ${d.totalOperationCount ?? 0} terminated (batch ${jobId.slice(0, 8)})`;
    }
    await sleep(250);
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string' },
      storm: { type: 'string' },
      fanout: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return (console.log(USAGE), 0);
  const bounded = (v: string | undefined, fallback: number, lo: number, hi: number): number =>
    Math.min(hi, Math.max(lo, Math.floor(Number(v ?? fallback)) || fallback));
  const count = bounded(values.count, 50, 1, 500);
  const copies = bounded(values.storm, 500, 1, 2000);
  if (!existsSync(join(ROOT, 'lib', 'cli', 'main.js'))) throw new Error('lib/ is missing: run `npm run build` first');
  const onSignal = (): void => {
    log('interrupted: stopping what this run started');
    for (const cleanup of cleanups) cleanup();
    setTimeout(() => process.exit(130), 500).unref();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const began = Date.now();
  let dev: DevServer | null = null;
  const address = process.env.TEMPORAL_ADDRESS ?? (dev = await startDevServer({ log })).address;
  const stopDev = (): void => void dev?.stop();
  if (dev) cleanups.add(stopDev);
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  const token = randomBytes(24).toString('hex');
  const queue = `bench-intake-load-${randomUUID()}`;
  const queues = [queue];
  const base = (taskQueue: string, settings: Record<string, string> = {}): Record<string, string> => ({
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: namespace,
    DWS_FAILOVER_TASK_QUEUE: taskQueue,
    DWS_FAILOVER_INTAKE_TOKEN: token,
    DWS_FAILOVER_LOG_LEVEL: 'warn',
    ...settings,
  });
  const rows: Row[] = [];
  const started: Intake[] = [];
  const intake = async (name: string, settings: Record<string, string>): Promise<Intake> => {
    const i = await startIntake(name, base(queue, settings));
    started.push(i);
    return i;
  };
  let cleanup = '';
  let fresh: Memory = { rssMiB: NaN, hwmMiB: NaN };
  try {
    const big = { DWS_FAILOVER_INTAKE_MAX_BODY: String(8 * 1_048_576) };
    // MAX_ALERTS is raised so that the pair limit, not the alert limit (default 2000), is what a 10,000-pair delivery meets.
    const a = await intake('A', { ...big, DWS_FAILOVER_INTAKE_MAX_ALERTS: '10000' });
    fresh = a.memory();
    log(`intake A (pid ${a.pid}) ready: RSS ${f0(fresh.rssMiB)} MiB; warming up`);
    for (const size of [1, 1, 1, 100, 100, 1000])
      await post(a, token, notification(projectId(), newPairs(size), groupKey()));
    for (const size of [1, 100, 1000]) {
      log(`phase 1: ${count} deliveries of ${size} pairs`);
      rows.push(await sizeRun(a, token, size, count));
    }
    log(`phase 2: ${copies} copies of one notification at once`);
    rows.push(await storm(a, token, client, copies));
    log('phase 4: 10,000 pairs (default MAX_PAIRS), then 5,000 pairs (MAX_PAIRS=5000)');
    rows.push(await oneLarge(a, token, 10_000, '10,000 pairs, intake A', 'MAX_PAIRS 1000 (default), MAX_ALERTS 10000'));
    await a.stop();
    const b = await intake('B', { ...big, DWS_FAILOVER_INTAKE_MAX_PAIRS: '5000' });
    rows.push(await oneLarge(b, token, 5000, '5,000 pairs, intake B', 'MAX_PAIRS 5000, MAX_ALERTS 2000 (default)'));
    await b.stop();
    const c = await intake('C', {
      ...big,
      DWS_FAILOVER_INTAKE_MAX_PAIRS: '5000',
      DWS_FAILOVER_INTAKE_MAX_ALERTS: '5000',
    });
    rows.push(await oneLarge(c, token, 5000, '5,000 pairs, intake C', 'MAX_PAIRS 5000, MAX_ALERTS 5000'));
    await c.stop();
    if (values.fanout) {
      log('phase 5: a worker fans out a 1,000-pair delivery');
      const fanoutQueue = `${queue}-fanout`;
      queues.push(fanoutQueue);
      rows.push(await fanout(base(fanoutQueue), token, client, namespace));
    }
  } finally {
    for (const i of started) await i.stop();
    cleanup = await terminateAll(client, namespace, queues).catch((err: unknown) => `cleanup failed: ${String(err)}`);
    await connection.close();
    await dev?.stop();
    cleanups.delete(stopDev);
  }
  const took = ((Date.now() - began) / 60_000).toFixed(1);
  const header =
    `dws-failover intake under load (--count ${count} --storm ${copies}${values.fanout ? ' --fanout' : ''}; ` +
    `${cpus().length} cores, node ${process.version}, Temporal ${dev ? 'dev server' : address}; took ${took} min)\n` +
    'Answer times at the sender (loopback); RSS and peak (VmHWM) of the intake process before → after the phase ' +
    `(intake A at start, before its warm-up: RSS ${f0(fresh.rssMiB)} MiB).`;
  console.log(render(rows, header));
  console.log(`\nCleanup: ${cleanup}.`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    for (const cleanup of cleanups) cleanup();
    console.error(`bench-intake-load: ${(err as Error)?.message ?? String(err)}`);
    process.exit(1);
  }
);
