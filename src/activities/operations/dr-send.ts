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
import type { DwsError } from '../../dws/errors';
import type { DrActionTarget } from './dr-action';
import type { ActivityDeps } from '../deps';
import { ErrorType } from '../../shared/errors';
import { classify, describeError } from '../failure';
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

export interface SendOutcome {
  answer: 'accepted' | 'refused' | 'throttled' | 'ambiguous' | 'not-sent';
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

/**
 * Sorts a failed exchange: surely not taken, refused for good, or possibly taken. The project's one classification
 * (`classify`) decides what is final; only "was it sent at all" and "429 is not ambiguous" are added here.
 */
function classifyFailure(err: unknown, sent: boolean): Pick<SendOutcome, 'answer' | 'refusal' | 'retryAfterMs'> {
  const c = classify(err);
  const e = err as { status?: number; requestMayHaveBeenSent?: boolean };
  if (!sent || e.requestMayHaveBeenSent === false) return { answer: 'not-sent', refusal: null, retryAfterMs: null };
  if (!c.retryable) {
    return { answer: 'refused', refusal: c.type === ErrorType.DwsAuthFailed ? 'auth' : 'rejected', retryAfterMs: null };
  }
  // A 429 is the gateway's refusal; 5xx, 408, a reset, a timeout or a malformed 2xx may have been taken.
  return { answer: e.status === 429 ? 'throttled' : 'ambiguous', refusal: null, retryAfterMs: c.nextRetryDelayMs };
}

/** A network error or a timeout that never connected: the endpoint does not answer (not our own deadline). */
function isUnreachable(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'DWS_NETWORK_ERROR' || code === 'DWS_TIMEOUT';
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
    const e = err as Partial<DwsError> & { status?: number };
    const sorted = classifyFailure(err, sentAt !== null);
    log.warn('Request failed', {
      drId: input.drId,
      operation: input.operation,
      attempt: input.attempt,
      answer: sorted.answer,
      error: describeError(err),
    });
    return outcome({
      ...sorted,
      // No connection was ever made: the request cannot have reached the service.
      ...(sorted.answer === 'not-sent' ? { sent: false, unreachable: isUnreachable(err) } : {}),
      status: typeof e.status === 'number' ? e.status : null,
      errorCode: (e as { errorCode?: string | null }).errorCode ?? null,
      requestId: (e as { requestId?: string | null }).requestId ?? null,
      message: describeError(err),
    });
  } finally {
    alive.stop();
  }
}
