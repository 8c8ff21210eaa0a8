/**
 * The second half of an operation on the fenced protocol: the request (request-protocol.ts), then following the
 * pair until the change is confirmed on two read paths and has settled (DESIGN §2 phases 3–4).
 */
import { CancellationScope, isCancellation, log, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { innermostMessage } from '../../shared/failure-message';
import { REFUSED_OUTCOME, SUCCESS_OUTCOME } from '../../shared/outcomes';
import type { OperationPolicy } from '../../shared/policy';
import type { OperationReport } from '../../shared/operation-model';
import { takenRequestSentAt } from '../../shared/request-verdict';
import { RETRY } from '../retry-profiles';
import { enterPhase } from './state';
import type { OperationContext } from './operation-context';
import { requestFenced, type FencedOutcome } from './request-protocol';

/** The follow is one long activity that heartbeats; its retries are not history events. */
function followOptions(policy: OperationPolicy): ActivityOptions {
  return {
    startToCloseTimeout: `${policy.completionTimeoutSeconds + 120}s`,
    // It heartbeats every 2 s whatever the poll interval: a dead worker is noticed this fast.
    heartbeatTimeout: `${policy.heartbeatTimeoutSeconds}s`,
    retry: RETRY.following,
  };
}

/**
 * How long the change must hold once confirmed: 2 s, judged on readings a second apart (poll-plan.ts). Runs started
 * before the adaptive follow held it for two poll intervals (2–30 s); the activity's input is not replayed.
 */
const SETTLE_MS = 2_000;

/** Sends the request under the fence and follows the operation to its report. */
export async function followFenced(ctx: OperationContext): Promise<OperationReport> {
  const { operation, state, policy, target, main, notify, end, cancelled } = ctx;
  const follows = proxyActivities<Activities>(followOptions(policy));
  let fenced: FencedOutcome;
  try {
    fenced = await main.run(() => requestFenced(ctx));
  } catch (err) {
    if (!isCancellation(err)) throw err;
    return cancelled();
  }
  if (fenced.kind === 'refused') {
    const why = fenced.refusal === 'auth' ? 'The credentials were refused' : 'The request was refused';
    return end(REFUSED_OUTCOME[operation], `${why}: ${state.request.lastError ?? fenced.note}`);
  }

  const confirmed = fenced.kind === 'taken';
  const last = state.request.log?.[state.request.log.length - 1];
  state.request = {
    ...state.request,
    accepted: confirmed,
    confirmed,
    acceptedAt: fenced.at,
    disposition:
      last?.answer === 'accepted' ? 'accepted' : fenced.known === 'done' ? 'already-swapped' : 'already-in-progress',
    requestId: fenced.requestId,
  };
  state.inServiceHands = true;
  if (operation === 'failover') {
    const lastSync = state.snapshot.standbyLastSuccessTime;
    state.dataLossWindowSeconds = lastSync ? Math.max(0, (Date.parse(fenced.at) - Date.parse(lastSync)) / 1000) : null;
  }
  await notify(
    'request-sent',
    confirmed
      ? `${operation} request accepted`
      : `${operation} request unconfirmed: it may have been taken (${fenced.note}); following the pair`
  );

  enterPhase(state, 'polling', confirmed ? undefined : `unconfirmed: ${fenced.note}`);
  try {
    const result = await main.run(() =>
      follows.followDrAction({
        ...target,
        pollIntervalMs: policy.pollIntervalSeconds * 1000,
        deadline: new Date(Date.parse(fenced.at) + policy.completionTimeoutSeconds * 1000).toISOString(),
        known: fenced.known,
        settleMs: SETTLE_MS,
        acceptedAt: fenced.at,
        ...takenRequestSentAt(state.request.log ?? [], state.timeline),
      })
    );
    const { failedWithoutChange, lastError, known, awaitingStandbySync, ...completion } = result;
    state.completion = completion;
    if (result.completed) {
      state.request.confirmed = true;
      return await end(SUCCESS_OUTCOME[operation]);
    }
    if (result.swappedBack) {
      return await end(
        'swapped-back',
        `Confirmed on ${completion.confirmedBy?.join(', ') ?? 'two read paths'}, then primary ${completion.lastPrimaryClusterId} again at ${completion.observedAt}.`
      );
    }
    if (failedWithoutChange) {
      return await end(
        REFUSED_OUTCOME[operation],
        `The service ran the ${operation} but it ended with status ${result.lastStatus} and no change.`
      );
    }
    const seen = `Last status seen: ${result.lastStatus ?? 'none'}${lastError ? `; last error: ${lastError}` : ''}.${
      // Follows scheduled before this return nothing here: their note stays as it was.
      awaitingStandbySync
        ? ` The pair runs, but its standby has not synced since the request (last sync ${awaitingStandbySync.lastSync ?? 'never'}): a recovery counts once it has, since the service may show running while it works.`
        : ''
    }`;
    return await end(
      'timed-out',
      confirmed || known !== 'not-started'
        ? seen
        : `Unconfirmed: the request may have been taken (${fenced.note}), but no read path ever showed it. ${seen}`
    );
  } catch (err) {
    if (isCancellation(err)) return CancellationScope.nonCancellable(() => cancelled());
    const why = innermostMessage(err);
    log.error('Following the operation failed', { error: why });
    return end('timed-out', `Following the operation failed: ${why}.`);
  }
}
