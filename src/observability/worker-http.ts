/**
 * The worker's HTTP endpoint: `GET /healthz` (liveness), `GET /readyz` (readiness), `GET /metrics` (Prometheus:
 * the project's metrics followed by the Temporal SDK's, which its exporter serves on an internal loopback port).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import type { Logger } from '../logger';
import { EXPOSITION_CONTENT_TYPE, type Registry } from '../metrics/registry';
import type { WorkerProbe } from './worker-probe';

export interface WorkerHttpOptions {
  host: string;
  /** 0: a free port (the URL is returned and logged). */
  port: number;
  registry: Registry;
  probe: WorkerProbe;
  /** The SDK exporter's URL (`http://127.0.0.1:port/metrics`); null: the SDK's metrics are not served. */
  sdkMetricsUrl: string | null;
  log: Logger;
}

export interface WorkerHttp {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the endpoint.
 * @throws Error naming DWS_FAILOVER_WORKER_HTTP_HOST/PORT when the address cannot be bound.
 */
export async function startWorkerHttp(options: WorkerHttpOptions): Promise<WorkerHttp> {
  const server = createServer((req, res) => {
    handle(req, res, options).catch((err: unknown) => {
      options.log.error('Worker HTTP request failed', { path: req.url, error: (err as Error).message });
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(
        new Error(
          `Cannot serve the worker's health and metrics on ${options.host}:${options.port}: ${err.message}. Set DWS_FAILOVER_WORKER_HTTP_HOST/DWS_FAILOVER_WORKER_HTTP_PORT (0: any free port, off: none).`,
          { cause: err }
        )
      )
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}`;
  options.log.info('Worker HTTP endpoint listening', { url, paths: ['/healthz', '/readyz', '/metrics'] });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A probe's answer: 200 with `ok` as its status, else 503 with `bad`, and the probe's detail either way. */
function sendProbe(res: ServerResponse, probe: { ok: boolean; detail: unknown }, ok: string, bad: string): void {
  const body = JSON.stringify({ status: probe.ok ? ok : bad, detail: probe.detail });
  send(res, probe.ok ? 200 : 503, 'application/json', body);
}

async function handle(req: IncomingMessage, res: ServerResponse, options: WorkerHttpOptions): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://worker').pathname.replace(/\/+$/, '');
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'GET only\n');
  if (path === '/healthz') return sendProbe(res, options.probe.liveness(), 'ok', 'failed');
  if (path === '/readyz') return sendProbe(res, await options.probe.readiness(), 'ready', 'not-ready');
  if (path === '/metrics') {
    const own = options.registry.render();
    const sdk = options.sdkMetricsUrl ? await sdkMetrics(options.sdkMetricsUrl, options.log) : '';
    return send(res, 200, EXPOSITION_CONTENT_TYPE, own + sdk);
  }
  send(res, 404, 'text/plain', 'not found: GET /healthz, /readyz or /metrics\n');
}

/** The SDK exporter's text; empty (and a warning) when it does not answer, so the project's metrics still serve. */
async function sdkMetrics(url: string, log: Logger): Promise<string> {
  try {
    const res = await request(url, { headersTimeout: 5_000, bodyTimeout: 5_000 });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
    return text.endsWith('\n') || text === '' ? text : `${text}\n`;
  } catch (err) {
    log.warn('The Temporal SDK metrics exporter did not answer', { url, error: (err as Error).message });
    return '';
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}
