/**
 * Waits for an accepted operation to finish (DESIGN §2 phase 4). A heartbeat loop inside one activity: the history
 * stays constant however long the operation runs, and a new worker resumes from the heartbeat details after a crash.
 */
import { activityInfo, heartbeat, log, sleep } from '@temporalio/activity';
import { classifyDrStatus, clusterHealth } from '../../dws/model';
import type { CompletionResult } from '../../shared/operation-model';
import type { ActivityDeps } from '../deps';
import { actionStateOf, type DrActionTarget } from './dr-action';
import { describeError } from '../failure';

export interface CompletionInput extends DrActionTarget {
  pollIntervalMs: number;
  /** Give up (completed: false) at this time (ISO). */
  deadline: string;
}

export interface CompletionOutcome extends CompletionResult {
  /** The service worked on it and settled without the expected change: it failed on the service's side. */
  failedWithoutChange: boolean;
  lastError: string | null;
}

interface PollMemo {
  polls: number;
  pollErrors: number;
  lastStatus: string | null;
  lastPrimaryClusterId: string | null;
  /** Seen a transitional or unknown status since the request: the service started working on it. */
  sawInProgress: boolean;
  lastError: string | null;
}

/**
 * Polls the DR detail until the operation is done and the status is stable, then confirms the serving primary is
 * available. Unknown statuses mean "still running"; poll errors are tolerated until the deadline.
 */
export async function awaitDrAction(deps: ActivityDeps, input: CompletionInput): Promise<CompletionOutcome> {
  const now = deps.now ?? (() => new Date());
  const memo: PollMemo = {
    polls: 0,
    pollErrors: 0,
    lastStatus: null,
    lastPrimaryClusterId: null,
    sawInProgress: false,
    lastError: null,
    ...(activityInfo().heartbeatDetails as Partial<PollMemo> | undefined),
  };
  const deadline = Date.parse(input.deadline);
  let newPrimaryHealth: string | null = null;
  const done = (completed: boolean, failedWithoutChange = false): CompletionOutcome => ({
    completed,
    failedWithoutChange,
    polls: memo.polls,
    pollErrors: memo.pollErrors,
    lastStatus: memo.lastStatus,
    lastPrimaryClusterId: memo.lastPrimaryClusterId,
    newPrimaryHealth,
    observedAt: now().toISOString(),
    lastError: memo.lastError,
  });
  const serving = input.operation === 'recovery' ? input.oldPrimaryId : input.newPrimaryId;

  for (;;) {
    try {
      // Polls yield to pre-checks and requests under the rate limit: an RTO waits on those, not on a poll.
      const dr = await deps.dws.getDisasterRecovery(input.projectId, input.drId, { priority: 'low' });
      memo.polls += 1;
      memo.lastStatus = dr.status;
      memo.lastPrimaryClusterId = dr.primary_cluster.id;
      const kind = classifyDrStatus(dr.status);
      if (kind !== 'stable') memo.sawInProgress = true;
      const state = actionStateOf(dr, input, memo.sawInProgress);
      if (state === 'done' && kind === 'stable') {
        const cluster = await deps.dws.getCluster(input.projectId, serving, { priority: 'low' });
        newPrimaryHealth = cluster.status;
        if (clusterHealth(cluster.status) === 'healthy') return done(true);
      } else if (state === 'not-started' && memo.sawInProgress) {
        return done(false, true);
      }
    } catch (err) {
      memo.pollErrors += 1;
      memo.lastError = describeError(err);
      log.warn('Completion poll failed; will retry until the deadline', { drId: input.drId, error: memo.lastError });
    }
    heartbeat(memo);
    if (now().getTime() + input.pollIntervalMs > deadline) return done(false);
    await sleep(input.pollIntervalMs);
  }
}
