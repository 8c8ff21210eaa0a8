/**
 * P3: from the trigger to the failover POST arriving at the simulator, one pair at a time with nothing else
 * running. Two paths: an Alertmanager webhook posted to the intake (in this process, as `dws-failover intake`
 * runs it), and `startFailover` called directly (the CLI and the API). Each run is terminated once its POST has
 * arrived, so the next sample has the worker to itself. The first sample of each path warms the worker up and is
 * not counted.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config';
import { lazyClient, startIntakeServer } from '../../src/intake';
import { createLogger } from '../../src/logger';
import { workflowIds } from '../../src/shared/constants';
import type { RequestLogEntry, Simulator } from '../../src/simulator';
import { addDownPair, start, type BenchPair } from './failover-run';
import { log, sleep, startSimulator, waitForPollers, workerEnv, WorkerProcess, type Stack } from './stack';

const POST_WAIT_MS = 60_000;

export interface AlertSample {
  path: 'alert' | 'start';
  /** Trigger → the intake's 202, or `startFailover` resolved (ms). */
  acceptedMs: number;
  /** Trigger → the first DWS request of the pair (the worker started the pre-checks) (ms). */
  firstReadMs: number | null;
  /** Trigger → the failover POST arrived at the simulator (ms); null when it never did. */
  postMs: number | null;
  /** DWS requests of the pair before its POST (the pre-checks' reads). */
  readsBefore: number;
  /** Trigger → the last of those reads arrived (ms). */
  lastReadMs: number | null;
}

export async function runAlertLatency(stack: Stack, samples: number): Promise<AlertSample[]> {
  const sim = await startSimulator({ failoverDurationMs: 600_000 });
  const taskQueue = `bench-p3-${randomUUID()}`;
  const token = randomBytes(24).toString('hex');
  const env = workerEnv(stack, sim, taskQueue);
  const config = loadConfig({ ...env, DWS_FAILOVER_INTAKE_TOKEN: token }, { requireDws: true });
  const worker = new WorkerProcess(env);
  const intakeClient = lazyClient(config);
  const intake = await startIntakeServer({
    client: intakeClient,
    config,
    logger: createLogger({ component: 'intake', level: 'warn' }),
    host: '127.0.0.1',
    port: 0,
  });
  try {
    await waitForPollers(stack.client, taskQueue, [worker]);
    log(`P3: ${samples} alerts through the intake, then ${samples} direct starts, one at a time`);
    const out: AlertSample[] = [];
    for (const path of ['alert', 'start'] as const) {
      for (let i = 0; i <= samples; i++) {
        const pair = addDownPair(sim);
        const t0 = Date.now();
        let acceptedMs: number;
        if (path === 'alert') {
          const status = await postAlert(intake.url, token, pair);
          acceptedMs = Date.now() - t0;
          if (status !== 202) throw new Error(`the intake answered ${status} to a valid alert`);
        } else {
          await start(stack.client, config, pair, 'bench p3');
          acceptedMs = Date.now() - t0;
        }
        const { firstMs, postAtMs, readsBefore, lastReadAtMs } = await untilPost(sim, pair);
        await stack.client.workflow
          .getHandle(workflowIds.failover(pair.projectId, pair.drId))
          .terminate('bench p3: the POST arrived')
          .catch(() => undefined);
        if (i > 0) {
          out.push({
            path,
            acceptedMs,
            firstReadMs: firstMs === null ? null : firstMs - t0,
            postMs: postAtMs === null ? null : postAtMs - t0,
            readsBefore,
            lastReadMs: lastReadAtMs === null ? null : lastReadAtMs - t0,
          });
        }
        // Let the terminated run's activity end before the next sample.
        await sleep(200);
      }
    }
    return out;
  } catch (err) {
    log(`P3 worker output:\n${worker.tail()}`);
    throw err;
  } finally {
    await intake.close();
    await intakeClient.connection.close().catch(() => undefined);
    await worker.stop();
    await sim.close();
  }
}

/** Posts one firing Alertmanager alert for the pair. @returns the HTTP status. */
async function postAlert(intakeUrl: string, token: string, pair: BenchPair): Promise<number> {
  const body = JSON.stringify({
    version: '4',
    groupKey: `{}:{alertname="DwsClusterUnavailable", dr="${pair.drId}"}`,
    status: 'firing',
    receiver: 'bench',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'DwsClusterUnavailable', dws_project_id: pair.projectId, dws_dr_id: pair.drId },
        annotations: { summary: 'bench p3' },
        startsAt: new Date().toISOString(),
        fingerprint: pair.drId.replace(/-/g, '').slice(0, 16),
      },
    ],
  });
  const res = await fetch(`${intakeUrl}/v1/alerts/alertmanager`, {
    method: 'POST',
    body,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  await res.arrayBuffer();
  return res.status;
}

/** Arrival times (epoch ms) of the pair's first DWS request and of its failover POST. */
async function untilPost(
  sim: Simulator,
  pair: BenchPair
): Promise<{ firstMs: number | null; postAtMs: number | null; readsBefore: number; lastReadAtMs: number | null }> {
  const deadline = Date.now() + POST_WAIT_MS;
  const prefix = `^/v[0-9.]+/${pair.projectId}/`;
  for (;;) {
    const reqs = sim.requests({ path: prefix });
    const post = reqs.find((r) => r.method === 'POST' && r.path.endsWith('/failover'));
    const first = reqs[0];
    if (post || Date.now() > deadline) {
      if (!post) log(`  P3: no failover POST for ${pair.drId} within ${POST_WAIT_MS / 1000} s`);
      return {
        firstMs: first ? Date.parse(first.time) : null,
        postAtMs: post ? Date.parse(post.time) : null,
        readsBefore: post ? reqs.indexOf(post) : reqs.length,
        lastReadAtMs:
          post && reqs.indexOf(post) > 0 ? Date.parse((reqs[reqs.indexOf(post) - 1] as RequestLogEntry).time) : null,
      };
    }
    await sleep(5);
  }
}
