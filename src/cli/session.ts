/**
 * What the Temporal-facing commands share: configuration, one client, closing it, and following a run.
 */
import os from 'node:os';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { loadConfig, type Config, type LoadConfigOptions } from '../config';
import { progressQuery } from '../shared/messages';
import type { OperationReport, OperationState } from '../shared/operation-model';
import { ended } from '../shared/operation-phases';
import { formatSeconds } from '../shared/duration';
import { connectClient } from '../temporal/client';
import { CLI_STARTUP_WAIT_MS, startupProblem, startupWaiter, TemporalStartupError } from '../temporal/startup';
import type { CommandContext } from './command';
import { println } from './command';
import { renderGateWait, renderProgressLine } from '../report/text';

/**
 * Runs `fn` with the configured Temporal client and closes the connection afterwards.
 * @throws TemporalStartupError (cause and fix) for a missing namespace or search attribute, a server not serving.
 */
export async function withClient<T>(
  ctx: CommandContext,
  fn: (client: Client, config: Config) => Promise<T>,
  options: LoadConfigOptions = {}
): Promise<T> {
  return withConfigClient(loadConfig(ctx.env, options), fn);
}

/** `withClient` with a configuration the command loaded already (e.g. to resolve `--pair` before connecting). */
export async function withConfigClient<T>(
  config: Config,
  fn: (client: Client, config: Config) => Promise<T>
): Promise<T> {
  const client = await connectClient(config);
  try {
    return await fn(client, config);
  } catch (err) {
    const problem = err instanceof TemporalStartupError ? null : startupProblem(err);
    throw problem ? new TemporalStartupError(problem, config.temporal, 0, { cause: err }) : err;
  } finally {
    await client.connection.close();
  }
}

/**
 * Runs `fn`, a call that starts or signals a workflow or changes a schedule, retrying it while Temporal is still
 * coming up (search attributes just registered, namespace being created, server not serving yet) for up to
 * CLI_STARTUP_WAIT_MS, and says on stderr what it waits for. Ctrl-C stops the wait.
 * @throws TemporalStartupError naming the cause and the fix when the wait runs out; other errors at once.
 */
export function untilTemporalReady<T>(ctx: CommandContext, config: Config, fn: () => Promise<T>): Promise<T> {
  const { address, namespace } = config.temporal;
  const waiter = startupWaiter(
    { address, namespace },
    {
      timeoutMs: CLI_STARTUP_WAIT_MS,
      signal: ctx.signal,
      onWait: (problem, what, remainingMs) =>
        println(ctx.stderr, `Waiting up to ${formatSeconds(remainingMs / 1000)} for ${what} (${problem.detail})…`),
    }
  );
  return waiter.run(fn);
}

/** `user@host` of the person at this terminal: the actor of a CLI start made without a signing key. */
export function localActor(): string {
  return `${os.userInfo().username}@${os.hostname()}`;
}

/** A run's report, awaited with a long poll. */
export interface PendingReport {
  /** Resolves to the report; rejects when the run ended without one (terminated, failed) or after `stop()`. */
  result: Promise<OperationReport>;
  /** True once `result` settled. */
  done(): boolean;
  /** Cancels the long poll, so the connection can close without a call in flight. */
  stop(): void;
}

/** Starts waiting for the report of `handle`'s run. */
export function awaitReport(handle: WorkflowHandle): PendingReport {
  const controller = new AbortController();
  let settled = false;
  const result = handle.client
    .withAbortSignal(controller.signal, () => handle.result() as Promise<OperationReport>)
    .then(
      (r) => r,
      (err: Error) => {
        throw new Error(`The workflow ${handle.workflowId} did not return a report: ${err.message}`);
      }
    );
  result.finally(() => (settled = true)).catch(() => undefined);
  return { result, done: () => settled, stop: () => controller.abort() };
}

export interface FollowOptions {
  /** Time between two progress reads. @default 1000 */
  intervalMs?: number;
  /** Print nothing while following. @default false */
  quiet?: boolean;
  /** Called with every state read (e.g. to print the approve command once the run waits at the gate). */
  onState?: (state: OperationState) => void;
}

/**
 * Prints a progress line whenever the run's state changes, until it ends; returns the report.
 * Stops following (the run goes on) when `ctx.signal` aborts, and then resolves to null.
 */
export async function followRun(
  handle: WorkflowHandle,
  ctx: CommandContext,
  { intervalMs = 1000, quiet = false, onState }: FollowOptions = {}
): Promise<OperationReport | null> {
  const started = Date.now();
  let last = '';
  const report = awaitReport(handle);
  const { result } = report;
  const stopped = new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
  // Loaded here, not at the top: commands that only read a finished run need no workflow library.
  const { progressQuery } = await import('../shared/messages.js');
  while (!report.done() && !ctx.signal.aborted) {
    if (!quiet || onState) {
      const state: OperationState | null = await handle.query(progressQuery).catch(() => null);
      if (state) onState?.(state);
      const line = state
        ? renderProgressLine(state, (Date.now() - started) / 1000)
        : `waiting for a worker to pick up ${handle.workflowId}…`;
      // The elapsed-time prefix changes every time; only a change of the rest is news.
      const key = line.replace(/^\[[^\]]*\]/, '');
      if (!quiet && key !== last) println(ctx.stdout, line);
      last = key;
    }
    // The timer is cleared when the run ends first: a pending one would keep the process alive after the report.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      result.catch(() => undefined),
      stopped,
      new Promise((r) => (timer = setTimeout(r, intervalMs))),
    ]).finally(() => clearTimeout(timer));
  }
  if (ctx.signal.aborted && !report.done()) return (report.stop(), null);
  return result;
}

/**
 * `withClient` for commands that only talk to an existing run (status, watch, report, approve, reject, cancel):
 * they do not read the inventory, so a broken inventory file cannot block them during an incident. `inventory`: read
 * it after all (a pair named by its inventory name).
 */
export function withRunClient<T>(
  ctx: CommandContext,
  fn: (client: Client, config: Config) => Promise<T>,
  { inventory = false }: { inventory?: boolean } = {}
): Promise<T> {
  return withClient(ctx, fn, { inventory });
}

/** Waits until the run waits for approval; null when interrupted. @throws Error when it ended before the gate. */
export async function untilGate(handle: WorkflowHandle, signal: AbortSignal): Promise<OperationState | null> {
  while (!signal.aborted) {
    const state = await handle.query(progressQuery).catch(() => null);
    if (state?.phase === 'awaiting-approval') return state;
    if (state && ended(state))
      throw new Error(`the failover ended as ${state.outcome} before the approval gate: ${state.summary}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return null;
}

/** For `--wait`: prints, once per run, why it waits at the approval gate and the exact approve/reject commands. */
export function gatePrinter(ctx: CommandContext): (state: OperationState) => void {
  let shown = false;
  return (state) => {
    const lines = shown ? [] : renderGateWait(state);
    if (lines.length === 0) return;
    shown = true;
    for (const line of lines) println(ctx.stdout, line);
  };
}
