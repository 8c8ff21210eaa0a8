/**
 * What the Temporal-facing commands share: configuration, one client, closing it, and following a run.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { loadConfig, type Config } from '../config';
import { progressQuery } from '../shared/messages';
import type { FailoverReport, FailoverState } from '../shared/types';
import { connectClient } from '../temporal/client';
import type { CommandContext } from './command';
import { println } from './command';
import { renderProgressLine } from './render';

/** Runs `fn` with the configured Temporal client and closes the connection afterwards. */
export async function withClient<T>(
  ctx: CommandContext,
  fn: (client: Client, config: Config) => Promise<T>
): Promise<T> {
  const config = loadConfig(ctx.env);
  const client = await connectClient(config);
  try {
    return await fn(client, config);
  } finally {
    await client.connection.close();
  }
}

/**
 * Prints a progress line whenever the run's state changes, until it ends; returns the report.
 * Stops following (the run goes on) when `ctx.signal` aborts.
 */
export async function followRun(
  handle: WorkflowHandle,
  ctx: CommandContext,
  { intervalMs = 1000, quiet = false } = {}
): Promise<FailoverReport | null> {
  const started = Date.now();
  let last = '';
  let done = false;
  const result = handle.result().then(
    (r: FailoverReport) => r,
    (err: Error) => {
      throw new Error(`The workflow ${handle.workflowId} did not return a report: ${err.message}`);
    }
  );
  result.finally(() => (done = true)).catch(() => undefined);
  while (!done && !ctx.signal.aborted) {
    if (!quiet) {
      try {
        const state: FailoverState = await handle.query(progressQuery);
        const line = renderProgressLine(state, (Date.now() - started) / 1000);
        const key = line.replace(/^\[[^\]]*\]/, '');
        if (key !== last) println(ctx.stdout, line);
        last = key;
      } catch {
        if (last !== 'no-worker') println(ctx.stdout, `waiting for a worker to pick up ${handle.workflowId}…`);
        last = 'no-worker';
      }
    }
    await Promise.race([result.catch(() => undefined), new Promise((r) => setTimeout(r, intervalMs))]);
  }
  if (ctx.signal.aborted && !done) return null;
  return result;
}
