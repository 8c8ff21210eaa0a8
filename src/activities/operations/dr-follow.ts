/**
 * Follows a taken operation to its end (DESIGN §2 phase 4) without trusting a single read: the change counts once
 * the DR detail shows it, a second path (the DR list) confirms it and the serving cluster is available; the run
 * then watches the pair settle for a while. With many pairs of the project in flight, the shared project-wide
 * lists serve these reads: a list call shows the change, a later one confirms it with the cluster list. Reads are
 * planned around the operation's expected end (poll-plan.ts). A pair seen swapping back after that is reported as such, never as a
 * success. One heartbeating activity: the history stays constant however long the operation runs, and a new
 * worker resumes from the heartbeat details after a crash.
 */
import { activityInfo, log, sleep } from '@temporalio/activity';
import { clusterHealth } from '../../dws/model';
import type { CompletionResult } from '../../shared/operation-model';
import type { DrActionTarget } from './dr-action';
import type { ActivityDeps } from '../deps';
import { describeError } from '../failure';
import { whileAlive } from './keep-alive';
import { serviceEstimateMs } from './operation-durations';
import { expectedDurationMs, nextPollDelay, type PollStage } from './poll-plan';
import { clusterProject, isCrossRegion, topologyOf } from './sites';
import { advance, listView, readDetail, readShared, signOf, type Knowledge, type Sign } from './witness';

export interface FollowInput extends DrActionTarget {
  /**
   * The longest sleep between two reads, and the spacing of the readings a verdict counts (the settle, a swap
   * back). The activity reads more often around the expected end of the operation (poll-plan.ts).
   */
  pollIntervalMs: number;
  /** When the service took the request (ISO). @default when this follow was first scheduled */
  acceptedAt?: string;
  /** Give up (completed: false) at this time (ISO). */
  deadline: string;
  /** What the run knows already (a sign seen while requesting is never forgotten). */
  known: Knowledge;
  /** How long the change must hold after it was confirmed. */
  settleMs: number;
}

export interface FollowOutcome extends CompletionResult {
  /** The service was seen working and the pair settled without the change: it failed on the service's side. */
  failedWithoutChange: boolean;
  lastError: string | null;
  known: Knowledge;
  /**
   * A recovery whose last reading showed the pair running with its primary, but the standby not synced since the
   * request (recovery-proof rule, dr-action.ts): its last sync then (the wire's form, null when never).
   */
  awaitingStandbySync: { lastSync: string | null } | null;
}

interface FollowMemo {
  polls: number;
  pollErrors: number;
  lastStatus: string | null;
  lastPrimaryClusterId: string | null;
  known: Knowledge;
  /** The detail itself showed the operation running (not only another path). */
  detailSawWorking: boolean;
  confirmedAt: string | null;
  confirmedBy: string[];
  newPrimaryHealth: string | null;
  /** Consecutive readings without the change, after it was confirmed or seen running. */
  without: number;
  lastError: string | null;
  awaitingStandbySync: { lastSync: string | null } | null;
}

/** Readings in a row that must show the old state before the run believes it (a lagging read is not proof). */
const CONSECUTIVE = 2;

/** Polls until the change is confirmed and settled, seen undone, seen failed, or the deadline passes. */
export async function followDrAction(deps: ActivityDeps, input: FollowInput): Promise<FollowOutcome> {
  const now = deps.now ?? (() => new Date());
  const memo: FollowMemo = {
    polls: 0,
    pollErrors: 0,
    lastStatus: null,
    lastPrimaryClusterId: null,
    known: input.known,
    detailSawWorking: false,
    confirmedAt: null,
    confirmedBy: [],
    newPrimaryHealth: null,
    without: 0,
    lastError: null,
    awaitingStandbySync: null,
    ...(activityInfo().heartbeatDetails as Partial<FollowMemo> | undefined),
  };
  const deadline = Date.parse(input.deadline);
  const key = { projectId: input.projectId, drId: input.drId, operation: input.operation };
  const accepted = input.acceptedAt ? Date.parse(input.acceptedAt) : NaN;
  const acceptedAtMs = Number.isFinite(accepted) ? accepted : activityInfo().scheduledTimestampMs;
  const learnedMs = deps.durations?.expectedMs(key) ?? null;
  let serviceMs: number | null = null;
  /** Start of the last reading without the change, and the duration seen once the change shows (this attempt). */
  let lastWithoutAt: number | null = null;
  let tookMs: number | null = null;
  const serving = input.operation === 'recovery' ? input.oldPrimaryId : input.newPrimaryId;
  const end = (completed: boolean, extra: Partial<FollowOutcome> = {}): FollowOutcome => ({
    completed,
    failedWithoutChange: false,
    swappedBack: false,
    confirmedBy: memo.confirmedBy,
    polls: memo.polls,
    pollErrors: memo.pollErrors,
    lastStatus: memo.lastStatus,
    lastPrimaryClusterId: memo.lastPrimaryClusterId,
    newPrimaryHealth: memo.newPrimaryHealth,
    observedAt: memo.confirmedAt ?? now().toISOString(),
    lastError: memo.lastError,
    awaitingStandbySync: memo.awaitingStandbySync,
    known: memo.known,
    ...extra,
  });

  return whileAlive(memo, async (alive) => {
    // Read once, beside the first poll, when the pair has no history here; the plan uses it once it arrives.
    // Not while reads are shared: a progress read per pair would double what a pair costs at region scale.
    if (learnedMs === null && !sharesReads(deps, input)) {
      void serviceEstimateMs(deps.dws, key, alive.signal).then((ms) => {
        serviceMs = ms;
      });
    }
    for (;;) {
      const readAt = now().getTime();
      // Polls yield to pre-checks and requests under the rate limit: an RTO waits on those, not on a poll.
      // Many pairs of the project in flight: the shared project-wide list serves this read (shared-reads.ts).
      const read = sharesReads(deps, input) ? readShared : readDetail;
      const { reading, dr, site } = await read(deps, input, memo.known !== 'not-started', {
        signal: alive.signal,
        priority: 'low',
      });
      memo.polls += 1;
      if (!dr) {
        memo.pollErrors += 1;
        memo.lastError = reading.observed;
        log.warn('Completion poll failed; will retry until the deadline', {
          drId: input.drId,
          error: reading.observed,
        });
      } else {
        memo.lastStatus = dr.status;
        const runs = dr.status === 'running' && dr.primary_cluster.id === input.oldPrimaryId;
        memo.awaitingStandbySync =
          input.operation === 'recovery' && runs && reading.sign !== 'done'
            ? { lastSync: dr.standby_cluster.last_success_time }
            : null;
        memo.lastPrimaryClusterId = dr.primary_cluster.id;
        memo.known = advance(memo.known, reading.sign === 'unreadable' ? 'unknown' : toState(reading.sign));
        if (reading.sign === 'in-progress') memo.detailSawWorking = true;
        if (reading.sign === 'done') {
          // The change happened between the last reading without it and this one.
          if (tookMs === null && lastWithoutAt !== null) tookMs = (lastWithoutAt + readAt) / 2 - acceptedAtMs;
          memo.without = 0;
          if (memo.confirmedAt === null) await confirm(deps, input, serving, memo, alive.signal, site);
          else if (now().getTime() - Date.parse(memo.confirmedAt) >= input.settleMs) {
            if (tookMs !== null) deps.durations?.record(key, tookMs);
            return end(true);
          }
        } else if (reading.sign === 'none') {
          memo.without += 1;
          if (memo.confirmedAt !== null && input.operation !== 'recovery' && memo.without >= CONSECUTIVE) {
            log.error('The pair swapped back after the change was confirmed', { drId: input.drId });
            return end(false, { swappedBack: true, observedAt: now().toISOString() });
          }
          if (memo.confirmedAt === null && memo.detailSawWorking && memo.without >= CONSECUTIVE) {
            return end(false, { failedWithoutChange: true });
          }
        }
        if (reading.sign !== 'done') lastWithoutAt = readAt;
      }
      // The periodic heartbeat carries it: a follow reads up to twice a second, a region's worth of them at once.
      alive.note(memo);
      const delay = nextPollDelay({
        elapsedMs: now().getTime() - acceptedAtMs,
        expectedMs: expectedDurationMs(learnedMs, serviceMs),
        maxIntervalMs: input.pollIntervalMs,
        stage: stageOf(memo, dr !== null, reading.sign),
      });
      if (now().getTime() + delay > deadline) return end(false);
      await sleep(delay);
    }
  });
}

/** Reads are served by the project's shared lists: many of its pairs in flight, and the pair in one region. */
function sharesReads(deps: ActivityDeps, t: FollowInput): boolean {
  return deps.shared?.shares(t.projectId) === true && !isCrossRegion(topologyOf(deps, t.projectId, t.drId));
}

/** What the follow waits for after a reading (see {@link PollStage}). */
function stageOf(memo: FollowMemo, read: boolean, sign: Sign): PollStage {
  // Readings a verdict counts keep the run's poll interval between them: a lagging replica may answer twice.
  if (memo.confirmedAt !== null || (memo.detailSawWorking && memo.without > 0)) return 'judging';
  if (!read) return 'read-failed';
  return sign === 'done' ? 'unconfirmed' : 'running';
}

function toState(sign: 'done' | 'in-progress' | 'none'): Knowledge {
  return sign === 'none' ? 'not-started' : sign;
}

/** The second witness: the DR list shows the change too, and the serving cluster is available. */
async function confirm(
  deps: ActivityDeps,
  t: FollowInput,
  serving: string,
  memo: FollowMemo,
  signal: AbortSignal,
  /** The project whose copy showed the change (a cross-region pair); its list confirms it. */
  site?: string
): Promise<void> {
  try {
    const shared = sharesReads(deps, t) ? deps.shared : null;
    const topology = topologyOf(deps, t.projectId, t.drId);
    const options = { signal, priority: 'low' as const };
    // Both at once. Shared: a later list call than the one that showed the change (nothing is cached), and the
    // cluster list; else the pair's list item and the serving cluster's detail.
    const [items, health] = await Promise.all(
      shared
        ? [
            shared.drs(t.projectId, options).then((r) => r.items),
            shared.clusters(t.projectId, options).then((r) => r.items.find((c) => c.id === serving) ?? null),
          ]
        : [
            deps.dws.listDisasterRecoveries(site ?? t.projectId, { id: t.drId }, options),
            deps.dws.getCluster(clusterProject(topology, t.projectId, serving), serving, options),
          ]
    );
    const item = items.find((i) => i.id === t.drId);
    if (!item || signOf(listView(item), t, true) !== 'done') return;
    if (!health) return;
    memo.newPrimaryHealth = health.status;
    if (clusterHealth(health.status) !== 'healthy') return;
    memo.confirmedAt = new Date().toISOString();
    memo.confirmedBy = [
      shared ? 'list' : 'detail',
      shared ? 'list (a later call)' : 'list',
      `cluster ${serving} ${health.status}`,
    ];
  } catch (err) {
    memo.pollErrors += 1;
    memo.lastError = describeError(err);
  }
}
