/**
 * One mutating operation per DR pair: a real incident cancels a running drill of its pair and waits until the
 * drill has cleaned up; a drill does not start while an incident runs (DESIGN §3).
 */
import { heartbeat, sleep } from '@temporalio/activity';
import { workflowIds } from '../../shared/constants';
import { isDrillOfPair } from '../../shared/drills';
import type { ActivityDeps } from '../deps';

/**
 * Cancels every running drill of the pair and returns once they have all ended (their cleanup included).
 * @returns the workflow ids of the drills it cancelled.
 */
export async function cancelRunningDrills(
  deps: ActivityDeps,
  input: { projectId: string; drId: string }
): Promise<string[]> {
  const control = deps.workflows;
  if (!control) return [];
  const drills = await control.runningDrills(input.projectId, input.drId);
  for (const d of drills) await control.cancel(d.workflowId, d.runId);
  for (;;) {
    const still = [];
    for (const d of drills) if (await control.isRunning(d.workflowId, d.runId)) still.push(d.workflowId);
    if (still.length === 0) return drills.map((d) => d.workflowId);
    heartbeat({ waitingFor: still });
    await sleep(1000);
  }
}

/** The id of the pair's running failover, or null. */
export async function runningIncident(
  deps: ActivityDeps,
  input: { projectId: string; drId: string }
): Promise<string | null> {
  const id = workflowIds.failover(input.projectId, input.drId);
  return (await deps.workflows?.isRunning(id)) ? id : null;
}

/** What an incident waited for: the operation that held the pair, and the drill it was a leg of. */
export interface PairRelease {
  holder: string | null;
  /** The holder's drill, cancelled so it starts no further leg. */
  drill: string | null;
  waitedSeconds: number;
}

/**
 * Waits until nobody holds the pair's lock: the holder took it right before its request, so the operation is (or
 * may be) with DWS, and its run keeps the lock until its follow has seen the operation end. A holder that is a drill's
 * leg has its drill cancelled first, so the drill starts nothing after it.
 * @returns who held it (null when it was free by the time of the first read).
 */
export async function awaitPairRelease(
  deps: ActivityDeps,
  input: { projectId: string; drId: string }
): Promise<PairRelease> {
  const control = deps.workflows;
  const started = Date.now();
  const result: PairRelease = { holder: null, drill: null, waitedSeconds: 0 };
  if (!control) return result;
  for (;;) {
    const held = await control.pairLockHolder(input.projectId, input.drId);
    if (!held) return { ...result, waitedSeconds: (Date.now() - started) / 1000 };
    result.holder = held.holder.workflowId;
    if (held.parent && isDrillOfPair(held.parent.workflowId, input.projectId, input.drId) && result.drill === null) {
      await control.cancel(held.parent.workflowId, held.parent.runId);
      result.drill = held.parent.workflowId;
    }
    heartbeat({ waitingFor: result.holder });
    await sleep(1000);
  }
}

/** Who holds the pair's lock, for a message; null when nobody does. */
export async function pairLockHolder(
  deps: ActivityDeps,
  input: { projectId: string; drId: string }
): Promise<string | null> {
  return (await deps.workflows?.pairLockHolder(input.projectId, input.drId))?.holder.workflowId ?? null;
}

/** Cancels a drill's leg if it has not reached its request. @returns null when cancelled, else why not. */
export async function cancelLegBeforeRequest(
  deps: ActivityDeps,
  input: { workflowId: string; runId: string; actor: string; comment: string }
): Promise<string | null> {
  if (!deps.workflows) return 'this worker cannot reach Temporal';
  return deps.workflows.cancelBeforeRequest(input, input.actor, input.comment);
}
