/**
 * The failover request: `POST …/failover`, accepted at most once per workflow (DESIGN §2 phase 3).
 *
 * Every attempt reads the DR first. If the failover is already running or done, nothing is sent. After an attempt
 * whose answer was ambiguous (500, timeout, reset: the service may have accepted it), the next attempt also waits
 * out the read-after-write window, reading the DR, before it dares to send again. What earlier attempts did travels
 * in the heartbeat details, which Temporal hands to the next attempt.
 */
import { activityInfo, heartbeat, log, sleep } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { DrDetailWire } from '../dws/types';
import { classifyDrStatus, parseDwsTime } from '../dws/model';
import { ErrorType } from '../shared/errors';
import type { FailoverRequestResult } from '../shared/types';
import type { ActivityDeps } from './deps';
import { classify, describeError, toActivityFailure } from './failure';

export interface FailoverRequestInput {
  projectId: string;
  drId: string;
  /** The primary when the pre-checks ran: the cluster being failed away from. */
  oldPrimaryId: string;
  /** The standby that is to become the primary. */
  newPrimaryId: string;
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

/** What the DR detail says about our failover. */
export function failoverStateOf(
  dr: DrDetailWire,
  oldPrimaryId: string,
  newPrimaryId: string
): 'swapped' | 'in-progress' | 'unchanged' {
  if (dr.primary_cluster.id === newPrimaryId) return 'swapped';
  if (dr.primary_cluster.id === oldPrimaryId && classifyDrStatus(dr.status) !== 'stable') return 'in-progress';
  return 'unchanged';
}

const READ_POLL_MS = 500;

/** Sends the failover request unless it is already running or done. @throws ApplicationFailure (typed). */
export async function requestFailover(deps: ActivityDeps, input: FailoverRequestInput): Promise<FailoverRequestResult> {
  const info = activityInfo();
  const memo: AttemptMemo = {
    requestsSent: 0,
    lastSentAt: null,
    lastAnswer: null,
    ...(info.heartbeatDetails as Partial<AttemptMemo> | undefined),
  };
  const now = deps.now ?? (() => new Date());
  const result = (
    disposition: FailoverRequestResult['disposition'],
    dr: DrDetailWire | null,
    requestId: string | null
  ): FailoverRequestResult => {
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

  let dr = await read();
  let state = failoverStateOf(dr, input.oldPrimaryId, input.newPrimaryId);
  const mayHaveBeenAccepted = info.attempt > 1 && memo.lastAnswer !== 'refused';
  if (state === 'swapped') return result('already-swapped', dr, null);
  if (state === 'in-progress') {
    if (mayHaveBeenAccepted || memo.lastSentAt) return result('already-in-progress', dr, null);
    throw ApplicationFailure.create({
      type: ErrorType.DwsRequestRejected,
      nonRetryable: true,
      message: `DR ${input.drId} has an operation in flight (status ${dr.status}) that this workflow did not start; not sending a failover over it.`,
    });
  }
  if (dr.primary_cluster.id !== input.oldPrimaryId) {
    throw ApplicationFailure.create({
      type: ErrorType.DwsRequestRejected,
      nonRetryable: true,
      message: `DR ${input.drId}: primary is ${dr.primary_cluster.id}, neither the old primary ${input.oldPrimaryId} nor the standby ${input.newPrimaryId}; the pair changed under us.`,
    });
  }

  if (mayHaveBeenAccepted) {
    // The earlier request may have been accepted while reads still show the old state: wait out that window.
    const since = memo.lastSentAt ? Date.parse(memo.lastSentAt) : info.currentAttemptScheduledTimestampMs;
    while (now().getTime() < since + input.readAfterWriteWindowMs) {
      heartbeat(memo);
      await sleep(Math.min(READ_POLL_MS, Math.max(50, since + input.readAfterWriteWindowMs - now().getTime())));
      dr = await read();
      state = failoverStateOf(dr, input.oldPrimaryId, input.newPrimaryId);
      if (state === 'swapped') return result('already-swapped', dr, null);
      if (state === 'in-progress') return result('already-in-progress', dr, null);
    }
    log.info('No sign of an earlier failover request after the read-after-write window; sending again', {
      drId: input.drId,
    });
  }

  memo.lastSentAt = now().toISOString();
  memo.lastAnswer = 'ambiguous';
  heartbeat(memo);
  try {
    const answer = await deps.dws.failover(input.projectId, input.drId);
    memo.requestsSent += 1;
    log.info('Failover request accepted', { drId: input.drId, requestId: answer.requestId });
    return result('accepted', dr, answer.requestId);
  } catch (err) {
    const e = err as { status?: number; errorCode?: string | null; requestMayHaveBeenSent?: boolean };
    if (e.requestMayHaveBeenSent !== false) memo.requestsSent += 1;
    if (e.status === 429 || e.requestMayHaveBeenSent === false) memo.lastAnswer = 'refused';
    heartbeat(memo);
    const c = classify(err);
    if (!c.retryable && e.status !== undefined && e.status < 500) {
      // A refusal because a failover is already running counts as "already in progress", not as a failure.
      const after = await read();
      const s = failoverStateOf(after, input.oldPrimaryId, input.newPrimaryId);
      if (s === 'swapped') return result('already-swapped', after, null);
      if (s === 'in-progress') return result('already-in-progress', after, null);
    }
    log.warn('Failover request failed', { drId: input.drId, error: describeError(err), retryable: c.retryable });
    throw toActivityFailure(err);
  }
}

/** Reads where the failover stands (used after the request's retries ran out). */
export async function inspectFailover(
  deps: ActivityDeps,
  input: Pick<FailoverRequestInput, 'projectId' | 'drId' | 'oldPrimaryId' | 'newPrimaryId'>
): Promise<{ state: 'swapped' | 'in-progress' | 'unchanged'; status: string }> {
  try {
    const dr = await deps.dws.getDisasterRecovery(input.projectId, input.drId);
    return { state: failoverStateOf(dr, input.oldPrimaryId, input.newPrimaryId), status: dr.status };
  } catch (err) {
    throw toActivityFailure(err);
  }
}
