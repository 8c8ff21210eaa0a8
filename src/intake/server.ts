/**
 * The intake HTTP server (node:http): routing, body limit, authentication, answers and metrics around the handlers
 * of routes.ts. It refuses to start without credentials unless explicitly told `insecureNoAuth`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { ConfigError, type Config } from '../config';
import type { Inventory } from '../inventory';
import type { Logger } from '../logger';
import { approverKeyLine } from '../identity/keys';
import { clip } from '../shared/quote';
import { unsignedResolvedCancelWarning } from '../operations/resolved';
import type { IntakeDeps } from './deps';
import { HttpError, readBody, requireJson, sendJson } from './http';
import { identify } from './identify';
import { IntakeMetrics } from './metrics';
import { createOidcVerifier } from './oidc';
import { ROUTES } from './routes';
import { holdingSignature } from './replay-guard';
import { ReplayCache } from './signatures';

/** The default bound on one request's Temporal calls: with parsing and mapping, every answer within 2 s. */
export const DEFAULT_TEMPORAL_TIMEOUT_MS = 1500;

export interface IntakeServerOptions {
  client: Client;
  config: Config;
  logger: Logger;
  /** @default config.intake.port */
  port?: number;
  /** @default '0.0.0.0' */
  host?: string;
  /** Serve without authentication when no token or secret is configured. Never in production. @default false */
  insecureNoAuth?: boolean;
  /**
   * Bound on the Temporal calls of one request, so every answer (503 included) leaves within 2 s; PagerDuty gives up
   * after 5 s. @default 1500
   */
  temporalTimeoutMs?: number;
  /** @default config.inventory */
  inventory?: Inventory | null;
  now?: () => Date;
}

export interface IntakeServer {
  /** e.g. `http://127.0.0.1:8080` */
  readonly url: string;
  readonly port: number;
  readonly metrics: IntakeMetrics;
  /** Stops accepting, lets requests in flight finish (up to `graceMs`), then drops what is left. */
  close(graceMs?: number): Promise<void>;
}

/**
 * @throws ConfigError when no credential at all is configured (shared token, HMAC secret, OIDC, named tokens) and
 *   `insecureNoAuth` is not set.
 */
export function assertAuthConfigured(config: Config, insecureNoAuth: boolean): void {
  const { token, hmacSecret, oidc, peopleTokens } = config.intake;
  if (token || hmacSecret || oidc || (peopleTokens && peopleTokens.tokens.length > 0) || insecureNoAuth) return;
  throw new ConfigError([
    'The intake would accept failover requests from anyone: set DWS_FAILOVER_INTAKE_TOKEN (bearer) and/or ' +
      'DWS_FAILOVER_INTAKE_HMAC_SECRET (signed requests), e.g. `openssl rand -hex 32` (and for people: ' +
      'DWS_FAILOVER_OIDC_ISSUER or DWS_FAILOVER_INTAKE_PEOPLE_TOKENS, docs/intake-identity.md). Only for a local trial: ' +
      'dws-failover intake --insecure-no-auth.',
  ]);
}

/**
 * The path exactly as sent, up to `?`: routes match it and messages name it. (`new URL(…)` would read `//v1/…` as a
 * host and name another path than the one received.)
 */
const requestPath = (url: string | undefined): string => (url ?? '/').split('?', 1)[0] ?? '';

async function handle(deps: IntakeDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = process.hrtime.bigint();
  const path = requestPath(req.url);
  const shownPath = clip(path, 100);
  let routeName = 'unmatched';
  let status = 500;
  try {
    const candidates = ROUTES.filter((r) => r.pattern.test(path));
    if (candidates.length === 0)
      throw new HttpError(404, 'not_found', `There is no ${shownPath} here; see docs/intake.md.`);
    const route = candidates.find((r) => r.method === req.method);
    if (!route) {
      const allow = [...new Set(candidates.map((r) => r.method))].join(', ');
      throw new HttpError(
        405,
        'method_not_allowed',
        `${req.method} is not allowed on ${shownPath}; use ${allow}.`,
        {},
        { allow }
      );
    }
    routeName = route.path;
    if (route.method === 'POST') requireJson(req.headers['content-type']);
    const body = route.method === 'POST' ? await readBody(req, deps.maxBodyBytes) : Buffer.alloc(0);
    const receivedAt = deps.now();
    const auth = route.auth ? await identify(deps, route.auth, req.headers, body, receivedAt) : null;
    let params: string[];
    try {
      params = (route.pattern.exec(path)?.slice(1) ?? []).map((p) => decodeURIComponent(p));
    } catch {
      auth?.replay?.release();
      throw new HttpError(400, 'bad_request', `The path ${shownPath} is not properly percent-encoded.`);
    }
    const answer = await holdingSignature(deps, auth?.replay, (d) =>
      route.handle({ deps: d, req, params, body, auth, receivedAt })
    );
    status = answer.status;
    if (answer.text) {
      res.writeHead(status, { 'content-type': answer.text.contentType, 'cache-control': 'no-store' });
      res.end(answer.text.content);
    } else sendJson(res, status, answer.body);
  } catch (err) {
    const e =
      err instanceof HttpError
        ? err
        : new HttpError(500, 'internal', `The intake failed: ${clip((err as Error)?.message ?? String(err), 240)}`);
    status = e.status;
    deps.metrics.errors.inc({ kind: e.code });
    const meta = { route: routeName, status, error: e.message };
    if (status >= 500) deps.logger.error('intake request failed', meta);
    else if (status === 401 || status === 403) {
      deps.logger.warn('intake request refused', { ...meta, from: req.socket.remoteAddress });
    } else deps.logger.info('intake request refused', meta);
    if (!res.headersSent) sendJson(res, status, { error: e.code, message: e.message, ...e.details }, e.headers);
    else res.destroy();
  } finally {
    deps.metrics.request(routeName, status, Number(process.hrtime.bigint() - started) / 1e9);
  }
}

/** Says once, at start, how decisions are verified and signed, and what the workers must trust. */
function logIdentity(config: Config, logger: Logger): void {
  const { oidc, peopleTokens, signingKey } = config.intake;
  const ways = [
    oidc ? `OIDC (${oidc.issuer}, audience ${oidc.audience}, claim ${oidc.claim})` : null,
    peopleTokens ? `${peopleTokens.tokens.length} named tokens (${peopleTokens.path})` : null,
  ].filter(Boolean);
  if (signingKey) {
    const how = ways.length > 0 ? ways.join(', ') : 'no personal credential configured (docs/intake-identity.md)';
    logger.info(`decisions through the intake: ${how}; signed by the intake's key`, {
      trustOnWorkers: approverKeyLine(signingKey, 'service'),
    });
  } else if (ways.length > 0) {
    logger.warn(
      `decisions through the intake answer 503: DWS_FAILOVER_INTAKE_SIGNING_KEY is not set, so what ${ways.join(' and ')} verify cannot be signed (docs/intake-identity.md)`
    );
  }
  const unsigned = unsignedResolvedCancelWarning(config);
  if (unsigned) logger.warn(unsigned);
}

/**
 * Starts the intake.
 * @throws ConfigError without credentials (see assertAuthConfigured); the listen error when the port is taken.
 */
export async function startIntakeServer(options: IntakeServerOptions): Promise<IntakeServer> {
  const { config, logger } = options;
  const insecureNoAuth = options.insecureNoAuth ?? false;
  assertAuthConfigured(config, insecureNoAuth);
  const metrics = new IntakeMetrics();
  const deps: IntakeDeps = {
    client: options.client,
    config,
    inventory: options.inventory === undefined ? config.inventory : options.inventory,
    logger,
    metrics,
    auth: {
      token: config.intake.token,
      hmacSecret: config.intake.hmacSecret,
      pagerdutySecret: config.intake.pagerdutySecret,
      windowSeconds: config.intake.hmacWindowSeconds,
      insecureNoAuth,
    },
    people: {
      oidc: config.intake.oidc ? createOidcVerifier(config.intake.oidc) : null,
      tokens: config.intake.peopleTokens?.tokens ?? [],
    },
    signingKey: config.intake.signingKey,
    replays: new ReplayCache(),
    inFlight: new Map(),
    temporalTimeoutMs: options.temporalTimeoutMs ?? DEFAULT_TEMPORAL_TIMEOUT_MS,
    maxBodyBytes: config.intake.maxBodyBytes,
    now: options.now ?? (() => new Date()),
  };
  logIdentity(config, logger);
  const server = createServer((req, res) => {
    handle(deps, req, res).catch((err: unknown) => {
      logger.error('intake handler crashed', { error: String(err) });
      res.destroy();
    });
  });
  // Slow senders must not hold connections open for ever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  const host = options.host ?? '0.0.0.0';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? config.intake.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    metrics,
    close: (graceMs = 10_000) => {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
