/**
 * The baseline: what a user would write without dws-failover. Read the DR detail, POST the failover once, then GET
 * the detail every second until the standby is the primary. AK/SK-signed like any SDK call; no retries, no checks.
 */
import { request } from 'undici';
import { signRequest } from '../../src/dws/signer';
import { AK, SK } from './stack';

const POLL_MS = 1000;

export interface BareResult {
  /** When the loop saw the standby as primary (epoch ms). */
  doneMs: number;
  /** When its POST was answered (epoch ms). */
  postAnsweredMs: number;
  reads: number;
}

async function call(base: string, method: 'GET' | 'POST', path: string): Promise<Record<string, unknown>> {
  const url = new URL(path, base);
  const headers = { host: url.host, 'content-type': 'application/json' };
  const signed = signRequest({ method, url, headers, body: '', ak: AK, sk: SK });
  const res = await request(url, {
    method,
    headers: { ...headers, 'x-sdk-date': signed.sdkDate, authorization: signed.authorization },
    body: method === 'POST' ? '' : undefined,
  });
  const body = (await res.body.json()) as Record<string, unknown>;
  if (res.statusCode !== 200) throw new Error(`${method} ${path} answered ${res.statusCode}: ${JSON.stringify(body)}`);
  return body;
}

const primaryOf = (body: Record<string, unknown>): string | undefined =>
  (body.disaster_recovery as { primary_cluster?: { id?: string } } | undefined)?.primary_cluster?.id;

/**
 * Fails the pair over and waits for the swap.
 * @throws Error on any non-200 answer, or when the swap is not seen within `timeoutMs`.
 */
export async function bareFailover(
  simUrl: string,
  projectId: string,
  drId: string,
  timeoutMs = 600_000
): Promise<BareResult> {
  const detail = `/v2/${projectId}/disaster-recovery/${drId}`;
  const before = await call(simUrl, 'GET', detail);
  const standby = (before.disaster_recovery as { standby_cluster?: { id?: string } } | undefined)?.standby_cluster?.id;
  if (!standby) throw new Error(`the detail of ${drId} names no standby cluster`);
  await call(simUrl, 'POST', `${detail}/failover`);
  const postAnsweredMs = Date.now();
  const deadline = Date.now() + timeoutMs;
  for (let reads = 1; Date.now() < deadline; reads++) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    if (primaryOf(await call(simUrl, 'GET', detail)) === standby) return { doneMs: Date.now(), postAnsweredMs, reads };
  }
  throw new Error(`the bare loop did not see ${drId} fail over within ${timeoutMs / 1000} s`);
}
