/**
 * The simulator's HTTP server (node:http): the DWS and IAM endpoints of every region (`/regions/{region}/…`, or
 * the default region without the prefix) behind region outages, authentication and fault rules, the `/_sim/`
 * control API, and the programmatic API over the same engine.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiOutageDurationMs, ListenerOutage } from './api-outage';
import type { AuthResult } from './auth';
import type { ClusterEventOptions } from './cluster-events';
import type { SimulatorConfig, SimulatorConfigPatch } from './config';
import { handleControl } from './control';
import { matchRoute, type DwsRoute } from './dws-api';
import { SimulatorEngine, type SimStateView } from './engine';
import { faultResponse, type FaultRuleInput, type FaultRuleView } from './faults';
import { handleTokenRequest } from './iam';
import { resolveSimulatorOptions, type SimulatorOptions } from './options';
import type { PairInput } from './pair-input';
import type { RegionOutage, RegionOutageOptions } from './region-outage';
import { regionEndpoint } from './regions';
import type { RequestLogEntry, RequestLogFilter } from './request-log';
import { errors, type SimResponse } from './responses';
import type { SimClusterView, SimPairView } from './views';

/** Largest request body read; the service's own limits are far above anything the DR API sends. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A running simulator. Every method but `refuseConnections` and `close` acts at once and synchronously, like the
 * matching `/_sim/` call.
 */
export interface Simulator {
  /**
   * Base URL of the default region, e.g. `http://127.0.0.1:8090` (use as `DWS_ENDPOINT` and as the IAM
   * endpoint); `${url}/regions/{region}` is the endpoint of any region.
   */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** `POST /_sim/disaster-recoveries`. @throws SimInputError naming the bad field. */
  addPair(input?: PairInput): SimPairView;
  /**
   * `POST /_sim/clusters/{id}/outage`; with `options.delayMs` the cluster goes down that much later (the answer
   * shows it as it is now). @throws SimNotFoundError for an unknown cluster; SimInputError for a bad delay.
   */
  outage(clusterId: string, options?: ClusterEventOptions): SimClusterView;
  /**
   * `POST /_sim/clusters/{id}/restore`; with `options.delayMs` the cluster comes back that much later.
   * @throws SimNotFoundError for an unknown cluster; SimInputError for a bad delay.
   */
  restore(clusterId: string, options?: ClusterEventOptions): SimClusterView;
  /**
   * `POST /_sim/api-outage`: the whole API (control API included) refuses connections for `durationMs` (a number
   * of ms or a string like `5s`): the listener closes, open connections are destroyed, then it listens again on
   * the same port. An outage in progress is extended. Requests already inside the simulator still run (and
   * commit). @returns once the listener is closed; rejects with SimInputError for a bad duration.
   */
  refuseConnections(durationMs: number | string): Promise<void>;
  /**
   * `POST /_sim/regions/{region}/outage`: every DWS and IAM request to that region's endpoint (for the default
   * region also those without a prefix) is cut off before the service: `mode` `reset` (the default) destroys the
   * connection without an answer, `unavailable` answers an HTML 503. Other regions answer, and operations in
   * progress still end. Lasts `durationMs` (ms or a string like `30s`), default until {@link regionRestore};
   * replaces an outage of that region in force. @throws SimInputError naming the bad field.
   */
  regionOutage(region: string, options?: RegionOutageOptions): void;
  /** `POST /_sim/regions/{region}/restore`: the region's endpoint answers again. @throws SimInputError. */
  regionRestore(region: string): void;
  /** `POST /_sim/faults`. @returns the new rule ids. @throws SimInputError naming the bad field. */
  addFaults(rules: FaultRuleInput | FaultRuleInput[]): string[];
  /** `DELETE /_sim/faults`. @returns how many rules were removed. */
  clearFaults(): number;
  /** `GET /_sim/faults`. */
  faults(): FaultRuleView[];
  /** `GET /_sim/requests`: copies of the logged DWS/IAM requests, oldest first. */
  requests(filter?: RequestLogFilter): RequestLogEntry[];
  /** `DELETE /_sim/requests`. @returns how many entries were removed. */
  clearRequests(): number;
  /** `GET /_sim/state`. */
  state(): SimStateView;
  /** `POST /_sim/reset`: seeded state, start config, no faults or outages, empty log (IAM tokens stay valid). */
  reset(): SimStateView;
  /** `POST /_sim/config`. @throws SimInputError naming the bad field. */
  configure(patch: SimulatorConfigPatch): SimulatorConfig;
  /** Stops listening, drops open connections and clears every timer. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a simulator on `options.host:options.port` (default 127.0.0.1, a free port).
 * @throws SimInputError for invalid options; the listen error (e.g. EADDRINUSE) when the port is taken.
 */
export async function createSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const resolved = resolveSimulatorOptions(options);
  const engine = new SimulatorEngine(resolved);
  const { logger } = resolved;
  let closed = false;

  const server = createServer((req, res) => {
    handle(engine, req, res, () => closed).catch((err: unknown) => {
      logger.error('simulator request failed', { error: String(err), path: req.url });
      if (!res.headersSent && !res.destroyed) send(res, errors.internal(), null);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostPart = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  const url = `http://${hostPart}:${port}`;
  const listener = new ListenerOutage(server, port, resolved.host, logger);
  engine.apiOutage = listener;
  if (!engine.auth.enabled) {
    logger.warn('authentication is off: no credentials or IAM users were configured, so no signature is checked', {
      url,
    });
  }

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    host: resolved.host,
    addPair: (input) => engine.addPair(input),
    outage: (clusterId, opts) => engine.outage(clusterId, opts),
    restore: (clusterId, opts) => engine.restore(clusterId, opts),
    refuseConnections: async (durationMs) => listener.start(apiOutageDurationMs({ durationMs })),
    regionOutage: (region, opts) => void engine.regionOutage(region, opts),
    regionRestore: (region) => void engine.regionRestore(region),
    addFaults: (rules) => engine.addFaults(rules),
    clearFaults: () => engine.faultRules.clear(),
    faults: () => engine.faults(),
    requests: (filter) => engine.requests(filter),
    clearRequests: () => engine.log.clear(),
    state: () => engine.snapshot(),
    reset: () => engine.reset(),
    configure: (patch) => engine.configure(patch),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        closed = true;
        listener.stop();
        engine.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function handle(
  engine: SimulatorEngine,
  req: IncomingMessage,
  res: ServerResponse,
  isClosed: () => boolean
): Promise<void> {
  const requestId = randomUUID();
  res.setHeader('x-request-id', requestId);
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const rawQuery = q < 0 ? '' : rawUrl.slice(q + 1);
  const query = new URLSearchParams(rawQuery);
  const method = (req.method ?? 'GET').toUpperCase();
  const body = await readBody(req);
  if (path === '/_sim' || path.startsWith('/_sim/')) {
    send(res, body === null ? errors.tooLarge() : handleControl(engine, method, path, query, body), null);
    return;
  }

  const startedMs = Date.now();
  const endpoint = regionEndpoint(path, engine.options.region);
  const { region } = endpoint;
  const entry = engine.log.start({ method, path, region, query: rawQuery, requestId }, startedMs);
  let clientLeft = false;
  res.on('close', () => {
    clientLeft = !res.writableFinished;
    if (!res.writableFinished && entry.status === null) entry.dropped = true;
    entry.durationMs ??= Date.now() - startedMs;
    engine.options.logger.info(`${method} ${path} → ${entry.dropped ? 'dropped' : entry.status}`, {
      requestId,
      ...(entry.fault ? { fault: entry.fault } : {}),
      ...(entry.note ? { note: entry.note } : {}),
    });
  });
  if (body === null) return send(res, errors.tooLarge(), entry);
  if (region === null) return send(res, errors.apiNotFound(requestId), entry);
  const route = matchRoute(method, endpoint.path);
  if (route?.kind === 'action') {
    entry.action = route.action;
    entry.drId = route.drId;
    entry.accepted = false;
  }
  const outage = engine.regionOutages.current(region, startedMs);
  if (outage) return refuseInOutage(res, outage, region, entry);
  let auth: AuthResult | null = null;
  if (route !== null && route.kind !== 'token') {
    auth = engine.auth.check(
      { method, path, rawQuery, headers: req.headers, body, projectId: route.projectId },
      startedMs,
      requestId
    );
    Object.assign(entry, { auth: auth.kind, signatureValid: auth.signatureValid, ak: auth.ak, authError: auth.error });
  }

  const rule = engine.faultRules.match(method, path, engine.random);
  const spec = rule?.spec;
  if (rule) entry.fault = rule.id;
  if (spec?.delayMs !== undefined && spec.delayMs > 0) {
    const waited = await engine.scheduler.sleep(spec.delayMs);
    if (!waited || isClosed()) return drop(res, entry);
    if (clientLeft && spec.ifClientLeft === 'drop') {
      entry.note = 'client left during the delay: not forwarded to the service';
      return drop(res, entry);
    }
  }
  if (spec?.drop) return drop(res, entry);
  if (spec?.status !== undefined) return send(res, faultResponse(spec, spec.status, requestId), entry);

  // Served even when the client already left: the service commits what the gateway forwarded.
  const response = serve(engine, route, region, auth, query, body, entry, requestId);
  if (spec?.acceptThenDrop) return drop(res, entry);
  send(res, spec?.acceptThen500 ? errors.internal() : response, entry);
}

function serve(
  engine: SimulatorEngine,
  route: DwsRoute | null,
  region: string,
  auth: AuthResult | null,
  query: URLSearchParams,
  body: Buffer,
  entry: RequestLogEntry,
  requestId: string
): SimResponse {
  const nowMs = Date.now();
  if (route === null) return errors.apiNotFound(requestId);
  if (route.kind === 'token') {
    return handleTokenRequest(body.toString('utf8'), query, {
      users: engine.options.iamUsers,
      tokens: engine.tokens,
      ttlMs: engine.config.tokenTtlMs,
      nowMs,
      projectIdByName: (name) => engine.projectIdByName(name),
    });
  }
  if (auth?.failure) {
    if (route.kind === 'action') entry.note = `${route.action} not reached: ${auth.error ?? 'authentication failed'}`;
    return auth.failure;
  }
  return engine.dws.handle(route, region, query, nowMs, entry);
}

/** A request to a region whose endpoint is down never reaches the service (nor authentication or fault rules). */
function refuseInOutage(res: ServerResponse, outage: RegionOutage, region: string, entry: RequestLogEntry): void {
  if (outage.mode === 'reset') {
    entry.note = `region ${region} outage (reset): connection reset, not forwarded to the service`;
    return drop(res, entry);
  }
  entry.note = `region ${region} outage (unavailable): answered 503, not forwarded to the service`;
  send(res, errors.gatewayHtml(503), entry);
}

function send(res: ServerResponse, response: SimResponse, entry: RequestLogEntry | null): void {
  if (res.destroyed) {
    // The caller left, but its call was taken.
    response.afterSend?.();
    return;
  }
  if (response.afterSend) res.once('close', response.afterSend);
  const body = Buffer.from(response.body, 'utf8');
  res.writeHead(response.status, { ...response.headers, 'content-length': String(body.length) });
  res.end(body);
  if (entry) entry.status = response.status;
}

function drop(res: ServerResponse, entry: RequestLogEntry): void {
  entry.dropped = true;
  res.socket?.destroy();
  res.destroy();
}

/** Reads the whole body. @returns null when it exceeds {@link MAX_BODY_BYTES}. */
async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
