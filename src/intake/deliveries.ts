/**
 * What happens to an alert delivery once parsed: map its alerts to pairs, then per pair start or join the failover
 * (firing) or record the resolve (resolved), all pairs at once. Answers 202 only when every pair is recorded.
 */
import { workflowIds } from '../shared/constants';
import { pairPolicy, startFailover } from '../temporal/start-failover';
import type { AlertDelivery } from './alert';
import { temporalUnavailable, withinDeadline, type IntakeDeps } from './deps';
import { HttpError } from './http';
import { mapAlerts, type PairAlerts, type UnmappedAlert } from './mapping';
import { recordResolved } from './resolved';
import { alertReason, alertTrigger } from './trigger';

/** One pair's line in the answer. */
export interface PairAnswer {
  pair: string;
  project_id: string;
  disaster_recovery_id: string;
  workflow_id: string;
  run_id: string | null;
  status: 'firing' | 'resolved';
  action: 'started' | 'joined' | 'recorded' | 'cancelled' | 'no-running-failover';
  joined: boolean;
  trigger_id: string;
  failed_cluster_id: string | null;
}

async function dispatchPair(
  deps: IntakeDeps,
  delivery: AlertDelivery,
  group: PairAlerts,
  receivedAt: Date
): Promise<PairAnswer> {
  const { projectId, drId, name } = group.target;
  const trigger = alertTrigger(delivery, group, receivedAt);
  const base = {
    pair: name,
    project_id: projectId,
    disaster_recovery_id: drId,
    workflow_id: workflowIds.failover(projectId, drId),
    status: group.status,
    trigger_id: trigger.id,
    failed_cluster_id: group.failedClusterId,
  };
  if (group.status === 'firing') {
    const started = await withinDeadline(deps, () =>
      startFailover(deps.client, deps.config, {
        projectId,
        drId,
        reason: alertReason(delivery, group),
        trigger,
        ...(group.failedClusterId ? { failedClusterId: group.failedClusterId } : {}),
      })
    );
    const action = started.joined ? 'joined' : 'started';
    deps.metrics.workflows.inc({ source: delivery.source, result: action });
    return { ...base, run_id: started.runId, action, joined: started.joined };
  }
  const policy = pairPolicy(deps.config, projectId, drId);
  const resolved = await withinDeadline(deps, () => recordResolved(deps.client, base.workflow_id, trigger, policy));
  deps.metrics.workflows.inc({ source: delivery.source, result: resolved.action });
  return { ...base, run_id: resolved.runId, action: resolved.action, joined: resolved.runId !== null };
}

const describeLabels = (labels: Readonly<Record<string, string>>): string =>
  `{${Object.entries(labels)
    .slice(0, 12)
    .map(([k, v]) => `${k}="${v.length > 60 ? `${v.slice(0, 59)}…` : v}"`)
    .join(', ')}}`;

function noPair(unmapped: UnmappedAlert[]): HttpError {
  const first = unmapped[0];
  const more = unmapped.length > 1 ? ` (and ${unmapped.length - 1} more alerts)` : '';
  return new HttpError(
    422,
    'no_pair',
    first
      ? `No alert maps to a DR pair. alerts[${first.index}] with labels ${describeLabels(first.labels)}: ${first.reason}${more}.`
      : 'No alert maps to a DR pair.',
    { unmapped: unmapped.slice(0, 20) }
  );
}

/**
 * Handles a parsed delivery.
 * @returns the 202 body. @throws HttpError 422 when no alert maps to a pair, 503 when Temporal did not record all.
 */
export async function handleDelivery(deps: IntakeDeps, delivery: AlertDelivery, receivedAt: Date): Promise<unknown> {
  if (delivery.ignoredBecause) return { accepted: true, ignored: delivery.ignoredBecause, workflows: [] };
  const { pairs, unmapped } = mapAlerts(delivery.alerts, deps.inventory);
  if (pairs.length === 0) throw noPair(unmapped);
  const settled = await Promise.allSettled(pairs.map((group) => dispatchPair(deps, delivery, group, receivedAt)));
  const done = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = settled.flatMap((s, i) => (s.status === 'rejected' ? [{ pair: pairs[i], error: s.reason }] : []));
  if (failed.length > 0) {
    const names = failed.map((f) => f.pair?.target.name).join(', ');
    deps.logger.warn('Temporal did not record an alert delivery', { source: delivery.source, pairs: names });
    const err = temporalUnavailable(deps, `record the ${delivery.source} alert for ${names}`, failed[0]?.error);
    Object.assign(err.details, { recorded: done });
    throw err;
  }
  for (const a of done) {
    deps.logger.info(`${delivery.source} ${a.status} alert: ${a.action} ${a.workflow_id}`, {
      trigger: a.trigger_id,
      run: a.run_id,
    });
  }
  return {
    accepted: true,
    workflows: done,
    ...(unmapped.length > 0 ? { unmapped: unmapped.slice(0, 20) } : {}),
  };
}
