/**
 * The fenced request protocol (DESIGN §2 phase 3; README § The guarantee). The decision to send — and to send
 * again — lives here, in the workflow, where the history records it. Each attempt is one activity that makes one
 * POST and cannot send after its own deadline. After an ambiguous attempt (a 5xx, a reset, a timeout, a lost
 * worker) the next one is allowed only once a durable fence has passed — the end of that attempt plus the
 * read-after-write window — while every read path showed no sign of the operation. Knowledge only moves forward,
 * and running out of attempts after an ambiguous one never means "refused": the run follows the pair, unconfirmed.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  log,
  proxyActivities,
  sleep,
  TimeoutFailure,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { Activities, SendHeartbeat, SendOutcome } from '../../activities';
import { innermostMessage } from '../../shared/failure-message';
import { advance, type Knowledge } from '../../shared/knowledge';
import type { OperationPolicy } from '../../shared/policy';
import type { RequestRecord } from '../../shared/operation-model';
import { kindOfAnswer } from '../../shared/request-verdict';
import { describeSite, type PairSite } from '../../shared/topology';
import { RETRY } from '../retry-profiles';
import type { OperationContext } from './operation-context';
import { chooseEndpoint, type RouteChoice } from './route';

/** An attempt must send within this long of being scheduled (rate limiter and authentication included) … */
export const SEND_WINDOW_MS = 10_000;
/** … and its exchange must be over this long after that; the attempt is lost if it has not answered by then. */
export const EXCHANGE_ALLOWANCE_MS = 20_000;

/** How a run's request ended. */
export interface FencedOutcome {
  /** `taken`: accepted, or seen running or done; `unconfirmed`: it may have been taken; `refused`: it was not. */
  kind: 'taken' | 'unconfirmed' | 'refused';
  known: Knowledge;
  /** When the service took it (the accepting answer, or when it was first seen), or the last attempt's end. */
  at: string;
  requestId: string | null;
  note: string;
  /** `auth` when the credentials were refused. */
  refusal: 'auth' | 'rejected' | null;
}

/** One attempt, one POST: the workflow decides every resend, so Temporal retries none. */
function sendOptions(policy: OperationPolicy): ActivityOptions {
  return {
    // Queueing, the send window and the exchange: past this the attempt is lost and the fence starts.
    scheduleToCloseTimeout: `${(SEND_WINDOW_MS + EXCHANGE_ALLOWANCE_MS) / 1000 + 5}s`,
    heartbeatTimeout: `${policy.heartbeatTimeoutSeconds}s`, // a dead worker is noticed this fast
    retry: RETRY.once,
  };
}

/** The fence's watch only reads: Temporal may retry it freely until the fence and a final reading are done. */
function watchOptions(policy: OperationPolicy): ActivityOptions {
  return {
    startToCloseTimeout: `${policy.readAfterWriteWindowSeconds + 120}s`,
    heartbeatTimeout: `${policy.heartbeatTimeoutSeconds}s`,
    retry: RETRY.deadlineReads,
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The heartbeat an attempt left behind when Temporal declared it lost. */
function lastHeartbeat(err: unknown): SendHeartbeat | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  const details = cause instanceof TimeoutFailure ? cause.lastHeartbeatDetails : undefined;
  return details && typeof details === 'object' ? (details as SendHeartbeat) : undefined;
}

function toRecord(attempt: number, out: SendOutcome): RequestRecord {
  return {
    attempt,
    sentAt: out.sentAt,
    endedAt: out.endedAt,
    answer: out.answer,
    sent: out.sent,
    status: out.status,
    errorCode: out.errorCode,
    requestId: out.requestId,
    note: out.message,
  };
}

/** Sends the operation's request at most once in effect, and says how it ended. Cancellable between attempts. */
export async function requestFenced(ctx: OperationContext): Promise<FencedOutcome> {
  const { state, policy, target } = ctx;
  const sends = proxyActivities<Activities>(sendOptions(policy));
  const watch = proxyActivities<Activities>(watchOptions(policy));
  const records: RequestRecord[] = (state.request.log ??= []);
  const windowMs = policy.readAfterWriteWindowSeconds * 1000;
  // A durable timer, not a clock comparison: whether the run gives up must be the same on every replay, and a
  // comparison with Date.now() is not (the first activation after a timed-out workflow task may see another time).
  let outOfTime = false;
  void CancellationScope.nonCancellable(() => sleep(policy.completionTimeoutSeconds * 1000)).then(() => {
    outOfTime = true;
  });
  let known: Knowledge = 'not-started';
  let ambiguous = false;
  /** The end of the last ambiguous attempt; no resend before it plus the window. */
  let fenceFrom: number | null = null;
  let delayMs = policy.requestRetryInitialIntervalSeconds * 1000;
  const backoff = async (atLeastMs = 0): Promise<void> => {
    await sleep(Math.max(delayMs, atLeastMs));
    delayMs = Math.min(delayMs * 2, policy.requestRetryMaxIntervalSeconds * 1000);
  };
  const record = (r: RequestRecord): void => {
    records.push(r);
    state.request.attempts = records.length;
    state.request.sent = records.filter((x) => x.sent === true).length;
    state.request.unknown = records.filter((x) => x.sent === null).length;
    if (kindOfAnswer(r.answer) !== 'accepted')
      state.request.lastError = `attempt ${r.attempt}: ${r.answer} (${r.note})`;
    if (r.sent !== false) state.inServiceHands = true;
  };
  const last = (): RequestRecord | undefined => records[records.length - 1];
  const seen = (at: string, note: string): FencedOutcome => ({
    kind: 'taken',
    known,
    at,
    requestId: null,
    note,
    refusal: null,
  });
  const unconfirmed = (note: string): FencedOutcome => ({
    kind: 'unconfirmed',
    known,
    at: last()?.endedAt ?? iso(Date.now()),
    requestId: null,
    note,
    refusal: null,
  });
  /** One complete reading of every path, now (a fence that has already passed). */
  // A cross-region pair (route.ts): the endpoint of each attempt, and the one an attempt that may have been taken
  // went to — every later attempt goes there too, and only its region's copy can clear the fence.
  const route = state.route;
  let sticky: string | null = null;
  const requestDeadlineMs = Date.now() + policy.completionTimeoutSeconds * 1000;
  const lookNow = async () => {
    const { observation } = await watch.watchDrAction({ ...target, until: iso(Date.now()), known });
    known = advance(known, observation.state);
    return observation;
  };

  for (;;) {
    if (fenceFrom !== null) {
      const until = fenceFrom + windowMs;
      // The watch returns before the fence only with a sign; otherwise with a complete reading taken after it.
      const { observation } = await watch.watchDrAction({ ...target, until: iso(until), known });
      known = advance(known, observation.state);
      if (known !== 'not-started') return seen(observation.observedAt, `seen ${known} on a read path`);
      if (observation.state === 'unknown') {
        // A path could not be read: that proves nothing, so no resend yet.
        if (outOfTime) return unconfirmed('the read paths could not all be read before the deadline');
        await backoff();
        continue;
      }
      fenceFrom = null;
      log.info('The fence passed with no sign of the operation on any read path; sending again', {
        drId: target.drId,
        operation: target.operation,
      });
    }
    if (records.length >= policy.requestMaxAttempts) {
      const why = `no attempt left (${records.length} made)`;
      if (ambiguous) return unconfirmed(`${why}; an earlier attempt may have been taken`);
      const r = last();
      return { kind: 'refused', known, at: r?.endedAt ?? iso(Date.now()), requestId: null, note: why, refusal: null };
    }

    let endpoint: string | undefined;
    if (route) {
      const site: PairSite | undefined = sticky
        ? sticky === route.standby.projectId
          ? route.standby
          : route.primary
        : undefined;
      const choice: RouteChoice = site
        ? { site }
        : await chooseEndpoint(route, state, target, policy, requestDeadlineMs);
      if ('none' in choice) {
        if (ambiguous) return unconfirmed(`an earlier attempt may have been taken; ${choice.none}`);
        return { kind: 'refused', known, at: iso(Date.now()), requestId: null, note: choice.none, refusal: null };
      }
      target.via = choice.site.projectId;
      endpoint = describeSite(choice.site);
    }

    const attempt = records.length + 1;
    const scheduledAt = Date.now();
    const notAfter = scheduledAt + SEND_WINDOW_MS;
    let r: RequestRecord;
    let out: SendOutcome | null = null;
    try {
      // A cancel waits for the attempt: once it may have left, the run must know how it ended.
      out = await CancellationScope.nonCancellable(() =>
        sends.sendDrAction({
          ...target,
          attempt,
          notAfter: iso(notAfter),
          endBy: iso(notAfter + EXCHANGE_ALLOWANCE_MS),
        })
      );
      r = toRecord(attempt, out);
    } catch (err) {
      if (!(err instanceof ActivityFailure) || err.cause instanceof ApplicationFailure) throw err;
      const beat = lastHeartbeat(err);
      r = {
        attempt,
        sentAt: beat?.sentAt ?? null,
        // Lost: it cannot have sent after its own deadline, so the fence starts no earlier than that.
        endedAt: iso(Math.max(Date.now(), notAfter)),
        answer: 'lost',
        sent: beat?.sentAt ? true : null,
        status: null,
        errorCode: null,
        requestId: null,
        note: `the attempt was lost (${innermostMessage(err)})`,
      };
    }
    if (endpoint) r.endpoint = endpoint;
    record(r);
    if (route && kindOfAnswer(r.answer) === 'ambiguous') sticky ??= target.via ?? null;
    if (route && out?.unreachable && target.via === route.primary.projectId) route.primaryDownSince ??= r.endedAt;

    // The classifier's verdict, as recorded (shared/request-verdict.ts): one branch per kind.
    switch (kindOfAnswer(r.answer)) {
      case 'accepted':
        known = advance(known, 'in-progress');
        return { kind: 'taken', known, at: r.endedAt, requestId: r.requestId, note: 'accepted', refusal: null };
      case 'refused': // surely not taken (429, no connection, stopped before sending): ask again after a pause
        await backoff(out?.retryAfterMs ?? 0);
        continue;
      case 'ambiguous': // may have been taken (5xx, reset, timeout, a lost attempt): only past the fence
        ambiguous = true;
        fenceFrom = Math.max(Date.now(), Date.parse(r.endedAt));
        continue;
      case 'final': {
        // Refused because it already runs (a lagging read, or our own earlier attempt): look before deciding.
        const o = await lookNow();
        if (known !== 'not-started') return seen(o.observedAt, `refused (${r.note}), but seen ${known}`);
        if (ambiguous) return unconfirmed(`refused (${r.note}) after an attempt that may have been taken`);
        return {
          kind: 'refused',
          known,
          at: r.endedAt,
          requestId: r.requestId,
          note: r.note,
          refusal: out?.refusal ?? null,
        };
      }
    }
  }
}
