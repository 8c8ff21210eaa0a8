/**
 * The DWS disaster-recovery and cluster endpoints over undici (reference/dws-dr-api.md §1.1, §3.4). One request
 * per call and no retries: Temporal's retry policies own them, and the failover POST must never be re-sent blindly.
 */
import type { RateLimiter, RatePriority } from './rate-limiter';
import { Agent } from 'undici';
import type { Dispatcher } from 'undici';
import type { Authenticator } from './auth';
import {
  decodeActionId,
  decodeCluster,
  decodeClusterList,
  decodeDrDetail,
  decodeDrList,
  decodeProgress,
} from './decode';
import { DwsInvalidInputError } from './errors';
import { dwsRateWaitChannel, type DwsRateWaitEvent } from './events';
import { exchange } from './http';
import { errorFromResponse, headerValue, missingField, parseSuccessBody } from './response';
import type { CallContext } from './response';
import { sdkPercentEncode } from './signer';
import type { ClusterDetailWire, DrDetailWire, DrListItemWire, DrProgressWire } from './types';

const DEFAULT_TIMEOUT_MS = 15_000;
/** undici's own default connect timeout; kept below the overall limit so a dead host reads as "never connected". */
const MAX_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_USER_AGENT = 'dws-failover (undici)';
const DEFAULT_CREDENTIALS_HINT =
  "Check HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK (and HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary credentials) or the HUAWEICLOUD_IAM_* settings, and that this machine's clock is correct.";

export interface DwsClientOptions {
  /** Base URL, e.g. `https://dws.cn-north-4.myhuaweicloud.com`; a path prefix is kept. */
  endpoint: string;
  auth: Authenticator;
  /** Default: an undici `Agent` owned (and closed) by the client. */
  dispatcher?: Dispatcher;
  /** Limit for one whole exchange (also undici's headers and body timeouts); default 15 000 ms. */
  timeoutMs?: number;
  userAgent?: string;
  /** Shared by every call of the process; each request waits for a token before it is sent. Default: none. */
  rateLimiter?: RateLimiter;
  /**
   * What to check when the service rejects the credentials (401), for the error message.
   * @default the HUAWEICLOUD_SDK_* and HUAWEICLOUD_IAM_* variables, and the clock
   */
  credentialsHint?: string;
}

export interface DwsCallOptions {
  /** Cancels the call; its `reason` is re-thrown unchanged (e.g. Temporal's cancellation). */
  signal?: AbortSignal;
  /**
   * Place in the rate limiter's queue: completion polls pass `low`.
   * @default 'send' for failover, switchover and recovery; 'high' for every other call
   */
  priority?: RatePriority;
  /** Limit of this exchange when shorter than the client's own (an attempt that must end by its deadline). */
  timeoutMs?: number;
  /**
   * Called after the rate limiter and authentication, right before the request leaves; throwing stops it unsent.
   * The fenced request protocol uses it to check its deadline and record the moment of sending.
   */
  beforeSend?: () => void;
}

/** Server-side filters of the DR list; unset or empty ones are not sent. */
export interface DrListFilter {
  primary_cluster_id?: string;
  standby_cluster_id?: string;
  id?: string;
}

/** Answer of a DR action: the service accepted it; the work runs asynchronously. */
export interface DrActionResult {
  id: string;
  /** `X-Request-Id` of the answer, for the report and for Huawei support. */
  requestId: string | null;
}

type DrAction = 'failover' | 'switchover' | 'recovery' | 'start' | 'pause';
const ACTION_OPERATIONS: Record<DrAction, string> = {
  failover: 'SwitchFailoverDisaster',
  switchover: 'SwitchoverDisasterRecovery',
  recovery: 'RestoreDisaster',
  start: 'StartDisasterRecovery',
  pause: 'PauseDisasterRecovery',
};

interface Call {
  method: 'GET' | 'POST';
  projectId: string;
  /** Raw path segments after the base URL; each is percent-encoded. */
  segments: string[];
  query?: [string, string][];
  ctx: CallContext;
}

/**
 * Client of the DWS DR endpoints. Every method throws a `DwsError` on failure (see `errors.ts`): not found, auth,
 * throttled, server, timeout, network, bad response, invalid input; or the caller's abort reason.
 */
export class DwsClient {
  readonly #base: URL;
  readonly #auth: Authenticator;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #timeoutMs: number;
  readonly #rateLimiter: RateLimiter | undefined;
  readonly #userAgent: string;
  readonly #credentialsHint: string;
  #closing: Promise<void> | null = null;

  /** @throws TypeError for an endpoint that is not an http(s) URL without query or fragment, or a bad timeout. */
  constructor(options: DwsClientOptions) {
    let base: URL;
    try {
      base = new URL(options.endpoint);
    } catch {
      throw new TypeError(`DWS endpoint ${JSON.stringify(options.endpoint)} is not a URL`);
    }
    if (!/^https?:$/.test(base.protocol) || base.search || base.hash || base.username || base.password) {
      // Echo only the parts that cannot hold a secret.
      throw new TypeError(
        `DWS endpoint ${base.protocol}//${base.host}${base.pathname} must be an http(s) base URL without query, fragment or credentials`
      );
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new TypeError('timeoutMs must be a positive number');
    this.#base = base;
    this.#auth = options.auth;
    this.#timeoutMs = timeoutMs;
    this.#rateLimiter = options.rateLimiter;
    this.#userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.#credentialsHint = options.credentialsHint ?? DEFAULT_CREDENTIALS_HINT;
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher =
      options.dispatcher ??
      new Agent({
        connect: { timeout: Math.min(timeoutMs, MAX_CONNECT_TIMEOUT_MS) },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
  }

  /** `GET /v2/{project_id}/disaster-recoveries` (ListDisasterRecover). */
  async listDisasterRecoveries(
    projectId: string,
    filter: DrListFilter = {},
    options: DwsCallOptions = {}
  ): Promise<DrListItemWire[]> {
    const query = (['primary_cluster_id', 'standby_cluster_id', 'id'] as const).flatMap((k): [string, string][] => {
      const v = filter[k];
      return v ? [[k, v]] : [];
    });
    const shown = query.map(([k, v]) => `${k}=${v}`).join(', ');
    const target = `DR pairs in project ${projectId}${shown ? ` (${shown})` : ''}`;
    const ctx = this.#context('ListDisasterRecover', target, false, 'the project id');
    const segments = ['v2', projectId, 'disaster-recoveries'];
    return this.#call({ method: 'GET', projectId, segments, query, ctx }, options, decodeDrList);
  }

  /** `GET /v2/{project_id}/disaster-recovery/{id}` (ShowDisasterDetail). */
  async getDisasterRecovery(projectId: string, drId: string, options: DwsCallOptions = {}): Promise<DrDetailWire> {
    const ctx = this.#context('ShowDisasterDetail', drTarget(projectId, drId), false, 'the project id and the DR id');
    const segments = ['v2', projectId, 'disaster-recovery', drId];
    return this.#call({ method: 'GET', projectId, segments, ctx }, options, decodeDrDetail);
  }

  /** `POST …/failover` (SwitchFailoverDisaster): promote the standby. Never re-send without reading the DR first. */
  failover(projectId: string, drId: string, options: DwsCallOptions = {}): Promise<DrActionResult> {
    return this.#action('failover', projectId, drId, { ...options, priority: options.priority ?? 'send' });
  }

  /** `POST …/switchover` (SwitchoverDisasterRecovery): planned switchover of a `running` DR. */
  switchover(projectId: string, drId: string, options: DwsCallOptions = {}): Promise<DrActionResult> {
    return this.#action('switchover', projectId, drId, { ...options, priority: options.priority ?? 'send' });
  }

  /** `POST …/recovery` (RestoreDisaster): re-seed the old primary from the new one (wipes its data). */
  recovery(projectId: string, drId: string, options: DwsCallOptions = {}): Promise<DrActionResult> {
    return this.#action('recovery', projectId, drId, { ...options, priority: options.priority ?? 'send' });
  }

  /** `POST …/start` (StartDisasterRecovery). */
  start(projectId: string, drId: string, options: DwsCallOptions = {}): Promise<DrActionResult> {
    return this.#action('start', projectId, drId, options);
  }

  /** `POST …/pause` (PauseDisasterRecovery). */
  pause(projectId: string, drId: string, options: DwsCallOptions = {}): Promise<DrActionResult> {
    return this.#action('pause', projectId, drId, options);
  }

  /** `GET /v1/{project_id}/disaster-recovery/{id}/show-progress` (ShowDisasterProgress; note v1). */
  async getProgress(projectId: string, drId: string, options: DwsCallOptions = {}): Promise<DrProgressWire> {
    const ctx = this.#context('ShowDisasterProgress', drTarget(projectId, drId), false, 'the project id and the DR id');
    const segments = ['v1', projectId, 'disaster-recovery', drId, 'show-progress'];
    return this.#call({ method: 'GET', projectId, segments, ctx }, options, decodeProgress);
  }

  /** `GET /v1.0/{project_id}/clusters` (ListClusters): every cluster of the project, in one call. */
  async listClusters(projectId: string, options: DwsCallOptions = {}): Promise<ClusterDetailWire[]> {
    const ctx = this.#context('ListClusters', `clusters in project ${projectId}`, false, 'the project id');
    const segments = ['v1.0', projectId, 'clusters'];
    return this.#call({ method: 'GET', projectId, segments, ctx }, options, decodeClusterList);
  }

  /** `GET /v1.0/{project_id}/clusters/{cluster_id}` (ListClusterDetails). */
  async getCluster(projectId: string, clusterId: string, options: DwsCallOptions = {}): Promise<ClusterDetailWire> {
    const target = `cluster ${clusterId} in project ${projectId}`;
    const ctx = this.#context('ListClusterDetails', target, false, 'the project id and the cluster id');
    const segments = ['v1.0', projectId, 'clusters', clusterId];
    return this.#call({ method: 'GET', projectId, segments, ctx }, options, decodeCluster);
  }

  /** Closes the dispatcher when the client created it; a given dispatcher stays open (its owner closes it). */
  async close(): Promise<void> {
    if (!this.#ownsDispatcher) return;
    this.#closing ??= this.#dispatcher.close();
    await this.#closing;
  }

  async #action(action: DrAction, projectId: string, drId: string, options: DwsCallOptions): Promise<DrActionResult> {
    const ctx = this.#context(
      ACTION_OPERATIONS[action],
      drTarget(projectId, drId),
      true,
      'the project id and the DR id'
    );
    const segments = ['v2', projectId, 'disaster-recovery', drId, action];
    return this.#call({ method: 'POST', projectId, segments, ctx }, options, (body, missing, requestId) => ({
      id: decodeActionId(body, missing),
      requestId,
    }));
  }

  async #call<T>(
    call: Call,
    options: DwsCallOptions,
    decode: (body: Record<string, unknown>, missing: (field: string) => never, requestId: string | null) => T
  ): Promise<T> {
    const { ctx } = call;
    for (const [i, segment] of call.segments.entries()) {
      if (segment === '' || segment === '.' || segment === '..' || /[\0-\x1f\x7f]/.test(segment)) {
        throw new DwsInvalidInputError(
          `${ctx.operation} for ${ctx.target} was not sent: path segment ${i} is ${JSON.stringify(segment)}, which is not a valid id.`,
          ctx
        );
      }
    }
    const prefix = this.#base.pathname.replace(/\/+$/, '');
    const path = call.segments.map((s) => sdkPercentEncode(s)).join('/');
    const query = (call.query ?? []).map(([k, v]) => `${sdkPercentEncode(k)}=${sdkPercentEncode(v)}`).join('&');
    const url = new URL(`${this.#base.origin}${prefix}/${path}${query ? `?${query}` : ''}`);
    // These three are signed, so they go out byte for byte; undici sends an explicit `host` as the Host header.
    const signed = { host: url.host, 'content-type': 'application/json', 'x-project-id': call.projectId };
    if (this.#rateLimiter) await waitForGrant(this.#rateLimiter, options);
    // An IAM token request is shared by every caller: a cancelled caller stops waiting for it, the request goes on.
    const added = await untilAborted(
      this.#auth.authenticate({ method: call.method, url, headers: { ...signed }, body: '' }),
      options.signal
    );
    const headers = { ...added, ...signed, accept: 'application/json', 'user-agent': this.#userAgent };
    options.signal?.throwIfAborted();
    options.beforeSend?.();
    const timeoutMs = Math.max(1, Math.min(this.#timeoutMs, options.timeoutMs ?? this.#timeoutMs));
    const res = await exchange(
      this.#dispatcher,
      { url, method: call.method, headers, body: '', timeoutMs, signal: options.signal },
      ctx
    );
    if (res.status < 200 || res.status > 299) throw errorFromResponse(res, ctx, Date.now());
    const body = parseSuccessBody(res, ctx);
    const requestId = headerValue(res.headers, 'x-request-id') ?? null;
    return decode(
      body,
      (field) => {
        throw missingField(res, ctx, field);
      },
      requestId
    );
  }

  #context(operation: string, target: string, mutating: boolean, ids: string): CallContext {
    return {
      operation,
      target,
      mutating,
      hints: {
        notFound: `Check ${ids}, and that the DWS endpoint (${this.#base.host}) is the region that holds them.`,
        unauthorized: this.#credentialsHint,
        forbidden: `Grant the credentials the DWS permission for ${operation} in this project.`,
      },
    };
  }
}

/** Waits for the limiter's grant and publishes how long that took (events.ts). */
async function waitForGrant(limiter: RateLimiter, options: DwsCallOptions): Promise<void> {
  const started = performance.now();
  await limiter.acquire(options.signal, options.priority);
  if (!dwsRateWaitChannel.hasSubscribers) return;
  const event: DwsRateWaitEvent = {
    priority: options.priority ?? 'high',
    seconds: (performance.now() - started) / 1000,
  };
  dwsRateWaitChannel.publish(event);
}

/** `promise`, or the signal's reason as soon as it aborts (the promise itself is not stopped). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      }
    );
  });
}

function drTarget(projectId: string, drId: string): string {
  return `DR ${drId} in project ${projectId}`;
}

export { regionalEndpoint } from './endpoint';
