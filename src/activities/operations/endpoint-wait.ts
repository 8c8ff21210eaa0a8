/**
 * A cross-region pair whose primary region's endpoint does not answer: before its request goes to the standby
 * region, the run gives the primary region's endpoint the pair's read-outage allowance to come back (a blip is not
 * a region outage). This activity reads the DR record through that endpoint until it answers or the allowance is
 * over. It only reads, so Temporal may retry it freely.
 */
import { sleep } from '@temporalio/activity';
import type { ActivityDeps } from '../deps';
import { describeError, isNotFound } from '../failure';
import { whileAlive } from './keep-alive';

export interface EndpointWaitInput {
  /** The project whose region's endpoint is awaited. */
  projectId: string;
  drId: string;
  /** Give up at this moment (ISO, workflow time). */
  until: string;
  /** Time between two reads. @default 2000 */
  everyMs?: number;
}

export interface EndpointWaitResult {
  answered: boolean;
  /** The answer, or the last error. */
  note: string;
  at: string;
  reads: number;
}

/** Reads through the endpoint until it answers (any answer of the service, "not found" included) or time is up. */
export async function awaitEndpoint(deps: ActivityDeps, input: EndpointWaitInput): Promise<EndpointWaitResult> {
  const now = deps.now ?? (() => new Date());
  const until = Date.parse(input.until);
  const every = input.everyMs ?? 2_000;
  let reads = 0;
  let note = 'not read yet';
  return whileAlive({ reads }, async (alive) => {
    for (;;) {
      try {
        const dr = await deps.dws.getDisasterRecovery(input.projectId, input.drId, { signal: alive.signal });
        return { answered: true, note: `status ${dr.status}`, at: now().toISOString(), reads: reads + 1 };
      } catch (err) {
        if (alive.signal.aborted) throw err;
        note = describeError(err);
        if (isNotFound(err)) return { answered: true, note, at: now().toISOString(), reads: reads + 1 };
      }
      reads += 1;
      alive.note({ reads });
      const left = until - now().getTime();
      if (left <= 0) return { answered: false, note, at: now().toISOString(), reads };
      await sleep(Math.min(every, left));
    }
  });
}
