/**
 * What one DWS request's outcome means for the run, as data both sides of the activity boundary share. The DWS side
 * (`src/dws/request-outcome.ts`) is the only code that looks at an error or an answer and names its reason; this
 * module says, once, what each reason means: taken, surely not taken, maybe taken, or refused for good, and which
 * failure type carries it across the boundary. Sandbox-safe: the workflow and the report read it too.
 */
import { ErrorType, type ErrorTypeName } from './errors';
import type { RequestRecord } from './operation-model';

/**
 * - `accepted`: the service took the request (2xx).
 * - `refused`: the service surely did not take it, and asking again may work (429, no connection was ever made).
 * - `ambiguous`: it may have reached the service (5xx, 408, a reset, a timeout, a malformed 2xx): a read may
 *   retry it at once, a mutating request only under the exactly-once protocol (request-protocol.ts).
 * - `final`: refused for good (4xx, credentials, not found) or it could not be built: no retry helps.
 */
export type VerdictKind = 'accepted' | 'refused' | 'ambiguous' | 'final';

/** Why, in one word: the table below turns it into a kind and a failure type. */
export type VerdictReason =
  | 'accepted'
  | 'throttled'
  | 'not-connected'
  | 'server-error'
  | 'request-timeout'
  | 'timeout'
  | 'connection-lost'
  | 'bad-response'
  | 'unknown'
  | 'not-found'
  | 'auth'
  | 'rejected'
  | 'invalid-input';

const REASONS: { readonly [R in VerdictReason]: { kind: VerdictKind; type: ErrorTypeName | null } } = {
  accepted: { kind: 'accepted', type: null },
  throttled: { kind: 'refused', type: ErrorType.DwsUnavailable },
  'not-connected': { kind: 'refused', type: ErrorType.DwsUnavailable },
  'server-error': { kind: 'ambiguous', type: ErrorType.DwsUnavailable },
  'request-timeout': { kind: 'ambiguous', type: ErrorType.DwsUnavailable },
  timeout: { kind: 'ambiguous', type: ErrorType.DwsUnavailable },
  'connection-lost': { kind: 'ambiguous', type: ErrorType.DwsUnavailable },
  // Anything the client did not name (a bug, an abort): treated as possibly sent, and retried like an outage.
  unknown: { kind: 'ambiguous', type: ErrorType.DwsUnavailable },
  'bad-response': { kind: 'ambiguous', type: ErrorType.DwsBadResponse },
  'not-found': { kind: 'final', type: ErrorType.DwsNotFound },
  auth: { kind: 'final', type: ErrorType.DwsAuthFailed },
  rejected: { kind: 'final', type: ErrorType.DwsRequestRejected },
  'invalid-input': { kind: 'final', type: ErrorType.InvalidInput },
};

/** The verdict on one request's outcome. Plain data: it travels in an `ApplicationFailure`'s details. */
export interface RequestVerdict {
  kind: VerdictKind;
  reason: VerdictReason;
  /** The `ApplicationFailure` type that carries it across the activity boundary; null only when accepted. */
  type: ErrorTypeName | null;
  /** Wait at least this long before asking again: `Retry-After` of a 429 or a 5xx; null leaves it to backoff. */
  retryAfterMs: number | null;
  /** What the service answered, when it answered. */
  status: number | null;
  errorCode: string | null;
  requestId: string | null;
}

/** A verdict on a failed call: never `accepted`, always with a failure type. */
export type FailureVerdict = RequestVerdict & { kind: Exclude<VerdictKind, 'accepted'>; type: ErrorTypeName };

/** Builds the verdict for a reason; a retry delay is kept only where asking again is allowed at all. */
export function verdictFor(
  reason: VerdictReason,
  said: Partial<Pick<RequestVerdict, 'retryAfterMs' | 'status' | 'errorCode' | 'requestId'>> = {}
): RequestVerdict {
  const { kind, type } = REASONS[reason];
  return {
    kind,
    reason,
    type,
    retryAfterMs: kind === 'refused' || kind === 'ambiguous' ? (said.retryAfterMs ?? null) : null,
    status: said.status ?? null,
    errorCode: said.errorCode ?? null,
    requestId: said.requestId ?? null,
  };
}

/** Reasons that mean the endpoint did not answer at all (as opposed to answering with an error). */
export function isTransportFailure(v: RequestVerdict): boolean {
  return v.reason === 'not-connected' || v.reason === 'connection-lost' || v.reason === 'timeout';
}

/** How a request attempt is recorded (`RequestRecord.answer`, a payload recorded histories hold). */
export type RequestAnswer = RequestRecord['answer'];

/**
 * The recorded answer of one attempt. `left` says whether the request left the worker at all: one stopped before
 * it was sent (the rate limiter, the IAM token, the attempt's deadline) is `not-sent` whatever stopped it.
 */
export function answerOf(v: RequestVerdict, left: boolean): Exclude<RequestAnswer, 'lost'> {
  if (!left || v.reason === 'not-connected') return 'not-sent';
  switch (v.kind) {
    case 'accepted':
      return 'accepted';
    case 'refused':
      return 'throttled';
    case 'ambiguous':
      return 'ambiguous';
    case 'final':
      return 'refused';
  }
}

/** What a recorded answer means: how the workflow acts on it and how the report explains it. */
export function kindOfAnswer(answer: RequestAnswer): VerdictKind {
  switch (answer) {
    case 'accepted':
      return 'accepted';
    case 'throttled':
    case 'not-sent':
      return 'refused';
    case 'ambiguous':
    case 'lost': // the worker or the attempt was lost: nobody knows what it did
      return 'ambiguous';
    case 'refused':
      return 'final';
  }
}

/** One line for the report per kind. */
export const VERDICT_MEANING: { readonly [K in VerdictKind]: string } = {
  accepted: 'taken by the service',
  refused: 'surely not taken; asked again',
  ambiguous: 'may have been taken',
  final: 'refused for good',
};

/**
 * The earliest time the request the service took may have reached it, for the follow (a recovery is done once the
 * standby synced after it): the first attempt that may have been taken (accepted, ambiguous or lost) — when it
 * left, or, when nobody knows, when the attempt before it ended or the run began requesting. The first, not the
 * last: the fence cannot always see a recovery from `running` that has already finished, and resends (DWS then
 * refuses them), so the attempt the service took may be an early one. Nothing when no attempt of this run may have
 * been taken (the operation was found running or done).
 */
export function takenRequestSentAt(
  log: readonly RequestRecord[],
  timeline: readonly { phase: string; at: string }[]
): { requestSentAt?: string } {
  const i = log.findIndex((r) => r.sent !== false && ['accepted', 'ambiguous'].includes(kindOfAnswer(r.answer)));
  if (i < 0) return {};
  const requestingAt = timeline[lastIndex(timeline, (e) => e.phase === 'requesting')]?.at;
  const at = log[i]?.sentAt ?? log[i - 1]?.endedAt ?? requestingAt;
  return at === undefined ? {} : { requestSentAt: at };
}

function lastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i] as T)) return i;
  return -1;
}
