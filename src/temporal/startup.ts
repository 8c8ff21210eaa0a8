/**
 * Temporal that is still coming up: a server not serving yet, a namespace not created yet, search attributes
 * registered but not yet visible to the frontend (self-hosted servers cache both). One classifier recognizes these
 * by gRPC status and message; one bounded wait retries through them and then names the cause and the fix.
 */
import { NamespaceNotFoundError } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from '../shared/constants';
import { formatSeconds } from '../shared/duration';

/** How long the worker waits at start for its server, namespace and search attributes (compose starts all at once). */
export const WORKER_STARTUP_WAIT_MS = 60_000;
/**
 * How long a CLI command that starts or signals a workflow waits: long enough for a freshly registered search
 * attribute (under a second on Temporal 1.29 with PostgreSQL) or a namespace being created, short enough for an
 * operator at a terminal.
 */
export const CLI_STARTUP_WAIT_MS = 10_000;

/** First pause between two attempts; it grows by half each time up to {@link MAX_RETRY_DELAY_MS}. */
const FIRST_RETRY_DELAY_MS = 200;
const MAX_RETRY_DELAY_MS = 2_000;

/** Longest quote of the server's words in a message. */
const MAX_DETAIL = 200;

/** gRPC status codes (`@grpc/grpc-js` `status`), by number: the core bridge and grpc-js both use them. */
const GRPC = { INVALID_ARGUMENT: 3, NOT_FOUND: 5, FAILED_PRECONDITION: 9, UNAVAILABLE: 14 } as const;

/** What Temporal is not ready with. */
export type StartupProblemKind = 'server' | 'namespace' | 'search-attributes';

export interface StartupProblem {
  kind: StartupProblemKind;
  /** The server's or the transport's words, first line. */
  detail: string;
}

/** Where the caller talks to. */
export interface TemporalTarget {
  address: string;
  namespace: string;
}

/**
 * The namespace's alias mapping (SQL visibility: starts) or its search attribute list (Elasticsearch) lacks the name,
 * or a visibility query names one it does not know (SQL visibility: lists).
 */
const SEARCH_ATTRIBUTE_MISSING = [
  /has no mapping defined for search attribute/i,
  /search attribute \S+ is not defined/i,
  /column name '?\S+?'? is not a valid search attribute/i,
];
/** `Namespace x is not found.` (server), `Namespace not found: 'x'` (SDK's NamespaceNotFoundError). */
const NAMESPACE_MISSING = [/\bnamespace\s+'?[\w.-]+'?\s+is not found/i, /\bnamespace not found\b/i];
/** A socket nobody accepts yet, a name not resolvable yet (compose), a cluster still forming its ring. */
const SERVER_NOT_SERVING = [
  /ECONNREFUSED|connection refused|ConnectionRefused/i,
  /tcp connect error|dns error|failed to lookup address|ENOTFOUND|EAI_AGAIN|Name resolution failed/i,
  /No connection established|Failed to connect before the deadline|Server connection error/i,
  /Not enough hosts to serve the request|Frontend is not healthy yet|not serving/i,
];

/** The error and its causes, outermost first (SDK errors wrap the gRPC error in `cause`). */
function chain(err: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = err; e !== undefined && e !== null && out.length < 8; e = (e as { cause?: unknown }).cause) {
    out.push(e);
    if (typeof e !== 'object') break;
  }
  return out;
}

function textOf(e: unknown): string {
  if (typeof e !== 'object' || e === null) return String(e);
  const { message, details } = e as { message?: unknown; details?: unknown };
  return [message, details].filter((x): x is string => typeof x === 'string').join('\n');
}

/** The server's words: gRPC `details` when there are any (no status prefix), else the message; first line. */
function detailOf(e: unknown): string {
  const details = (e as { details?: unknown } | null)?.details;
  const text = typeof details === 'string' && details.trim() !== '' ? details : textOf(e);
  const line = text.split('\n').find((l) => l.trim() !== '') ?? text;
  // The core bridge quotes whole gRPC statuses, binary details included.
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL)}…` : line;
}

/**
 * Says whether `err` (or one of its causes) is Temporal still coming up, and which part of it.
 * Recognized: gRPC NOT_FOUND / `NamespaceNotFoundError` for the namespace; INVALID_ARGUMENT (or no status, when a
 * wrapper kept only the text) with "no mapping defined for search attribute" / "search attribute X is not defined";
 * UNAVAILABLE and connection-level messages (refused, DNS, no hosts yet) for the server.
 * @returns null for every other error: those are answered or thrown as they are.
 */
export function startupProblem(err: unknown): StartupProblem | null {
  const links = chain(err);
  for (const e of links) {
    const code = (e as { code?: unknown } | null)?.code;
    const text = textOf(e);
    const coded = typeof code === 'number';
    if (e instanceof NamespaceNotFoundError) return { kind: 'namespace', detail: detailOf(e) };
    if ((!coded || code === GRPC.NOT_FOUND) && NAMESPACE_MISSING.some((re) => re.test(text)))
      return { kind: 'namespace', detail: detailOf(e) };
    if (
      (!coded || code === GRPC.INVALID_ARGUMENT || code === GRPC.FAILED_PRECONDITION) &&
      SEARCH_ATTRIBUTE_MISSING.some((re) => re.test(text))
    )
      return { kind: 'search-attributes', detail: detailOf(e) };
  }
  for (const e of links) {
    const code = (e as { code?: unknown } | null)?.code;
    const text = textOf(e);
    if (code === GRPC.UNAVAILABLE || SERVER_NOT_SERVING.some((re) => re.test(text)))
      return { kind: 'server', detail: detailOf(e) };
  }
  return null;
}

/** What a caller waits for, completing "waiting for …". */
export function waitingFor(problem: StartupProblem, target: TemporalTarget): string {
  if (problem.kind === 'server') return `Temporal at ${target.address} to serve`;
  if (problem.kind === 'namespace') return `the namespace '${target.namespace}' to exist`;
  return `the search attributes of the namespace '${target.namespace}' to become visible`;
}

/** The registration command for the project's search attributes. */
function registerCommand(namespace: string): string {
  const names = SEARCH_ATTRIBUTES.map((k) => `--name ${k.name} --type Keyword`).join(' ');
  return `temporal operator search-attribute create --namespace ${namespace} ${names}`;
}

/** One sentence: what is wrong (with the server's words) and what fixes it. */
export function startupAdvice(problem: StartupProblem, target: TemporalTarget): string {
  if (problem.kind === 'server')
    return `Temporal at ${target.address} is not serving (${problem.detail}). Check TEMPORAL_ADDRESS and that the server is up.`;
  if (problem.kind === 'namespace')
    return (
      `The namespace '${target.namespace}' does not exist on Temporal at ${target.address} (${problem.detail}). ` +
      `Create it (temporal operator namespace create --namespace ${target.namespace}) or set TEMPORAL_NAMESPACE.`
    );
  return (
    `The namespace '${target.namespace}' does not know the search attributes of dws-failover yet (${problem.detail}). ` +
    `Start a worker (it registers them), or register them: ${registerCommand(target.namespace)}.`
  );
}

/** Temporal did not come up within the wait: names the cause, how long it waited, and the fix. */
export class TemporalStartupError extends Error {
  override readonly name = 'TemporalStartupError';
  constructor(
    readonly problem: StartupProblem,
    target: TemporalTarget,
    waitedMs: number,
    options?: { cause?: unknown }
  ) {
    super(
      `${waitedMs > 0 ? `Waited ${formatSeconds(waitedMs / 1000)} for ${waitingFor(problem, target)}. ` : ''}${startupAdvice(problem, target)}`,
      options
    );
  }
}

export interface StartupWaitOptions {
  /** The whole wait, shared by every call run through the waiter. */
  timeoutMs: number;
  /** Told when a new kind of problem starts a wait: a log line, or a progress line at the terminal. */
  onWait?: (problem: StartupProblem, what: string, remainingMs: number) => void;
  /** Stops waiting (Ctrl-C, SIGTERM): the last error is thrown as it is. */
  signal?: AbortSignal;
}

/** Runs calls that need Temporal up, retrying through start-up problems until one shared deadline. */
export interface StartupWaiter {
  /**
   * Runs `fn`; on a start-up problem, retries it with a growing pause until the deadline.
   * @throws TemporalStartupError once the deadline passed with a start-up problem; any other error at once.
   */
  run<T>(fn: () => Promise<T>): Promise<T>;
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** A waiter whose deadline starts now. */
export function startupWaiter(target: TemporalTarget, options: StartupWaitOptions): StartupWaiter {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  let told: StartupProblemKind | null = null;
  return {
    async run<T>(fn: () => Promise<T>): Promise<T> {
      for (let delay = FIRST_RETRY_DELAY_MS; ; delay = Math.min(MAX_RETRY_DELAY_MS, delay * 1.5)) {
        try {
          return await fn();
        } catch (err) {
          const problem = startupProblem(err);
          if (!problem || options.signal?.aborted) throw err;
          const left = deadline - Date.now();
          if (left <= 0) throw new TemporalStartupError(problem, target, Date.now() - started, { cause: err });
          if (told !== problem.kind) options.onWait?.(problem, waitingFor(problem, target), left);
          told = problem.kind;
          await pause(Math.min(delay, left), options.signal);
        }
      }
    },
  };
}
