/**
 * The generic automation API: `POST /v1/failovers` with `{ project_id, disaster_recovery_id, reason,
 * failed_cluster_id?, actor? }` → 202 `{ workflow_id, run_id, joined }`. An `Idempotency-Key` header makes retries
 * of one request a single trigger (counted deliveries); without it every call is a new piece of evidence.
 */
import { z } from 'zod';
import { resolvePair } from '../inventory';
import { SAFE_ID } from '../inventory/schema';
import { startFailover } from '../temporal/start-failover';
import { temporalUnavailable, withinDeadline, type IntakeDeps } from './deps';
import { HttpError, validate } from './http';
import { OTHER_ID_FORMATS, pairIdProblems } from './mapping';
import { apiTrigger } from './trigger';

const id = z.string().regex(SAFE_ID, "must be 1–128 letters, digits, '-', '_' or '.'");

/** The request body. Unknown fields are refused: a misspelt `failed_cluster` must not be silently ignored. */
export const failoverRequestSchema = z.strictObject({
  project_id: id,
  disaster_recovery_id: id,
  reason: z.string().trim().min(1, 'must say why').max(500),
  failed_cluster_id: id.optional(),
  actor: z.string().trim().min(1).max(200).optional(),
});

export type FailoverRequestBody = z.output<typeof failoverRequestSchema>;

/**
 * Validates the body and starts or joins the pair's failover. Ids must have Huawei Cloud's formats (src/shared/ids.ts)
 * unless the inventory lists them.
 * @throws HttpError 400 naming the bad field, 503 when Temporal did not record it.
 */
export async function handleFailoverRequest(
  deps: IntakeDeps,
  body: unknown,
  headers: { idempotencyKey?: string; authMethod: string },
  receivedAt: Date
): Promise<{ workflow_id: string; run_id: string; joined: boolean }> {
  const req = validate(failoverRequestSchema, body, 'failover request');
  // Either side's project names a cross-region pair of the inventory; its runs and trigger ids go by its project_id.
  const { projectId, drId, pair } = resolvePair(deps.inventory, req.project_id, req.disaster_recovery_id);
  const malformed = pairIdProblems(deps.inventory, {
    project: { field: 'project_id', value: req.project_id },
    dr: { field: 'disaster_recovery_id', value: req.disaster_recovery_id },
    cluster: { field: 'failed_cluster_id', value: req.failed_cluster_id },
  });
  if (malformed.length > 0) {
    const problems = malformed.map((p) => p.message);
    const message = `Not a valid failover request: ${problems.join('; ')} (${OTHER_ID_FORMATS}).`;
    throw new HttpError(400, 'invalid_body', message, { problems });
  }
  const actor = req.actor ?? `api (${headers.authMethod})`;
  const trigger = apiTrigger(actor, headers.idempotencyKey, receivedAt, { projectId, drId });
  try {
    const started = await withinDeadline(deps, () =>
      startFailover(deps.client, deps.config, {
        projectId,
        drId,
        reason: req.reason,
        trigger,
        ...(req.failed_cluster_id ? { failedClusterId: req.failed_cluster_id } : {}),
      })
    );
    deps.metrics.workflows.inc({ source: 'api', result: started.joined ? 'joined' : 'started' });
    deps.logger.info(`api failover request: ${started.joined ? 'joined' : 'started'} ${started.workflowId}`, {
      trigger: trigger.id,
      actor,
    });
    return { workflow_id: started.workflowId, run_id: started.runId, joined: started.joined };
  } catch (err) {
    throw temporalUnavailable(deps, `start or join the failover of ${pair?.name ?? req.disaster_recovery_id}`, err);
  }
}
