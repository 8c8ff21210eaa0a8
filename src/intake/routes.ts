/**
 * The intake's routes (DESIGN §5). Each says its method, path template (also the metrics label), how it
 * authenticates (null: open probes) and what it answers.
 */
import type { IncomingMessage } from 'node:http';
import type { AlertDelivery } from './alert';
import { parseAlertmanager } from './alertmanager';
import type { AuthResult, AuthScheme } from './auth';
import { handleDecision, type DecisionKind } from './decisions';
import { handleDelivery } from './deliveries';
import { deliveryProgress } from './delivery-progress';
import type { IntakeDeps } from './deps';
import { handleFailoverRequest } from './generic';
import { parseGrafana } from './grafana';
import { parseJson, type Answer } from './http';
import { checkDeliveryLimits } from './limits';
import { parsePagerDuty } from './pagerduty';
import { failoverProgress } from './progress';
import { healthz, readyz } from './probes';
import { EXPOSITION_CONTENT_TYPE } from '../metrics/registry';

/** What a handler gets. */
export interface RequestContext {
  deps: IntakeDeps;
  req: IncomingMessage;
  /** The path's `{…}` parameters, decoded, in order. */
  params: string[];
  /** The raw body (empty for GET). */
  body: Buffer;
  auth: AuthResult | null;
  receivedAt: Date;
}

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  pattern: RegExp;
  auth: AuthScheme | null;
  handle(ctx: RequestContext): Promise<Answer>;
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Checks a parsed alert delivery against the intake's limits, then handles it. */
async function deliver(ctx: RequestContext, delivery: AlertDelivery): Promise<Answer> {
  checkDeliveryLimits(delivery, ctx.deps.config.intake);
  return { status: 202, body: await handleDelivery(ctx.deps, delivery, ctx.receivedAt) };
}

/** `POST /v1/failovers/{workflowId}/{kind}` with `{ comment, digest? }`, by a person's own credential only. */
function decisionRoute(kind: DecisionKind): Route {
  return {
    method: 'POST',
    path: `/v1/failovers/{workflowId}/${kind}`,
    pattern: new RegExp(`^/v1/failovers/([^/]+)/${kind}/?$`),
    auth: 'decision',
    handle: async (ctx) => ({
      status: 200,
      body: await handleDecision(ctx.deps, ctx.params[0] ?? '', kind, parseJson(ctx.body), ctx.auth),
    }),
  };
}

/** Every route, most specific first. */
export const ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: '/v1/alerts/alertmanager',
    pattern: /^\/v1\/alerts\/alertmanager\/?$/,
    auth: 'standard',
    handle: (ctx) => deliver(ctx, parseAlertmanager(parseJson(ctx.body))),
  },
  {
    method: 'POST',
    path: '/v1/alerts/grafana',
    pattern: /^\/v1\/alerts\/grafana\/?$/,
    auth: 'grafana',
    handle: (ctx) => deliver(ctx, parseGrafana(parseJson(ctx.body))),
  },
  {
    method: 'POST',
    path: '/v1/alerts/pagerduty',
    pattern: /^\/v1\/alerts\/pagerduty\/?$/,
    auth: 'pagerduty',
    handle: async (ctx) => {
      const delivery = parsePagerDuty(parseJson(ctx.body), {
        webhookId: header(ctx.req, 'x-webhook-id'),
        subscription: header(ctx.req, 'x-webhook-subscription'),
      });
      return deliver(ctx, delivery);
    },
  },
  {
    method: 'POST',
    path: '/v1/failovers',
    pattern: /^\/v1\/failovers\/?$/,
    auth: 'automation',
    handle: async (ctx) => {
      const headers = {
        idempotencyKey: header(ctx.req, 'idempotency-key'),
        authMethod: ctx.auth?.method ?? 'none',
        ...(ctx.auth?.person ? { person: ctx.auth.person } : {}),
      };
      return { status: 202, body: await handleFailoverRequest(ctx.deps, parseJson(ctx.body), headers, ctx.receivedAt) };
    },
  },
  ...(['approve', 'reject', 'cancel'] as const).map(decisionRoute),
  {
    method: 'GET',
    path: '/v1/failovers/{workflowId}',
    pattern: /^\/v1\/failovers\/([^/]+)\/?$/,
    auth: 'automation',
    handle: async (ctx) => ({ status: 200, body: await failoverProgress(ctx.deps, ctx.params[0] ?? '') }),
  },
  {
    method: 'GET',
    path: '/v1/deliveries/{deliveryId}',
    pattern: /^\/v1\/deliveries\/([^/]+)\/?$/,
    auth: 'automation',
    handle: async (ctx) => ({
      status: 200,
      body: await deliveryProgress(
        ctx.deps,
        ctx.params[0] ?? '',
        new URL(ctx.req.url ?? '/', 'http://intake').searchParams
      ),
    }),
  },
  { method: 'GET', path: '/healthz', pattern: /^\/healthz\/?$/, auth: null, handle: async (ctx) => healthz(ctx.deps) },
  { method: 'GET', path: '/readyz', pattern: /^\/readyz\/?$/, auth: null, handle: (ctx) => readyz(ctx.deps) },
  {
    method: 'GET',
    path: '/metrics',
    pattern: /^\/metrics\/?$/,
    auth: null,
    handle: async (ctx) => ({
      status: 200,
      text: { contentType: EXPOSITION_CONTENT_TYPE, content: ctx.deps.metrics.render() },
    }),
  },
];
