/**
 * Liveness and readiness of a worker. Live: the process serves and the worker has not failed. Ready: the worker is
 * RUNNING and Temporal itself (DescribeTaskQueue) lists this worker's identity among the workflow pollers of its
 * task queue with a poll in the last two minutes — connected and polling, as the server sees it.
 */
import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import type { Worker } from '@temporalio/worker';

/**
 * A long poll lasts up to about a minute before the worker polls again, and the server records the time each poll
 * arrived: a poll older than two minutes means this worker stopped polling.
 */
const POLL_FRESH_MS = 120_000;
/** A probe must answer quickly even when Temporal does not. */
const DESCRIBE_TIMEOUT_MS = 5_000;

export interface ProbeResult {
  ok: boolean;
  detail: string;
}

/** See the module comment. Attach the worker once it exists; before that the worker is live and not ready. */
export class WorkerProbe {
  #worker: Worker | null = null;
  #client: Client | null = null;

  attach(worker: Worker, client: Client): void {
    this.#worker = worker;
    this.#client = client;
  }

  liveness(): ProbeResult {
    const state = this.#worker?.getState() ?? 'STARTING';
    return { ok: state !== 'FAILED', detail: `worker ${state.toLowerCase()}` };
  }

  async readiness(): Promise<ProbeResult> {
    const worker = this.#worker;
    const client = this.#client;
    if (!worker || !client) return { ok: false, detail: 'connecting to Temporal' };
    const state = worker.getState();
    if (state !== 'RUNNING') return { ok: false, detail: `worker ${state.toLowerCase()}` };
    const { identity, namespace, taskQueue } = worker.options;
    let pollers: temporal.api.taskqueue.v1.IPollerInfo[];
    try {
      const described = await withTimeout(
        client.workflowService.describeTaskQueue({
          namespace,
          taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        })
      );
      pollers = described.pollers ?? [];
    } catch (err) {
      return { ok: false, detail: `Temporal unreachable: ${(err as Error).message}` };
    }
    const own = pollers.find((p) => p.identity === identity);
    if (!own) return { ok: false, detail: `Temporal lists no poller ${identity} on task queue ${taskQueue}` };
    const ageMs = Date.now() - tsToMs(own.lastAccessTime);
    if (ageMs > POLL_FRESH_MS) {
      return { ok: false, detail: `last poll of ${identity} seen ${Math.round(ageMs / 1000)}s ago` };
    }
    return { ok: true, detail: `polling ${taskQueue} as ${identity}` };
  }
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${DESCRIBE_TIMEOUT_MS} ms`)), DESCRIBE_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
