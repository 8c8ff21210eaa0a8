/**
 * The generic automation API: `POST /v1/failovers` with `{ project_id, disaster_recovery_id, reason,
 * failed_cluster_id?, actor? }` → 202 `{ workflow_id, run_id, joined }`. An `Idempotency-Key` header makes retries
 * of one request a single trigger (counted deliveries); without it every call is a new piece of evidence.
 *
 * With the shared token the start is unsigned (source `api`, `actor` as given). With a person's own credential the
 * person is the actor and the intake signs the start for them (docs/intake-identity.md).
 */
import { z } from 'zod';
import { attestedStart, type VerifiedPerson } from '../identity/attest';
import type { DecisionProof } from '../shared/identity';
import { resolvePair } from '../inventory';
import { SAFE_ID } from '../inventory/schema';
import { workflowIds } from '../shared/constants';
import { quote } from '../shared/quote';
import { startFailover } from '../operations/start-failover';
import { temporalUnavailable, withinDeadline, type IntakeDeps } from './deps';
import { HttpError, validate } from './http';
import { INTAKE_KEY_HOWTO } from './identity-config';
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
 * The intake's signed statement of `person`'s start of `workflowId`.
 * @throws HttpError 400 when the body's `actor` is someone else, 503 without the intake's signing key.
 */
function personalStart(
  deps: IntakeDeps,
  person: VerifiedPerson,
  req: FailoverRequestBody,
  workflowId: string
): DecisionProof {
  if (req.actor !== undefined && req.actor !== person.actor) {
    const problem = `actor: is ${quote(req.actor)}, but your credential names ${quote(person.actor)}; leave actor out (the credential says who starts)`;
    throw new HttpError(400, 'invalid_body', `Not a valid failover request: ${problem}.`, { problems: [problem] });
  }
  if (!deps.signingKey) {
    throw new HttpError(
      503,
      'signing_key_missing',
      `The intake cannot start a failover for ${person.actor}: it signs every start it verified with its own key, and DWS_FAILOVER_INTAKE_SIGNING_KEY is not set. Create it with ${INTAKE_KEY_HOWTO}.`
    );
  }
  return attestedStart(deps.signingKey, person, { workflowId, reason: req.reason }, deps.now());
}

/**
 * Validates the body and starts or joins the pair's failover. Ids must have Huawei Cloud's formats (src/shared/ids.ts)
 * unless the inventory lists them.
 * @throws HttpError 400 naming the bad field, 503 when Temporal did not record it.
 */
export async function handleFailoverRequest(
  deps: IntakeDeps,
  body: unknown,
  headers: { idempotencyKey?: string; authMethod: string; person?: VerifiedPerson },
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
  const { person } = headers;
  const actor = person?.actor ?? req.actor ?? `api (${headers.authMethod})`;
  const trigger = apiTrigger(actor, headers.idempotencyKey, receivedAt, { projectId, drId });
  const proof = person ? personalStart(deps, person, req, workflowIds.failover(projectId, drId)) : undefined;
  try {
    const started = await withinDeadline(deps, () =>
      startFailover(deps.client, deps.config, {
        projectId,
        drId,
        reason: req.reason,
        trigger,
        ...(req.failed_cluster_id ? { failedClusterId: req.failed_cluster_id } : {}),
        ...(proof ? { proof } : {}),
      })
    );
    deps.metrics.workflows.inc({ source: 'api', result: started.joined ? 'joined' : 'started' });
    deps.logger.info(`api failover request: ${started.joined ? 'joined' : 'started'} ${started.workflowId}`, {
      trigger: trigger.id,
      actor,
      signed: person ? `${person.method} (${person.detail})` : 'no',
    });
    return { workflow_id: started.workflowId, run_id: started.runId, joined: started.joined };
  } catch (err) {
    throw temporalUnavailable(deps, `start or join the failover of ${pair?.name ?? req.disaster_recovery_id}`, err);
  }
}
