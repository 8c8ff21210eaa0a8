/**
 * `POST /v1/failovers/{workflowId}/approve` · `/reject` · `/cancel` with `{ comment, digest? }`, by a person the
 * intake verified (identify.ts): the same workflow updates the CLI sends, with a statement the intake signs with its
 * own key to attest who decided and how it knows (docs/intake-identity.md). 200 with what was recorded; 409 when the
 * run's state or its rules do not allow it (the workflow's own validator says why); 404 for an unknown run; 503
 * without the intake's signing key or when Temporal did not answer.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { z } from 'zod';
import { attestedDecision, type VerifiedPerson } from '../identity/attest';
import { innermostMessage } from '../shared/failure-message';
import { approveUpdate, cancelUpdate, rejectUpdate } from '../shared/messages';
import { quote } from '../shared/quote';
import type { AuthResult } from './auth';
import { temporalUnavailable, withinDeadline, type IntakeDeps } from './deps';
import { HttpError, validate } from './http';
import { INTAKE_KEY_HOWTO } from './identity-config';

const ID = /^dws-(failover|switchover|recovery):[A-Za-z0-9][A-Za-z0-9._-]{0,127}:[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** What `evidenceDigest` makes (src/shared/identity.ts): `sha256:` and hex. */
const DIGEST = /^sha256:[0-9a-f]{16,64}$/;

const decisionSchema = z.object({
  /** Optional: the credential names the person; when given it must be the same. */
  actor: z.string().trim().min(1).max(200).optional(),
  comment: z.string().trim().min(1, 'is required: why (a ticket, the reason)').max(2000),
  digest: z.string().trim().regex(DIGEST, 'must be the evidence digest shown by the run (sha256:<hex>)').optional(),
});

export type DecisionKind = 'approve' | 'reject' | 'cancel';

/** The person the route's authentication verified. @throws HttpError 403 when it verified none (a bug in routes). */
function personOf(auth: AuthResult | null): VerifiedPerson {
  if (auth?.person) return auth.person;
  throw new HttpError(403, 'forbidden', 'Decisions take a personal credential (docs/intake-identity.md).');
}

/** 503 for a decision the intake cannot sign: no DWS_FAILOVER_INTAKE_SIGNING_KEY. */
function noSigningKey(kind: DecisionKind): HttpError {
  return new HttpError(
    503,
    'signing_key_missing',
    `The intake cannot ${kind}: it signs every decision it verified with its own key, and DWS_FAILOVER_INTAKE_SIGNING_KEY is not set. Create it with ${INTAKE_KEY_HOWTO}.`
  );
}

/**
 * Reads the decision's body for `person`.
 * @throws HttpError 400 naming the field: no comment, an approval without `digest`, an `actor` that is not `person`.
 */
function readDecision(kind: DecisionKind, body: unknown, person: VerifiedPerson) {
  const input = validate(
    decisionSchema,
    body,
    kind === 'approve' ? 'approval' : kind === 'reject' ? 'rejection' : 'cancel'
  );
  if (kind === 'approve' && input.digest === undefined) {
    const problem =
      'digest: is required: the evidence digest you approve, `approval.digest` of GET /v1/failovers/{workflow_id} (the approval is void if the facts behind it changed)';
    throw new HttpError(400, 'invalid_body', `Not a valid approval: ${problem}.`, { problems: [problem] });
  }
  if (input.actor !== undefined && input.actor !== person.actor) {
    const problem = `actor: is ${quote(input.actor)}, but your credential names ${quote(person.actor)}; leave actor out (the credential says who decides)`;
    throw new HttpError(400, 'invalid_body', `Not a valid decision: ${problem}.`, { problems: [problem] });
  }
  return { comment: input.comment, digest: input.digest ?? null };
}

/**
 * Sends the decision of the verified person to the latest run of `workflowId`, signed by the intake's key.
 * @throws HttpError 400 (bad body), 403, 404, 409, 503 (no signing key, Temporal).
 */
export async function handleDecision(
  deps: IntakeDeps,
  workflowId: string,
  kind: DecisionKind,
  body: unknown,
  auth: AuthResult | null
): Promise<{ workflow_id: string; run_id: string; decision: DecisionKind; recorded: unknown }> {
  const person = personOf(auth);
  if (!ID.test(workflowId)) {
    throw new HttpError(
      404,
      'not_found',
      `${quote(workflowId)} is not a workflow id of this service (dws-failover:{project_id}:{dr_id}).`
    );
  }
  const key = deps.signingKey;
  if (!key) throw noSigningKey(kind);
  const decision = readDecision(kind, body, person);
  const update = kind === 'approve' ? approveUpdate : kind === 'reject' ? rejectUpdate : cancelUpdate;
  try {
    return await withinDeadline(deps, async () => {
      const description = await deps.client.workflow.getHandle(workflowId).describe();
      if (description.status.name !== 'RUNNING') {
        throw new HttpError(
          409,
          'not_running',
          `${workflowId} is not running (${description.status.name}); nothing to ${kind}.`
        );
      }
      const handle = deps.client.workflow.getHandle(workflowId, description.runId);
      const args = attestedDecision(
        key,
        person,
        { action: kind, workflowId, runId: description.runId, ...decision },
        deps.now()
      );
      const recorded = await handle.executeUpdate(update as typeof approveUpdate, { args: [args] });
      deps.logger.info('Decision recorded', { workflowId, kind, actor: person.actor, via: args.via });
      return { workflow_id: workflowId, run_id: description.runId, decision: kind, recorded };
    });
  } catch (err) {
    if (err instanceof HttpError) throw err;
    if (err instanceof WorkflowUpdateFailedError) {
      throw new HttpError(409, 'refused', `${workflowId} refused to ${kind}: ${innermostMessage(err)}`);
    }
    if (err instanceof WorkflowNotFoundError)
      throw new HttpError(404, 'not_found', `No workflow ${workflowId} is known to Temporal.`);
    throw temporalUnavailable(deps, `${kind} ${workflowId} (is a worker running?)`, err);
  }
}
