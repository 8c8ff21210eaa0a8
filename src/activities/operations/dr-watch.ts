/**
 * The resend fence's watch (DESIGN §2 phase 3): after an ambiguous attempt the workflow may send again only once
 * the fence has passed — the end of that attempt plus the read-after-write window — with no sign of the operation
 * on any read path. This activity reads every path until the fence passes, returns at the first sign, and ends
 * with one complete reading taken after the fence. It never sends anything, so Temporal may retry it freely.
 */
import { activityInfo, sleep } from '@temporalio/activity';
import type { DrActionTarget } from './dr-action';
import type { ActivityDeps } from '../deps';
import { CLOCK_SKEW_MARGIN_MS } from './dr-send';
import { whileAlive } from './keep-alive';
import { observeAll, type Knowledge, type Observation } from './witness';

export interface WatchInput extends DrActionTarget {
  /** The fence: no resend before this moment (ISO, workflow time). */
  until: string;
  /** What the run already knows; a sign seen before is never forgotten. */
  known: Knowledge;
  /** Time between two readings of every path. @default 1000 */
  everyMs?: number;
}

export interface WatchResult {
  /** The last reading: the first that showed a sign, or the complete one taken after the fence. */
  observation: Observation;
  /** How many complete readings the watch took, over all attempts of this activity. */
  readings: number;
}

/** Reads every path until the fence passes or the operation shows. @returns the deciding reading. */
export async function watchDrAction(deps: ActivityDeps, input: WatchInput): Promise<WatchResult> {
  const now = deps.now ?? (() => new Date());
  // The fence is in workflow time; this worker's clock may be behind by the skew margin, so wait that much more.
  const until = Date.parse(input.until) + CLOCK_SKEW_MARGIN_MS;
  const every = input.everyMs ?? 1_000;
  const previous = activityInfo().heartbeatDetails as { readings?: number } | undefined;
  let readings = previous?.readings ?? 0;
  const seenWorking = input.known !== 'not-started';
  return whileAlive({ readings }, async (alive) => {
    for (;;) {
      const fencePassed = now().getTime() >= until;
      const observation = await observeAll(deps, input, seenWorking, alive.signal);
      readings += 1;
      alive.update({ readings });
      if (observation.state === 'done' || observation.state === 'in-progress') return { observation, readings };
      if (fencePassed) return { observation, readings };
      await sleep(Math.max(50, Math.min(every, until - now().getTime())));
    }
  });
}
