/**
 * What the DWS client tells observers, through `node:diagnostics_channel`: one event per HTTP exchange and one per
 * rate-limiter wait. Publishing costs nothing while nobody subscribes, and the client does not know who listens
 * (the worker's metrics do: src/observability/worker-metrics.ts).
 */
import { channel } from 'node:diagnostics_channel';

/** One exchange with the DWS API, answered or not. */
export interface DwsRequestEvent {
  /** The API operation, e.g. `SwitchFailoverDisaster`, `ShowDisasterRecovery`. */
  operation: string;
  method: 'GET' | 'POST';
  /** The HTTP status as text, or `timeout` / `network-error` when no answer came. */
  status: string;
  seconds: number;
}

/** One wait for a rate-limiter grant (zero when granted at once). */
export interface DwsRateWaitEvent {
  priority: string;
  seconds: number;
}

export const dwsRequestChannel = channel('dws-failover:dws:request');
export const dwsRateWaitChannel = channel('dws-failover:dws:rate-wait');
