/**
 * The mutating request of an operation — `POST …/failover`, `…/switchover` or `…/recovery` — accepted at most once
 * per workflow (DESIGN §2 phase 3).
 *
 * Every attempt reads the DR first: if the operation is already running or done, nothing is sent. After an attempt
 * whose answer was ambiguous (500, timeout, reset: the service may have accepted it), the next attempt also waits
 * out the read-after-write window, reading the DR, before it dares to send again. What earlier attempts did travels
 * in the heartbeat details, which Temporal hands to the next attempt.
 */
import { activityInfo, heartbeat, log, sleep } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { DrDetailWire } from '../../dws/types';
import { classifyDrStatus, parseDwsTime } from '../../dws/model';
import { ErrorType } from '../../shared/errors';
import type { DrOperation, OperationRequestResult } from '../../shared/operation-model';
import type { ActivityDeps } from '../deps';
import { requestVerdict } from '../../dws/request-outcome';
import { describeError, toActivityFailure } from '../failure';

export interface DrActionTarget {
  operation: DrOperation;
  projectId: string;
  drId: string;
  /** The primary before the operation. */
  oldPrimaryId: string;
  /** The standby before the operation (the primary after a failover or switchover). */
  newPrimaryId: string;
  /**
   * The DR status at the pre-checks. A recovery that starts from `running` (after a failover of a live pair, e.g. a
   * drill) looks the same before and after: how a view of it is read is {@link recoveryRunningState}.
   */
  preStatus?: string;
  /**
   * The standby's last successful sync at the pre-checks (ISO), null when it never synced. Absent from the inputs
   * of runs scheduled before it existed, which keep the status rule (see {@link recoveryRunningState}).
   */
  preLastSync?: string | null;
  /**
   * Set while following a taken request: the earliest time it may have reached the service (ISO). A recovery is
   * then done only once the standby synced after it.
   */
  requestSentAt?: string;
  /**
   * A cross-region pair: the project (so the region's endpoint) the request goes through, and whose reads alone can
   * clear an ambiguous answer. @default projectId
   */
  via?: string;
}

export interface DrActionRequestInput extends DrActionTarget {
  readAfterWriteWindowMs: number;
}

/** What earlier attempts did; kept in heartbeat details. */
interface AttemptMemo {
  requestsSent: number;
  /** When the last request that may have reached the service was sent (ISO), if any. */
  lastSentAt: string | null;
  /** Whether that request was surely refused (429, never connected) or may have been accepted. */
  lastAnswer: 'refused' | 'ambiguous' | null;
}

export type ActionState = 'done' | 'in-progress' | 'not-started';

/**
 * Where the operation stands according to one DR detail. Failover and switchover are done once the roles are
 * swapped; recovery once the pair runs again with the same primary. A status this project does not know means
 * "in progress", never "done".
 */
export function actionStateOf(dr: DrDetailWire, t: DrActionTarget, seenWorking = false): ActionState {
  const kind = classifyDrStatus(dr.status);
  if (t.operation === 'recovery') {
    if (dr.status === 'running' && dr.primary_cluster.id === t.oldPrimaryId) {
      const state = recoveryRunningState(t, dr.standby_cluster.last_success_time, seenWorking);
      return state === 'unproven' ? 'in-progress' : state;
    }
    return kind === 'stable' ? 'not-started' : 'in-progress';
  }
  if (dr.primary_cluster.id === t.newPrimaryId) return 'done';
  if (dr.primary_cluster.id === t.oldPrimaryId && kind !== 'stable') return 'in-progress';
  return 'not-started';
}

/**
 * Where a recovery stands when a view shows the pair `running` with its primary unchanged. That view alone proves
 * little: the service may show `running` while it re-seeds the standby (and hide its task), and a recovery that
 * starts from `running` looks the same before and after. What proves it is the re-seeded standby's first sync:
 * `lastSync` (the wire's `last_success_time`) later than the pre-checks' and than the taken request.
 * - Following a taken request ({@link DrActionTarget.requestSentAt}): done once the standby synced after it. Until
 *   then: from another status, in progress (the status left its pre-check value); from `running`, `unproven` — the
 *   view looks as before the request, so it shows neither the service working nor the recovery failing. (A pair
 *   that syncs on its own stops while the service works on the recovery, so a sync after the request is the
 *   recovery's.)
 * - Before a request was taken (is it running or done already?): from `running`, done once the service was seen
 *   working, else not started; from any other status, the status left its pre-check value — done once the standby
 *   synced after the pre-checks, else in progress.
 * Inputs without {@link DrActionTarget.preLastSync} (runs scheduled before it existed) keep the status rule.
 */
export function recoveryRunningState(
  t: DrActionTarget,
  lastSync: string | null,
  seenWorking: boolean
): ActionState | 'unproven' {
  if (t.preLastSync === undefined) return t.preStatus === 'running' && !seenWorking ? 'not-started' : 'done';
  const syncedAfter = (...times: (string | null | undefined)[]): boolean => {
    const synced = parseDwsTime(lastSync);
    if (synced === null) return false;
    return times.every((at) => at === null || at === undefined || synced.getTime() > Date.parse(at));
  };
  if (t.requestSentAt !== undefined) {
    if (syncedAfter(t.preLastSync, t.requestSentAt)) return 'done';
    return t.preStatus === 'running' ? 'unproven' : 'in-progress';
  }
  if (t.preStatus === 'running') return seenWorking ? 'done' : 'not-started';
  return syncedAfter(t.preLastSync) ? 'done' : 'in-progress';
}

const READ_POLL_MS = 500;

function send(deps: ActivityDeps, t: DrActionTarget): Promise<{ id: string; requestId: string | null }> {
  switch (t.operation) {
    case 'failover':
      return deps.dws.failover(t.projectId, t.drId);
    case 'switchover':
      return deps.dws.switchover(t.projectId, t.drId);
    case 'recovery':
      return deps.dws.recovery(t.projectId, t.drId);
  }
}

/** Sends the operation's request unless it is already running or done. @throws ApplicationFailure (typed). */
export async function requestDrAction(
  deps: ActivityDeps,
  input: DrActionRequestInput
): Promise<OperationRequestResult> {
  const info = activityInfo();
  const memo: AttemptMemo = {
    requestsSent: 0,
    lastSentAt: null,
    lastAnswer: null,
    ...(info.heartbeatDetails as Partial<AttemptMemo> | undefined),
  };
  const now = deps.now ?? (() => new Date());
  const result = (
    disposition: OperationRequestResult['disposition'],
    dr: DrDetailWire | null,
    requestId: string | null
  ): OperationRequestResult => {
    const lastSync = dr ? parseDwsTime(dr.standby_cluster.last_success_time) : null;
    return {
      disposition,
      requestsSent: memo.requestsSent,
      attempts: info.attempt,
      acceptedAt: (disposition === 'accepted' ? now().toISOString() : memo.lastSentAt) ?? now().toISOString(),
      requestId,
      standbyLastSuccessTime: lastSync ? lastSync.toISOString() : null,
    };
  };
  const read = async (): Promise<DrDetailWire> => {
    try {
      return await deps.dws.getDisasterRecovery(input.projectId, input.drId);
    } catch (err) {
      throw toActivityFailure(err);
    }
  };
  const found = (state: ActionState, dr: DrDetailWire): OperationRequestResult =>
    result(state === 'done' ? 'already-swapped' : 'already-in-progress', dr, null);

  let dr = await read();
  let state = actionStateOf(dr, input);
  const mayHaveBeenAccepted = info.attempt > 1 && memo.lastAnswer !== 'refused';
  if (state === 'done') return found(state, dr);
  if (state === 'in-progress') {
    if (mayHaveBeenAccepted || memo.lastSentAt) return found(state, dr);
    throw ApplicationFailure.create({
      type: ErrorType.DwsRequestRejected,
      nonRetryable: true,
      message: `DR ${input.drId} has an operation in flight (status ${dr.status}) that this workflow did not start; not sending a ${input.operation} over it.`,
    });
  }
  if (dr.primary_cluster.id !== input.oldPrimaryId) {
    throw ApplicationFailure.create({
      type: ErrorType.DwsRequestRejected,
      nonRetryable: true,
      message: `DR ${input.drId}: primary is now ${dr.primary_cluster.id}, expected ${input.oldPrimaryId}; the pair changed since the pre-checks.`,
    });
  }

  if (mayHaveBeenAccepted) {
    // The earlier request may have been accepted while reads still show the old state: wait out that window.
    const since = memo.lastSentAt ? Date.parse(memo.lastSentAt) : info.currentAttemptScheduledTimestampMs;
    while (now().getTime() < since + input.readAfterWriteWindowMs) {
      heartbeat(memo);
      await sleep(Math.min(READ_POLL_MS, Math.max(50, since + input.readAfterWriteWindowMs - now().getTime())));
      dr = await read();
      state = actionStateOf(dr, input);
      if (state !== 'not-started') return found(state, dr);
    }
    log.info('No sign of an earlier request after the read-after-write window; sending again', {
      drId: input.drId,
      operation: input.operation,
    });
  }

  memo.lastSentAt = now().toISOString();
  memo.lastAnswer = 'ambiguous';
  heartbeat(memo);
  try {
    const answer = await send(deps, input);
    memo.requestsSent += 1;
    log.info('Request accepted', { drId: input.drId, operation: input.operation, requestId: answer.requestId });
    return result('accepted', dr, answer.requestId);
  } catch (err) {
    const verdict = requestVerdict(err);
    if (verdict.reason !== 'not-connected') memo.requestsSent += 1;
    // Surely not taken (a 429, no connection): the next attempt need not wait out the read-after-write window.
    if (verdict.kind === 'refused') memo.lastAnswer = 'refused';
    heartbeat(memo);
    if (verdict.kind === 'final' && verdict.status !== null) {
      // A refusal because the operation is already running counts as "already in progress", not as a failure.
      const after = await read();
      const s = actionStateOf(after, input);
      if (s !== 'not-started') return found(s, after);
    }
    log.warn('Request failed', {
      drId: input.drId,
      operation: input.operation,
      error: describeError(err),
      retryable: verdict.kind !== 'final',
    });
    throw toActivityFailure(err);
  }
}

/** Reads where the operation stands (used after the request's retries ran out on ambiguous answers). */
export async function inspectDrAction(
  deps: ActivityDeps,
  t: DrActionTarget
): Promise<{ state: ActionState; status: string }> {
  try {
    const dr = await deps.dws.getDisasterRecovery(t.projectId, t.drId);
    return { state: actionStateOf(dr, t), status: dr.status };
  } catch (err) {
    throw toActivityFailure(err);
  }
}
