/**
 * Latency of the intake's answer to a valid alert, on loopback: `npx tsx scripts/bench-intake.ts [--count N]
 * [--concurrency C]`. Uses TEMPORAL_ADDRESS when set (its namespace needs the project's search attributes), or
 * starts a Temporal dev server. Workflows go to a task queue of their own that no worker polls: the figure is the
 * intake (parse, map, one signal-with-start and one describe), not the failover. Every workflow it started is
 * terminated at the end. Prints p50/p95/p99/max for first deliveries (start) and duplicates (join).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { startDevServer, type DevServer } from '../src/devstack/dev-server';
import { lazyClient, startIntakeServer } from '../src/intake';
import { createLogger } from '../src/logger';

const MAX_COUNT = 2000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

function summary(label: string, ms: number[], wallMs: number): string {
  const s = [...ms].sort((a, b) => a - b);
  const f = (n: number): string => `${n.toFixed(1)} ms`;
  return `${label.padEnd(18)} n=${s.length}  p50 ${f(percentile(s, 50))}  p95 ${f(percentile(s, 95))}  p99 ${f(percentile(s, 99))}  max ${f(s[s.length - 1] ?? NaN)}  (${((s.length / wallMs) * 1000).toFixed(0)} req/s)`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: 'string' }, concurrency: { type: 'string' } } });
  const count = Math.min(MAX_COUNT, Math.max(1, Number(values.count ?? 200)));
  const concurrency = Math.min(64, Math.max(1, Number(values.concurrency ?? 1)));
  let dev: DevServer | null = null;
  const address = process.env.TEMPORAL_ADDRESS ?? (dev = await startDevServer({ log: (l) => console.log(l) })).address;
  const token = randomBytes(24).toString('hex');
  const config = loadConfig({
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default',
    DWS_FAILOVER_TASK_QUEUE: `bench-intake-${randomUUID()}`,
    DWS_FAILOVER_INTAKE_TOKEN: token,
  });
  const client = lazyClient(config);
  const intake = await startIntakeServer({
    client,
    config,
    logger: createLogger({ component: 'intake', level: 'warn' }),
    host: '127.0.0.1',
    port: 0,
  });
  const projectId = randomBytes(16).toString('hex');
  const drIds = Array.from({ length: count }, () => randomUUID());
  const send = async (drId: string): Promise<number> => {
    const body = JSON.stringify({
      version: '4',
      groupKey: `{}:{alertname="DwsClusterUnavailable", dr="${drId}"}`,
      status: 'firing',
      receiver: 'bench',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'DwsClusterUnavailable', dws_project_id: projectId, dws_dr_id: drId },
          annotations: { summary: 'benchmark' },
          startsAt: new Date().toISOString(),
          fingerprint: drId.slice(0, 16),
        },
      ],
    });
    const t0 = performance.now();
    const res = await fetch(`${intake.url}/v1/alerts/alertmanager`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    await res.arrayBuffer();
    const ms = performance.now() - t0;
    if (res.status !== 202) throw new Error(`the intake answered ${res.status} for ${drId}`);
    return ms;
  };
  const run = async (ids: string[]): Promise<{ ms: number[]; wall: number }> => {
    const ms: number[] = [];
    const queue = [...ids];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) ms.push(await send(id));
      })
    );
    return { ms, wall: performance.now() - t0 };
  };
  try {
    console.log(`Intake ${intake.url} → Temporal ${address}; ${count} alerts, concurrency ${concurrency}.`);
    const warm = Array.from({ length: 10 }, () => randomUUID());
    await run(warm);
    drIds.push(...warm);
    const starts = await run(drIds.slice(0, count));
    const joins = await run(drIds.slice(0, count));
    console.log(summary('start (new pair)', starts.ms, starts.wall));
    console.log(summary('join (duplicate)', joins.ms, joins.wall));
  } finally {
    await intake.close();
    if (!dev) {
      for (const drId of drIds) {
        await client.workflow
          .getHandle(`dws-failover:${projectId}:${drId}`)
          .terminate('bench-intake cleanup')
          .catch(() => undefined);
      }
    }
    await client.connection.close();
    await dev?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`bench-intake: ${(err as Error)?.message ?? String(err)}`);
  process.exit(1);
});
