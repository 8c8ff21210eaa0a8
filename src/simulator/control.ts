/**
 * The control API under `/_sim/` (no authentication, not logged, never subject to faults). JSON in and out;
 * errors are `{ "error": "…", "field": "…" }` with 400 (bad input, naming the field) or 404.
 */
import { apiOutageDurationMs } from './api-outage';
import type { SimulatorEngine } from './engine';
import { SimInputError, SimNotFoundError } from './input-error';
import { DR_ACTIONS, type DrAction } from './records';
import { json, type SimResponse } from './responses';

/** Every control endpoint, listed in the 404 answer for a wrong path. */
export const CONTROL_ENDPOINTS: readonly string[] = Object.freeze([
  'GET /_sim/state',
  'GET /_sim/healthz',
  'POST /_sim/disaster-recoveries',
  'POST /_sim/clusters/{clusterId}/outage {"delayMs"?}',
  'POST /_sim/clusters/{clusterId}/restore {"delayMs"?}',
  'POST /_sim/api-outage {"durationMs"}',
  'POST /_sim/regions/{region}/outage {"durationMs"?, "mode"?: "reset"|"unavailable"}',
  'POST /_sim/regions/{region}/restore',
  'GET /_sim/faults',
  'POST /_sim/faults',
  'DELETE /_sim/faults',
  'DELETE /_sim/faults/{id}',
  'GET /_sim/requests?path=&method=&region=&since=&action=',
  'DELETE /_sim/requests',
  'POST /_sim/reset',
  'GET /_sim/config',
  'POST /_sim/config',
]);

/** Serves one control request. Never throws: errors become 400/404 answers. */
export function handleControl(
  engine: SimulatorEngine,
  method: string,
  path: string,
  query: URLSearchParams,
  body: Buffer
): SimResponse {
  try {
    return route(engine, method, path, query, body);
  } catch (err) {
    if (err instanceof SimInputError) return json(400, { error: err.message, field: err.field });
    if (err instanceof SimNotFoundError) return json(404, { error: err.message });
    throw err;
  }
}

function route(engine: SimulatorEngine, method: string, path: string, query: URLSearchParams, body: Buffer) {
  const key = `${method} ${path.replace(/\/+$/, '')}`;
  switch (key) {
    case 'GET /_sim/state':
      return json(200, engine.snapshot());
    case 'GET /_sim/healthz':
      return json(200, { ok: true });
    case 'POST /_sim/disaster-recoveries':
      return json(201, engine.addPair(readJson(body) as never));
    case 'GET /_sim/faults':
      return json(200, { faults: engine.faults() });
    case 'POST /_sim/faults':
      return json(201, { ids: engine.addFaults(readJson(body) as never) });
    case 'DELETE /_sim/faults':
      return json(200, { cleared: engine.faultRules.clear() });
    case 'GET /_sim/requests':
      return json(200, { requests: engine.requests(requestFilter(query)) });
    case 'DELETE /_sim/requests':
      return json(200, { cleared: engine.log.clear() });
    case 'POST /_sim/reset':
      return json(200, engine.reset());
    case 'GET /_sim/config':
      return json(200, engine.config);
    case 'POST /_sim/config':
      return json(200, engine.configure(readJson(body) as never));
    case 'POST /_sim/api-outage':
      return apiOutage(engine, body);
  }
  const cluster = /^\/_sim\/clusters\/([^/]+)\/(outage|restore)\/?$/.exec(path);
  if (cluster && method === 'POST') {
    const id = decodeURIComponent(cluster[1] ?? '');
    const options = readJson(body) as never;
    return json(200, cluster[2] === 'outage' ? engine.outage(id, options) : engine.restore(id, options));
  }
  const region = /^\/_sim\/regions\/([^/]+)\/(outage|restore)\/?$/.exec(path);
  if (region && method === 'POST') {
    // Not percent-decoded: a region id has nothing to escape, so an escaped one is refused as it is.
    const id = region[1] ?? '';
    const view = region[2] === 'outage' ? engine.regionOutage(id, readJson(body) as never) : engine.regionRestore(id);
    return json(200, view);
  }
  const fault = /^\/_sim\/faults\/([^/]+)\/?$/.exec(path);
  if (fault && method === 'DELETE') {
    const id = decodeURIComponent(fault[1] ?? '');
    if (!engine.faultRules.remove(id)) throw new SimNotFoundError(`no fault rule with id ${id}`);
    return json(200, { removed: id });
  }
  return json(404, { error: `no control endpoint ${method} ${path}`, endpoints: CONTROL_ENDPOINTS });
}

/**
 * Answers first and then closes the listener (this very connection included): the caller learns the outage
 * started, and the next connection is refused.
 */
function apiOutage(engine: SimulatorEngine, body: Buffer): SimResponse {
  const durationMs = apiOutageDurationMs(readJson(body));
  const outage = engine.apiOutage;
  if (!outage) throw new SimNotFoundError('this simulator has no listener to take down');
  const until = new Date(Date.now() + durationMs).toISOString();
  return {
    ...json(200, { durationMs, until }, { connection: 'close' }),
    afterSend: () => void outage.start(durationMs),
  };
}

/** An empty body reads as "no input" (all defaults). @throws SimInputError when it is not JSON. */
function readJson(body: Buffer): unknown {
  const raw = body.toString('utf8').trim();
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new SimInputError('body', `is not valid JSON (${(err as Error).message})`);
  }
}

function requestFilter(query: URLSearchParams) {
  const since = query.get('since');
  const action = query.get('action');
  if (since !== null && !/^\d+$/.test(since)) throw new SimInputError('since', 'must be a request seq number');
  if (action !== null && !DR_ACTIONS.includes(action as DrAction)) {
    throw new SimInputError('action', `must be one of ${DR_ACTIONS.join(', ')}`);
  }
  const path = query.get('path') ?? undefined;
  if (path?.startsWith('^')) {
    try {
      new RegExp(path);
    } catch (err) {
      throw new SimInputError('path', `is not a valid regular expression: ${(err as Error).message}`);
    }
  }
  return {
    path,
    method: query.get('method') ?? undefined,
    region: query.get('region') ?? undefined,
    since: since === null ? undefined : Number(since),
    action: (action ?? undefined) as DrAction | undefined,
  };
}
