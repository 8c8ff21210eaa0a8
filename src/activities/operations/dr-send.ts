/**
 * One attempt of an operation's mutating request — `POST …/failover`, `…/switchover` or `…/recovery` — under the
 * fenced request protocol (DESIGN §2 phase 3). The workflow decides whether to send (again); this activity makes
 * exactly one attempt and cannot outlive its lease:
 * - it never lets the request leave after `notAfter` (minus a clock-skew margin), and its exchange ends by
 *   `endBy`, so an attempt Temporal gave up on can no longer send behind the next one's back;
 * - its waits (rate limiter, the exchange) abort when Temporal cancels it or declares it lost;
 * - it heartbeats the moment of sending, so a worker that dies mid-request still leaves that fact behind.
 * It answers with what happened instead of throwing, so the workflow's history records every attempt.
 */
import { log } from '@temporalio/activity';
import { requestVerdict } from '../../dws/request-outcome';
import type { DrActionTarget } from './dr-action';
import type { ActivityDeps } from '../deps';
import { answerOf, isTransportFailure, type RequestAnswer } from '../../shared/request-verdict';
import { describeError } from '../failure';
import { keepAlive } from './keep-alive';

/** Worker and Temporal clocks may differ by this much (README § The guarantee). */
export const CLOCK_SKEW_MARGIN_MS = 2_000;

export interface SendInput extends DrActionTarget {
  attempt: number;
  /** The request must not leave after this moment (ISO, workflow time). */
  notAfter: string;
  /** The exchange must be over by this moment (ISO, workflow time). */
  endBy: string;
}

/** Heartbeat details of a send attempt: the workflow reads them when the attempt was lost. */
export interface SendHeartbeat {
  attempt: number;
  sentAt: string | null;
}

/** What one attempt came to; `answer` is the classifier's verdict as the request log records it (`answerOf`). */
export interface SendOutcome {
  answer: Exclude<RequestAnswer, 'lost'>;
  sent: boolean;
  sentAt: string | null;
  endedAt: string;
  status: number | null;
  errorCode: string | null;
  requestId: string | null;
  /** From `Retry-After` (429, 503). */
  retryAfterMs: number | null;
  /** `auth` for 401/403, so the report can say the credentials were refused. */
  refusal: 'auth' | 'rejected' | null;
  /** The endpoint could not be reached at all (no connection, or it timed out connecting): surely not taken. */
  unreachable?: boolean;
  message: string;
}

class NotSent extends Error {}

/** Through the project the workflow chose (a cross-region pair's standby region), else the pair's own. */
function post(deps: ActivityDeps, t: SendInput, options: Parameters<ActivityDeps['dws']['failover']>[2]) {
  const project = t.via ?? t.projectId;
  switch (t.operation) {
    case 'failover':
      return deps.dws.failover(project, t.drId, options);
    case 'switchover':
      return deps.dws.switchover(project, t.drId, options);
    case 'recovery':
      return deps.dws.recovery(project, t.drId, options);
  }
}

/** Makes one attempt of the operation's request. Never throws for a DWS answer; see {@link SendOutcome}. */
export async function sendDrAction(deps: ActivityDeps, input: SendInput): Promise<SendOutcome> {
  const now = deps.now ?? (() => new Date());
  const notAfter = Date.parse(input.notAfter) - CLOCK_SKEW_MARGIN_MS;
  const endBy = Date.parse(input.endBy) - CLOCK_SKEW_MARGIN_MS;
  const beat: SendHeartbeat = { attempt: input.attempt, sentAt: null };
  // The first heartbeat is not throttled: in the common case it is the one that records the moment of sending.
  const alive = keepAlive(beat);
  const deadline = AbortSignal.timeout(Math.max(0, notAfter - now().getTime()));
  let sentAt: string | null = null;
  const outcome = (fields: Partial<SendOutcome> & Pick<SendOutcome, 'answer' | 'message'>): SendOutcome => ({
    sent: sentAt !== null,
    sentAt,
    endedAt: now().toISOString(),
    status: null,
    errorCode: null,
    requestId: null,
    retryAfterMs: null,
    refusal: null,
    ...fields,
  });
  try {
    const answer = await post(deps, input, {
      // Until the request leaves, both Temporal's cancellation and the attempt's own deadline stop it.
      signal: AbortSignal.any([alive.signal, deadline]),
      timeoutMs: endBy - now().getTime(),
      beforeSend: () => {
        if (alive.signal.aborted) throw new NotSent('Temporal gave up on this attempt before it could send');
        if (now().getTime() > notAfter) throw new NotSent('the attempt reached its deadline before it could send');
        sentAt = now().toISOString();
        alive.update({ ...beat, sentAt } satisfies SendHeartbeat);
      },
    });
    log.info('Request accepted', { drId: input.drId, operation: input.operation, requestId: answer.requestId });
    return outcome({ answer: 'accepted', status: 200, requestId: answer.requestId, message: 'accepted' });
  } catch (err) {
    if (err instanceof NotSent || (sentAt === null && (alive.signal.aborted || deadline.aborted))) {
      const message = err instanceof NotSent ? err.message : 'stopped before sending: the attempt ran out of time';
      return outcome({ answer: 'not-sent', message });
    }
    const verdict = requestVerdict(err);
    const answer = answerOf(verdict, sentAt !== null);
    log.warn('Request failed', {
      drId: input.drId,
      operation: input.operation,
      attempt: input.attempt,
      answer,
      error: describeError(err),
    });
    return outcome({
      answer,
      // A request that did not leave, or never connected, cannot have reached the service; the endpoint may be
      // down for good (no connection, or it timed out connecting), which a cross-region pair's route needs to know.
      ...(answer === 'not-sent' ? { sent: false, unreachable: isTransportFailure(verdict) } : {}),
      retryAfterMs: answer === 'throttled' || answer === 'ambiguous' ? verdict.retryAfterMs : null,
      refusal: answer === 'refused' ? (verdict.reason === 'auth' ? 'auth' : 'rejected') : null,
      status: verdict.status,
      errorCode: verdict.errorCode,
      requestId: verdict.requestId,
      message: describeError(err),
    });
  } finally {
    alive.stop();
  }
}
