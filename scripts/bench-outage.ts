/**
 * A region-wide outage on one small machine: `npx tsx scripts/bench-outage.ts [--pairs N] [--rate R]`.
 * Starts a Temporal dev server, the simulator with N DR pairs (default 200) and ONE worker with DWS_RATE_LIMIT=R
 * (default 10 requests/s), takes every primary down, starts N failovers at once and waits for every report.
 * Prints the time until all completed, the RTO spread, the highest DWS request rate the simulator saw in any
 * one-second window (it must stay at or under R), failover requests per pair, and the worker process's peak RSS.
 * Everything runs on loopback and ends by itself.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../src/config';
import { startDevServer } from '../src/devstack/dev-server';
import { writeWorkflowBundle } from '../src/devstack/bundle';
import type { OperationReport } from '../src/shared/operation-model';
import { createSimulator } from '../src/simulator';
import { startFailover } from '../src/operations/start-failover';
import { buildWorker } from '../src/worker';

const AK = 'BENCHACCESSKEY000001';
const SK = 'bench-secret-key-for-the-simulator';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { pairs: { type: 'string' }, rate: { type: 'string' } } });
  const pairs = Math.min(1000, Math.max(1, Number(values.pairs ?? 200)));
  const rate = Math.min(1000, Math.max(1, Number(values.rate ?? 10)));
  Runtime.install({ logger: new DefaultLogger('ERROR') });

  const dev = await startDevServer({ log: (l) => console.log(l) });
  const sim = await createSimulator({
    credentials: [{ ak: AK, sk: SK }],
    failoverDurationMs: 20_000,
    readAfterWriteMs: 1000,
    requestLogLimit: 1_000_000,
  });
  const bundle = `/tmp/dws-bench-bundle-${randomUUID()}.js`;
  await writeWorkflowBundle(bundle);
  const projectId = randomBytes(16).toString('hex');
  const ids = Array.from({ length: pairs }, () => ({
    drId: randomUUID(),
    primary: randomUUID(),
    standby: randomUUID(),
  }));
  for (const p of ids) {
    sim.addPair({ id: p.drId, projectId, status: 'running', primary: { id: p.primary }, standby: { id: p.standby } });
    sim.outage(p.primary);
  }
  const config = loadConfig(
    {
      TEMPORAL_ADDRESS: dev.address,
      DWS_ENDPOINT: sim.url,
      HUAWEICLOUD_SDK_AK: AK,
      HUAWEICLOUD_SDK_SK: SK,
      DWS_RATE_LIMIT: String(rate),
      DWS_FAILOVER_TASK_QUEUE: `bench-outage-${randomUUID()}`,
      DWS_FAILOVER_WORKFLOW_BUNDLE: bundle,
      DWS_FAILOVER_POLL_INTERVAL: '5s',
      DWS_FAILOVER_COMPLETION_TIMEOUT: '30m',
    },
    { requireDws: true }
  );
  const native = await NativeConnection.connect({ address: dev.address });
  const { worker, close } = await buildWorker(config, native);
  const running = worker.run();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);

  const connection = await Connection.connect({ address: dev.address });
  const client = new Client({ connection });
  const t0 = Date.now();
  console.log(`Starting ${pairs} failovers at once against one worker limited to ${rate} DWS requests/s…`);
  const started = await Promise.all(
    ids.map((p) =>
      startFailover(client, config, {
        projectId,
        drId: p.drId,
        reason: 'benchmark: region-wide outage',
        failedClusterId: p.primary,
        trigger: { source: 'api', ref: 'bench', receivedAt: new Date().toISOString(), actor: 'bench' },
      })
    )
  );
  const progress = setInterval(() => {
    const done = sim
      .state()
      .disasterRecoveries.filter((d) => ids.some((p) => p.drId === d.id && d.primaryClusterId === p.standby)).length;
    console.log(`  ${Math.round((Date.now() - t0) / 1000)} s: ${done}/${pairs} pairs swapped`);
  }, 10_000);
  const reports = (await Promise.all(
    started.map((s) => client.workflow.getHandle(s.workflowId, s.runId).result())
  )) as OperationReport[];
  const totalS = (Date.now() - t0) / 1000;
  clearInterval(progress);
  clearInterval(sampler);

  const requests = sim.requests().filter((r) => !r.path.startsWith('/_sim'));
  const perSecond = new Map<number, number>();
  for (const r of requests) {
    const s = Math.floor(Date.parse(r.time) / 1000);
    perSecond.set(s, (perSecond.get(s) ?? 0) + 1);
  }
  const posts = requests.filter((r) => r.method === 'POST' && r.path.endsWith('/failover'));
  const perPair = new Map<string, number>();
  for (const r of posts) perPair.set(r.path, (perPair.get(r.path) ?? 0) + 1);
  const rto = reports.map((r) => r.rtoSeconds ?? NaN).sort((a, b) => a - b);
  const outcomes = new Map<string, number>();
  for (const r of reports) outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);

  console.log(`\nRegion-wide outage: ${pairs} pairs, one worker, DWS_RATE_LIMIT=${rate}/s`);
  console.log(`  all reports in           ${totalS.toFixed(1)} s`);
  console.log(`  outcomes                 ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(
    `  RTO p50 / p95 / max      ${percentile(rto, 50).toFixed(1)} / ${percentile(rto, 95).toFixed(1)} / ${rto[rto.length - 1]?.toFixed(1)} s`
  );
  console.log(
    `  DWS requests             ${requests.length} (peak ${Math.max(...perSecond.values())} in one second; limit ${rate})`
  );
  console.log(
    `  failover POSTs per pair  max ${Math.max(...perPair.values())}, pairs with one: ${[...perPair.values()].filter((n) => n === 1).length}`
  );
  console.log(`  peak RSS (worker + sim)  ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);

  worker.shutdown();
  await running;
  await close();
  await native.close();
  await connection.close();
  await sim.close();
  await dev.stop();
}

main().catch((err: unknown) => {
  console.error(`bench-outage: ${(err as Error).message}`);
  process.exit(1);
});
