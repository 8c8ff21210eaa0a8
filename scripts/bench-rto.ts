/**
 * What the exactly-once rules cost in RTO: `npx tsx scripts/bench-rto.ts [--runs N] [--cases a,b]`.
 * Starts a Temporal dev server, the simulator (failover 10 s, reads lag 1 s) and one worker with the project's
 * default policy except a 1 s poll interval (so the protocol, not the poll, shows), and runs N failovers at once per
 * case:
 * - `no-fault`: nothing goes wrong;
 * - `lost-answer`: the first POST is accepted, then answered 500 (the answer is lost);
 * - `lost-request`: the first POST's connection drops before the service takes it (nothing to see: the run must
 *   wait out its resend fence before it may send again).
 * Prints RTO (trigger → completion confirmed) and time to the report (which includes the settle check) p50/p95/max,
 * and POSTs per pair. It uses only simulator features every version has, so the same file runs against an older
 * checkout for a side-by-side baseline. Everything runs on loopback and ends by itself.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../src/config';
import { writeWorkflowBundle } from '../src/devstack/bundle';
import { startDevServer } from '../src/devstack/dev-server';
import type { OperationReport } from '../src/shared/operation-model';
import { createSimulator } from '../src/simulator';
import { startFailover } from '../src/operations/start-failover';
import { buildWorker } from '../src/worker';

const AK = 'BENCHACCESSKEY000001';
const SK = 'bench-secret-key-for-the-simulator';
const CASES = ['no-fault', 'lost-answer', 'lost-request'] as const;
type Case = (typeof CASES)[number];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

const spread = (values: number[]): string => {
  const s = [...values].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(1)} s  p95 ${percentile(s, 95).toFixed(1)} s  max ${(s.at(-1) ?? NaN).toFixed(1)} s`;
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string' }, cases: { type: 'string' } } });
  const runs = Math.min(100, Math.max(1, Number(values.runs ?? 10)));
  const cases = (values.cases?.split(',') ?? [...CASES]) as Case[];
  for (const c of cases) {
    if (!CASES.includes(c)) throw new Error(`--cases: unknown case '${c}'; use ${CASES.join(', ')}`);
  }
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const dev = await startDevServer({ log: (l) => console.error(l) });
  const sim = await createSimulator({
    credentials: [{ ak: AK, sk: SK }],
    failoverDurationMs: 10_000,
    readAfterWriteMs: 1000,
    requestLogLimit: 100_000,
  });
  const bundle = `/tmp/dws-bench-rto-bundle-${randomUUID()}.js`;
  await writeWorkflowBundle(bundle);
  const config = loadConfig(
    {
      TEMPORAL_ADDRESS: dev.address,
      DWS_ENDPOINT: sim.url,
      HUAWEICLOUD_SDK_AK: AK,
      HUAWEICLOUD_SDK_SK: SK,
      DWS_RATE_LIMIT: '0',
      DWS_FAILOVER_POLL_INTERVAL: '1s',
      DWS_FAILOVER_COOLDOWN: '0',
      DWS_FAILOVER_TASK_QUEUE: `bench-rto-${randomUUID()}`,
      DWS_FAILOVER_WORKFLOW_BUNDLE: bundle,
    },
    { requireDws: true }
  );
  const native = await NativeConnection.connect({ address: dev.address });
  const { worker, close } = await buildWorker(config, native);
  const running = worker.run();
  const connection = await Connection.connect({ address: dev.address });
  const client = new Client({ connection });
  console.log(`bench-rto: ${runs} failovers per case at once; failover 10 s, reads lag 1 s, poll 1 s`);
  console.log(`resend fence (readAfterWriteWindowSeconds): ${config.policy.readAfterWriteWindowSeconds} s`);
  try {
    for (const c of cases) {
      const projectId = randomBytes(16).toString('hex');
      const pairs = Array.from({ length: runs }, () => ({ drId: randomUUID(), primary: randomUUID() }));
      for (const p of pairs) {
        sim.addPair({ id: p.drId, projectId, status: 'running', version: '8.2.1', primary: { id: p.primary } });
        sim.outage(p.primary);
        const path = `/v2/${projectId}/disaster-recovery/${p.drId}/failover`;
        if (c === 'lost-answer') sim.addFaults({ method: 'POST', path, acceptThen500: true, count: 1 });
        if (c === 'lost-request') sim.addFaults({ method: 'POST', path, drop: true, count: 1 });
      }
      const started = Date.now();
      const reports = await Promise.all(
        pairs.map(async (p) => {
          const s = await startFailover(client, config, {
            projectId,
            drId: p.drId,
            reason: `bench-rto ${c}`,
            trigger: { source: 'api', ref: 'bench', receivedAt: new Date().toISOString(), actor: 'bench' },
          });
          const report = (await client.workflow.getHandle(s.workflowId, s.runId).result()) as OperationReport;
          return { report, reportAfterS: (Date.now() - started) / 1000 };
        })
      );
      const ok = reports.filter((r) => r.report.outcome === 'failed-over');
      const posts = sim.requests({ method: 'POST' }).filter((r) => r.path.startsWith(`/v2/${projectId}/`));
      console.log(
        `${c.padEnd(13)} ${ok.length}/${runs} failed-over  RTO ${spread(ok.map((r) => r.report.rtoSeconds ?? NaN))}` +
          `  report ${spread(ok.map((r) => r.reportAfterS))}  POSTs/pair ${(posts.length / runs).toFixed(2)}` +
          `  accepted/pair ${(posts.filter((r) => r.accepted).length / runs).toFixed(2)}`
      );
    }
  } finally {
    worker.shutdown();
    await running.catch(() => undefined);
    await close();
    await native.close();
    await connection.close();
    await sim.close();
    await dev.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`bench-rto: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
