/**
 * What the intake's handlers share, and the one way they talk to Temporal: a bounded round trip whose failure
 * becomes 503, so the sender retries and nothing it was told 2xx about is missing.
 */
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Inventory } from '../inventory';
import type { Logger } from '../logger';
import type { SigningKey } from '../identity/keys';
import type { AuthSettings } from './auth';
import type { PeopleAuth } from './identify';
import { startupAdvice, startupProblem } from '../temporal/startup';
import { HttpError } from './http';
import type { IntakeMetrics } from './metrics';
import type { ReplayCache } from './signatures';

export interface IntakeDeps {
  client: Client;
  config: Config;
  inventory: Inventory | null;
  logger: Logger;
  metrics: IntakeMetrics;
  auth: AuthSettings;
  /** The personal credentials verified for decisions and manual starts (identify.ts). */
  people: PeopleAuth;
  /** The key the intake signs what it verified with; null: decisions answer 503 (decisions.ts). */
  signingKey: SigningKey | null;
  replays: ReplayCache;
  /** Deliveries being recorded right now, by trigger or delivery id: identical copies share one Temporal call. */
  inFlight: Map<string, Promise<unknown>>;
  /**
   * Bound on the Temporal calls of one request (start + describe, or describe + signal + query + cancel), so every
   * answer, 503 included, leaves within 2 s.
   */
  temporalTimeoutMs: number;
  maxBodyBytes: number;
  now: () => Date;
}

/** The error's first line, with its causes (`Failed to signalWithStart Workflow: 14 UNAVAILABLE: …`). */
function describeError(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e !== undefined && e !== null && parts.length < 3; e = (e as { cause?: unknown }).cause) {
    parts.push(e instanceof Error ? (e.message.split('\n')[0] ?? e.name) : String(e));
  }
  return parts.join(': ');
}

/**
 * Why Temporal did not do it, in one sentence: for a namespace that does not exist (yet) or search attributes it
 * does not accept (yet), the cause and the fix; else the error and its causes.
 */
export function temporalReason(deps: Pick<IntakeDeps, 'config'>, err: unknown): string {
  const problem = startupProblem(err);
  if (problem && problem.kind !== 'server') return startupAdvice(problem, deps.config.temporal);
  return `${describeError(err)}.`;
}

/**
 * A 503 that tells the sender to come back; `what` completes "could not …". A namespace or search attribute that
 * Temporal does not know yet (a stack still starting) is named, with its fix, and `not_ready` says which.
 */
export function temporalUnavailable(deps: IntakeDeps, what: string, err: unknown): HttpError {
  const { address, namespace } = deps.config.temporal;
  const problem = startupProblem(err);
  return new HttpError(
    503,
    'temporal_unavailable',
    `Temporal at ${address} (namespace ${namespace}) could not ${what}: ${temporalReason(deps, err)} Retry: if it was recorded after all, the retry joins it and is not counted twice.`,
    problem ? { not_ready: problem.kind } : {},
    { 'retry-after': '5' }
  );
}

/** Raised when the Temporal calls of a request did not finish by its deadline. */
export class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
  constructor(ms: number) {
    super(`no answer within ${ms} ms (not confirmed: it may still be recorded)`);
  }
}

/**
 * Runs Temporal calls under one deadline: every call's gRPC deadline, and a timer that gives up on calls that do not
 * honour it (a connection still being established, a server that accepted the socket and went quiet) and cancels
 * them, so the sender hears 503 in time and retries, and nothing keeps calling in the background. Errors propagate
 * as they are (callers decide: 404 or 503).
 * @throws DeadlineExceeded when `deps.temporalTimeoutMs` passes first.
 */
export function withinDeadline<T>(deps: IntakeDeps, fn: () => Promise<T>): Promise<T> {
  const ms = deps.temporalTimeoutMs;
  const { connection } = deps.client;
  const abort = new AbortController();
  const call = connection.withAbortSignal(abort.signal, () => connection.withDeadline(Date.now() + ms, fn));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new DeadlineExceeded(ms));
      abort.abort();
    }, ms + 50);
  });
  // The cancelled call still settles: its outcome no longer matters, but must not go unhandled.
  call.catch(() => undefined);
  return Promise.race([call, late]).finally(() => clearTimeout(timer));
}

/**
 * Runs `fn` once for concurrent callers with the same `key`: an HA Alertmanager pair, or a sender retrying a slow
 * answer, sends identical copies at once, and each would otherwise queue its own call on the one workflow, pushing
 * the later ones past the deadline. Every copy gets the first one's answer (or error).
 */
export function coalesced<T>(deps: IntakeDeps, key: string, fn: () => Promise<T>): Promise<T> {
  const running = deps.inFlight.get(key) as Promise<T> | undefined;
  if (running) return running;
  const call = fn().finally(() => deps.inFlight.delete(key));
  deps.inFlight.set(key, call);
  return call;
}
