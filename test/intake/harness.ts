/**
 * An intake server for a test: configuration from an environment (plus a token and secrets), an optional inventory
 * file, the lazy Temporal client, and small fetch helpers. Everything is closed when the test finishes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Client } from '@temporalio/client';
import { onTestFinished } from 'vitest';
import { loadConfig, type Config } from '../../src/config';
import { hmacHex, lazyClient, startIntakeServer, type IntakeServer } from '../../src/intake';
import { createLogger } from '../../src/logger';

export const TOKEN = 'test-intake-token-0123456789abcdef';
export const HMAC_SECRET = 'test-intake-hmac-secret-0123456789';
export const PD_SECRET = 'test-pagerduty-secret-0123456789';

export interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are asserted field by field
  body: any;
}

export interface Intake {
  server: IntakeServer;
  config: Config;
  url: string;
  /** POSTs `body` (an object is sent as JSON) with the bearer token unless `headers` say otherwise. */
  post(route: string, body: unknown, headers?: Record<string, string>): Promise<Answer>;
  get(route: string, headers?: Record<string, string>): Promise<Answer>;
}

export interface IntakeOptions {
  /** Environment on top of the token and secrets (TEMPORAL_ADDRESS, policy…). */
  env?: Record<string, string>;
  /** Inventory YAML, written to a temporary file and loaded through DWS_FAILOVER_INVENTORY. */
  inventory?: string;
  temporalTimeoutMs?: number;
  insecureNoAuth?: boolean;
  /** The intake's Temporal client (e.g. one with interceptors that record what it sends); default: lazyClient. */
  client?: Client;
}

export const bearer = { authorization: `Bearer ${TOKEN}` };

/** Headers of an HMAC-signed request over `body` at `at` (Unix seconds). */
export function signedHeaders(
  body: string,
  at = Math.floor(Date.now() / 1000),
  secret = HMAC_SECRET
): Record<string, string> {
  return {
    'x-dws-failover-timestamp': String(at),
    'x-dws-failover-signature': `sha256=${hmacHex(secret, `${at}.`, body)}`,
  };
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (metrics)
  }
  return { status: res.status, headers: res.headers, body };
}

/** Starts an intake on a free loopback port. */
export async function startIntake(options: IntakeOptions = {}): Promise<Intake> {
  const env: Record<string, string> = {
    DWS_FAILOVER_INTAKE_TOKEN: TOKEN,
    DWS_FAILOVER_INTAKE_HMAC_SECRET: HMAC_SECRET,
    DWS_FAILOVER_PAGERDUTY_SECRET: PD_SECRET,
    ...options.env,
  };
  if (options.inventory !== undefined) {
    const dir = mkdtempSync(path.join(tmpdir(), 'dws-intake-test-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    env.DWS_FAILOVER_INVENTORY = path.join(dir, 'inventory.yaml');
    writeFileSync(env.DWS_FAILOVER_INVENTORY, options.inventory);
  }
  const config = loadConfig(env);
  const client = options.client ?? lazyClient(config);
  const server = await startIntakeServer({
    client,
    config,
    logger: createLogger({ component: 'intake', level: 'error', stream: new PassThrough().resume() }),
    port: 0,
    host: '127.0.0.1',
    insecureNoAuth: options.insecureNoAuth ?? false,
    temporalTimeoutMs: options.temporalTimeoutMs ?? 10_000,
  });
  onTestFinished(async () => {
    await server.close(1000);
    // A call given up at its deadline may still have a retry of the SDK's gRPC retry interceptor scheduled, whose
    // timer throws once the channel is closed: close it after any such retry, or with the test process.
    setTimeout(() => void client.connection.close(), 15_000).unref();
  });
  return {
    server,
    config,
    url: server.url,
    post: async (route, body, headers = bearer) =>
      answer(
        await fetch(`${server.url}${route}`, {
          method: 'POST',
          body: typeof body === 'string' ? body : JSON.stringify(body),
          headers: { 'content-type': 'application/json', ...headers },
        })
      ),
    get: async (route, headers = bearer) => answer(await fetch(`${server.url}${route}`, { headers })),
  };
}
