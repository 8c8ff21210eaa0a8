/**
 * Every DWS and IAM request the simulator received, with what it answered: the evidence tests assert on ("one
 * failover POST was applied", "every request was signed"). Control-API calls are not logged.
 */
import { compilePathPattern } from './path-pattern';
import type { DrAction } from './records';

/** How a request authenticated. */
export type AuthKind = 'aksk' | 'token' | 'none';

/** One logged request. */
export interface RequestLogEntry {
  /** 1, 2, 3… since start or the last reset (never reused by `DELETE /_sim/requests`). */
  seq: number;
  /** When it arrived (ISO). */
  time: string;
  method: string;
  /** The path as received, `/regions/{region}` prefix included. */
  path: string;
  /**
   * The region whose endpoint received it: the prefix's, else the default region. Null for a `/regions/…` path
   * without a valid region id (answered as an unknown API).
   */
  region: string | null;
  /** Raw query string without `?` ('' when none). */
  query: string;
  /** The `X-Request-Id` the answer carried. */
  requestId: string;
  /** HTTP status answered; null while pending or when the connection was dropped. */
  status: number | null;
  /** The connection was destroyed without an answer (fault `drop` / `acceptThenDrop`, or the client left). */
  dropped: boolean;
  /** Result of the AK/SK signature check; null when no check ran (auth off, token auth, IAM endpoint). */
  signatureValid: boolean | null;
  auth: AuthKind;
  /** The AK of a signed request (valid or not). */
  ak: string | null;
  /** Why authentication failed (e.g. `signature mismatch`), or null. */
  authError: string | null;
  /** Id of the fault rule applied, or null. */
  fault: string | null;
  /** The DR action of an action POST or DELETE, else null. */
  action: DrAction | null;
  drId: string | null;
  /**
   * For actions: true when the service took it, whether or not its answer arrived (`acceptThen500`,
   * `acceptThenDrop`, a client that left during a delay) and even when a delayed commit was later refused (then
   * `note` says so; the pair's `actions` hold each fate). False when refused or never reached the service (auth,
   * fault); null for other requests.
   */
  accepted: boolean | null;
  /**
   * Why an action was refused (e.g. `failover refused: a failover is in progress (failovering)`), or why the
   * request never reached the service (e.g. its region's endpoint was down), or null.
   */
  note: string | null;
  /** Time until the answer was written or the connection dropped. */
  durationMs: number | null;
}

/** Filters of `GET /_sim/requests` / `requests()`. */
export interface RequestLogFilter {
  /** Exact path, `*`-segment pattern or `^regex` (as in fault rules). */
  path?: string;
  method?: string;
  /** Only requests to this region's endpoint. */
  region?: string;
  /** Only entries with a larger `seq`. */
  since?: number;
  action?: DrAction;
}

/** The request log, bounded to `limit` entries (oldest dropped first). */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private nextSeq = 1;

  constructor(private readonly limit: number) {}

  /** Starts an entry; the pipeline fills in the rest as the request proceeds. */
  start(
    fields: Pick<RequestLogEntry, 'method' | 'path' | 'region' | 'query' | 'requestId'>,
    nowMs: number
  ): RequestLogEntry {
    const entry: RequestLogEntry = {
      seq: this.nextSeq++,
      time: new Date(nowMs).toISOString(),
      ...fields,
      status: null,
      dropped: false,
      signatureValid: null,
      auth: 'none',
      ak: null,
      authError: null,
      fault: null,
      action: null,
      drId: null,
      accepted: null,
      note: null,
      durationMs: null,
    };
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    return entry;
  }

  /** Copies of the matching entries, oldest first. @throws Error when `filter.path` is a bad `^regex`. */
  list(filter: RequestLogFilter = {}): RequestLogEntry[] {
    const matchPath = filter.path === undefined ? () => true : compilePathPattern(filter.path);
    const method = filter.method?.toUpperCase();
    return this.entries
      .filter(
        (e) =>
          matchPath(e.path) &&
          (method === undefined || e.method === method) &&
          (filter.region === undefined || e.region === filter.region) &&
          (filter.since === undefined || e.seq > filter.since) &&
          (filter.action === undefined || e.action === filter.action)
      )
      .map((e) => ({ ...e }));
  }

  /** Empties the log. @returns how many entries there were. */
  clear(): number {
    const n = this.entries.length;
    this.entries = [];
    return n;
  }

  /** Empties the log and restarts `seq` at 1 (reset). */
  restart(): void {
    this.entries = [];
    this.nextSeq = 1;
  }
}
