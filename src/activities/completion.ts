/**
 * Waits for the role swap (DESIGN §2 phase 4). A heartbeat loop inside one activity: the history stays constant
 * however long the operation runs, and a new worker resumes from the heartbeat details after a crash.
 */
import { activityInfo, heartbeat, log, sleep } from '@temporalio/activity';
import { classifyDrStatus, clusterHealth } from '../dws/model';
import type { CompletionResult } from '../shared/types';
import type { ActivityDeps } from './deps';
import { describeError } from './failure';

export interface CompletionInput {
  projectId: string;
  drId: string;
  oldPrimaryId: string;
  newPrimaryId: string;
  pollIntervalMs: number;
  /** Give up (completed: false) at this time (ISO). */
  deadline: string;
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
 * Polls the DR detail until `primary_cluster.id` is the old standby and the status is stable, then confirms the
 * new primary is available. Unknown statuses mean "still running"; poll errors are tolerated until the deadline.
 */
export async function awaitFailoverCompletion(
  deps: ActivityDeps,
  input: CompletionInput
): Promise<CompletionResult & { failedWithoutSwap: boolean; lastError: string | null }> {
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
  const done = (
    completed: boolean,
    failedWithoutSwap = false
  ): CompletionResult & { failedWithoutSwap: boolean; lastError: string | null } => ({
    completed,
    failedWithoutSwap,
    polls: memo.polls,
    pollErrors: memo.pollErrors,
    lastStatus: memo.lastStatus,
    lastPrimaryClusterId: memo.lastPrimaryClusterId,
    newPrimaryHealth,
    observedAt: now().toISOString(),
    lastError: memo.lastError,
  });

  for (;;) {
    try {
      const dr = await deps.dws.getDisasterRecovery(input.projectId, input.drId);
      memo.polls += 1;
      memo.lastStatus = dr.status;
      memo.lastPrimaryClusterId = dr.primary_cluster.id;
      const kind = classifyDrStatus(dr.status);
      if (kind !== 'stable') memo.sawInProgress = true;
      if (dr.primary_cluster.id === input.newPrimaryId && kind === 'stable') {
        const cluster = await deps.dws.getCluster(input.projectId, input.newPrimaryId);
        newPrimaryHealth = cluster.status;
        if (clusterHealth(cluster.status) === 'healthy') return done(true);
      } else if (dr.primary_cluster.id === input.oldPrimaryId && kind === 'stable' && memo.sawInProgress) {
        // The service worked on it and settled without swapping the roles: the failover failed on its side.
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
