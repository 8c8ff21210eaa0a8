/**
 * `readinessWorkflow` (DESIGN §4): on a schedule, checks every pair of the worker's inventory (would a failover
 * work now, when did a drill last prove it, do its drill schedules run when due), compares with the previous
 * run's result and notifies the pair's targets of what changed. Id `dws-readiness` (scheduled runs add a timestamp).
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import {
  changesOf,
  DEFAULT_MAX_DRILL_AGE_SECONDS,
  type PairReadiness,
  type ReadinessEvent,
  type ReadinessInput,
  type ReadinessNotice,
  type ReadinessNoticeKind,
  type ReadinessReport,
} from '../../shared/drill-readiness';
import { innermostMessage } from '../../shared/failure-message';
import { RETRY } from '../retry-profiles';

/** Reads of the pairs and of Temporal; a pair that stays unreadable is reported not ready, not retried forever. */
const acts = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: RETRY.shortReads,
});

/** Notices: one post per target; a receiver that is down for five minutes misses this one (the report keeps it). */
const notices = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '5 minutes',
  retry: RETRY.notices,
});

/** Pairs checked at once: enough for hundreds of pairs per run, gentle on the DWS rate limit. */
const PARALLEL_PAIRS = 10;

const TITLES: Readonly<Record<ReadinessNoticeKind, string>> = {
  'pair-not-ready': 'Pair not ready to fail over',
  'pair-ready-again': 'Pair ready to fail over again',
  'drill-missed': 'Scheduled drill did not run',
  'drill-overdue': 'Drill overdue',
  'drill-failed': 'Drill failed',
};

const samePair = (a: Pick<PairReadiness, 'projectId' | 'drId'>, b: Pick<PairReadiness, 'projectId' | 'drId'>) =>
  a.projectId === b.projectId && a.drId === b.drId;

/** Checks every pair, notifies what changed since the previous run, and returns the table. */
export async function readinessWorkflow(input: ReadinessInput = {}): Promise<ReadinessReport> {
  const info = workflowInfo();
  // The run's limit; a pair's own `max_drill_age` (inventory policy) wins in assessPairReadiness.
  const maxDrillAgeSeconds = input.maxDrillAgeSeconds ?? DEFAULT_MAX_DRILL_AGE_SECONDS;
  const pairs = await acts.readinessPairs();
  const results: PairReadiness[] = [];
  for (let i = 0; i < pairs.length; i += PARALLEL_PAIRS) {
    const batch = pairs.slice(i, i + PARALLEL_PAIRS).map(({ targets: _targets, ...p }) =>
      acts.assessPairReadiness({
        ...p,
        maxDrillAgeSeconds,
        ...(input.missedGraceSeconds !== undefined ? { missedGraceSeconds: input.missedGraceSeconds } : {}),
      })
    );
    results.push(...(await Promise.all(batch)));
  }
  const previous = await acts.previousReadiness();

  const sent: Promise<ReadinessNotice>[] = [];
  for (const current of results) {
    const targets = pairs.find((p) => samePair(p, current))?.targets ?? 0;
    for (const change of changesOf(
      previous?.pairs.find((p) => samePair(p, current)),
      current
    )) {
      const notice: ReadinessNotice = {
        kind: change.kind,
        pair: current.pair,
        projectId: current.projectId,
        drId: current.drId,
        key: change.key,
        summary: change.summary,
        delivered: null,
        error: null,
      };
      if (input.notify === false || targets === 0) {
        sent.push(Promise.resolve(notice));
        continue;
      }
      const event: ReadinessEvent = {
        kind: change.kind,
        title: TITLES[change.kind],
        summary: change.summary,
        operation: 'readiness',
        workflowId: info.workflowId,
        projectId: current.projectId,
        drId: current.drId,
        pair: current.pair,
        at: new Date().toISOString(),
        outcome: null,
        dataLossWindowSeconds: current.dataLossWindowSeconds,
        actor: null,
        comment: null,
      };
      sent.push(
        notices.sendReadinessNotice(event).then(
          (r) => ({ ...notice, delivered: r.delivered }),
          (err: unknown) => ({ ...notice, error: innermostMessage(err) })
        )
      );
    }
  }
  return {
    kind: 'readiness',
    workflowId: info.workflowId,
    runId: info.runId,
    checkedAt: new Date().toISOString(),
    maxDrillAgeSeconds,
    previousRun: previous ? `${previous.workflowId} (${previous.checkedAt})` : null,
    pairs: results,
    notices: await Promise.all(sent),
  };
}
