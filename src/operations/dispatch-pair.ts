/**
 * What an alert does to one pair, the one way both paths do it: the intake for a single-pair delivery, the delivery
 * workflow's activity for the pairs of a larger one. Firing starts or joins the pair's failover (signal-with-start);
 * resolved is recorded on the running failover and cancels it where the pair's policy allows (signed by the intake's
 * key, DWS_FAILOVER_INTAKE_SIGNING_KEY, in whichever process dispatches: the worker needs it too for large deliveries).
 */
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import { resolvePair } from '../inventory';
import { workflowIds } from '../shared/constants';
import { pairReason, pairTrigger, type DeliveryHeader, type DeliveryPair, type PairDispatch } from '../shared/delivery';
import { recordResolved } from './resolved';
import { pairPolicy, startFailover } from './start-failover';

/**
 * Dispatches one pair of a delivery. Idempotent per trigger id: a repeat joins the same run and is counted as a
 * delivery, never stored twice.
 * @throws whatever Temporal throws (callers answer 503, or the activity retries).
 */
export async function dispatchPair(
  client: Client,
  config: Config,
  header: DeliveryHeader,
  pair: DeliveryPair
): Promise<PairDispatch> {
  // The intake names pairs by the inventory's project_id already; one named by its other side's project goes there too.
  const { projectId, drId } = resolvePair(config.inventory, pair.projectId, pair.drId);
  const trigger = pairTrigger(header, pair);
  const workflowId = workflowIds.failover(projectId, drId);
  if (pair.status === 'firing') {
    const started = await startFailover(client, config, {
      projectId,
      drId,
      reason: pairReason(header, pair),
      trigger,
      ...(pair.failedClusterId ? { failedClusterId: pair.failedClusterId } : {}),
    });
    return { workflowId, runId: started.runId, action: started.joined ? 'joined' : 'started' };
  }
  const policy = pairPolicy(config, projectId, drId);
  const resolved = await recordResolved(client, workflowId, trigger, policy, config.intake.signingKey);
  return { workflowId, runId: resolved.runId, action: resolved.action };
}
