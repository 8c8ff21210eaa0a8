/**
 * Helpers for the simulator tests: a simulator per test (closed when the test ends), signed DWS calls over real
 * loopback HTTP, control-API calls, and polling for asynchronous transitions.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { onTestFinished } from 'vitest';
import { signRequest } from '../../src/dws/signer';
import { createLogger } from '../../src/logger';
import { createSimulator, type PairInput, type Simulator, type SimulatorOptions } from '../../src/simulator';

export const TEST_AK = 'SIMTESTACCESSKEY0001';
export const TEST_SK = 'simulator-test-secret-key';

/** Discards everything: tests assert on answers and the request log, not on log lines. */
export const SILENT = createLogger({
  component: 'simulator-test',
  level: 'error',
  stream: { write: () => true } as never,
});

/** Short timings so transitions take a fraction of a second; no read-after-write lag unless a test asks. */
export const FAST: SimulatorOptions = {
  failoverDurationMs: 300,
  switchoverDurationMs: 300,
  recoveryDurationMs: 300,
  startDurationMs: 200,
  pauseDurationMs: 200,
  deleteDurationMs: 200,
  readAfterWriteMs: 0,
};

/** Starts a simulator on a free port that accepts {@link TEST_AK}; it is closed when the test finishes. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await createSimulator({
    credentials: [{ ak: TEST_AK, sk: TEST_SK }],
    logger: SILENT,
    ...FAST,
    ...options,
  });
  onTestFinished(() => sim.close());
  return sim;
}

export const randomProjectId = (): string => randomBytes(16).toString('hex');

/** A pair added with random ids, and the DWS paths that address it. */
export interface TestPair {
  projectId: string;
  drId: string;
  primaryId: string;
  standbyId: string;
  detail: string;
  list: string;
  action: (name: string) => string;
  cluster: (id: string) => string;
  progress: string;
}

export function addTestPair(sim: Simulator, input: PairInput = {}): TestPair {
  const pair = sim.addPair({
    id: randomUUID(),
    projectId: randomProjectId(),
    ...input,
    primary: { id: randomUUID(), ...input.primary },
    standby: { id: randomUUID(), ...input.standby },
  });
  const p = pair.projectId;
  return {
    projectId: p,
    drId: pair.id,
    primaryId: pair.primaryClusterId,
    standbyId: pair.standbyClusterId,
    detail: `/v2/${p}/disaster-recovery/${pair.id}`,
    list: `/v2/${p}/disaster-recoveries`,
    action: (name) => `/v2/${p}/disaster-recovery/${pair.id}/${name}`,
    cluster: (id) => `/v1.0/${p}/clusters/${id}`,
    progress: `/v1/${p}/disaster-recovery/${pair.id}/show-progress`,
  };
}

/** An HTTP answer, with the body parsed as JSON when it is JSON. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read wire bodies loosely
  json: any;
}

export interface CallOptions {
  /** Default: signed with TEST_AK/TEST_SK. */
  ak?: string;
  sk?: string;
  /** Send this IAM token instead of a signature. */
  token?: string;
  /** Send no credentials at all. */
  unsigned?: boolean;
  body?: string;
  date?: Date;
  /** Aborting it makes the client give up (its connection is closed). */
  signal?: AbortSignal;
}

/** A DWS call the way the SDKs sign it (content-type, host, x-project-id, x-sdk-date). */
export async function call(
  sim: Simulator,
  method: string,
  pathAndQuery: string,
  opts: CallOptions = {}
): Promise<Answer> {
  const url = new URL(pathAndQuery, sim.url);
  const body = opts.body ?? '';
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const projectId = /^(?:\/regions\/[^/]+)?\/v[\d.]+\/([0-9a-f]{32})\//.exec(url.pathname)?.[1];
  if (projectId) headers['x-project-id'] = projectId;
  if (opts.token !== undefined) {
    headers['x-auth-token'] = opts.token;
  } else if (!opts.unsigned) {
    const signed = signRequest({
      method,
      url,
      headers: { ...headers, host: url.host },
      body,
      ak: opts.ak ?? TEST_AK,
      sk: opts.sk ?? TEST_SK,
      date: opts.date,
    });
    headers['x-sdk-date'] = signed.sdkDate;
    headers.authorization = signed.authorization;
  }
  const sent = method === 'GET' || method === 'HEAD' ? undefined : body;
  return answer(await fetch(url, { method, headers, body: sent, signal: opts.signal }));
}

/** A control-API call (no auth). */
export async function control(sim: Simulator, method: string, path: string, body?: unknown): Promise<Answer> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  return answer(await fetch(new URL(path, sim.url), init));
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Polls `check` until it returns a value other than undefined/null/false. @throws after `timeoutMs`. */
export async function until<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 10_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The pair `drId` as `GET /_sim/state` shows it. @throws when the pair is gone. */
export function pairState(sim: Simulator, drId: string) {
  const pair = sim.state().disasterRecoveries.find((d) => d.id === drId);
  if (!pair) throw new Error(`no pair ${drId} in the simulator state`);
  return pair;
}

/** Reads the DR detail (signed) until its status is `status`. */
export async function untilStatus(sim: Simulator, pair: TestPair, status: string): Promise<Answer> {
  return until(async () => {
    const res = await call(sim, 'GET', pair.detail);
    return res.json?.disaster_recovery?.status === status ? res : undefined;
  });
}
