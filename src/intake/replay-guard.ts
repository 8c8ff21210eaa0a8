/**
 * Replay protection across intake replicas. The ReplayCache refuses a replay within one process at once; Temporal,
 * the only state the replicas share, refuses it on the others: each signed request starts a guard workflow whose id
 * is its signature (src/workflows/deliveries/signature-guard.ts), and a second start of that id fails while the signature's
 * timestamp is inside the window. A request that is not answered 2xx gives both back, so its sender may retry it.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { workflowIds } from '../shared/constants';
import type { signatureGuardWorkflow } from '../workflows/deliveries/signature-guard';
import { unauthorized } from './auth';
import { temporalUnavailable, withinDeadline, type IntakeDeps } from './deps';
import type { Answer } from './http';
import type { Reservation } from './signatures';

/**
 * How long a guard may outlive its window when no worker runs it: long after its timestamp is refused anyway, and
 * short enough that a namespace without a worker does not keep guards running for ever.
 */
const GUARD_GRACE_MS = 24 * 60 * 60 * 1000;

/**
 * Answers one request while holding its signature (`reservation`, from authenticate): starts the signature's guard,
 * runs `respond` with what is left of the request's Temporal deadline, then keeps the signature after a 2xx answer
 * and gives it back (reservation and guard, in the background) otherwise. Without a reservation (bearer, PagerDuty) it only responds.
 * @throws HttpError 401 for a signature another request holds (on any replica), 503 when Temporal did not record the
 *   guard; whatever `respond` throws.
 */
export async function holdingSignature(
  deps: IntakeDeps,
  reservation: Reservation | undefined,
  respond: (deps: IntakeDeps) => Promise<Answer>
): Promise<Answer> {
  if (!reservation) return respond(deps);
  const started = Date.now();
  let runId: string;
  try {
    runId = await startGuard(deps, reservation);
  } catch (err) {
    reservation.release();
    throw err;
  }
  const left = { ...deps, temporalTimeoutMs: Math.max(1, deps.temporalTimeoutMs - (Date.now() - started)) };
  // Giving the signature back is not awaited: the answer must leave within the request's deadline, and a sender
  // retries a 503 only after its Retry-After.
  let answer: Answer;
  try {
    answer = await respond(left);
  } catch (err) {
    void release(deps, reservation, runId);
    throw err;
  }
  if (answer.status < 300) reservation.keep();
  else void release(deps, reservation, runId);
  return answer;
}

/** Starts the guard of `reservation`'s signature. @returns its run id. @throws HttpError 401 (replay) or 503. */
async function startGuard(deps: IntakeDeps, reservation: Reservation): Promise<string> {
  const workflowId = workflowIds.signatureGuard(reservation.signature);
  const claim = randomUUID();
  const delayMs = Math.max(1000, reservation.untilMs - Date.now());
  try {
    const handle = await withinDeadline(deps, () =>
      deps.client.workflow.start<typeof signatureGuardWorkflow>('signatureGuardWorkflow', {
        workflowId,
        taskQueue: deps.config.temporal.taskQueue,
        // Running, its first task delayed, until the timestamp leaves the window: a second start fails. A terminated
        // guard (a released signature) lets a retry start a new one; a completed one keeps refusing, so an intake
        // whose clock lags cannot accept the signature after the window.
        startDelay: delayMs,
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        workflowExecutionTimeout: delayMs + GUARD_GRACE_MS,
        memo: { claim },
      })
    );
    return handle.firstExecutionRunId;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      throw unauthorized(
        'This signature was already used, or is in use by a request still being handled, on this or another intake ' +
          'replica: a replayed request is refused.'
      );
    }
    // Temporal may have recorded the start although its answer was lost: undo it, or the retry would be a "replay".
    void abandon(deps, workflowId, claim);
    throw temporalUnavailable(deps, 'record the signature of this signed request (replay protection)', err);
  }
}

/** Gives the signature back: terminates this request's guard (best effort) and drops the reservation. */
async function release(deps: IntakeDeps, reservation: Reservation, runId: string): Promise<void> {
  const workflowId = workflowIds.signatureGuard(reservation.signature);
  try {
    await withinDeadline(deps, () =>
      deps.client.workflow.getHandle(workflowId, runId).terminate('not answered 2xx: the sender may retry it')
    );
  } catch (err) {
    deps.logger.warn('signature guard not released: a retry of this signed request is refused until its window ends', {
      workflowId,
      error: String(err),
    });
  } finally {
    reservation.release();
  }
}

/** Terminates the guard `workflowId` if this request's start (`claim`) created it; never throws. */
async function abandon(deps: IntakeDeps, workflowId: string, claim: string): Promise<void> {
  try {
    await withinDeadline(deps, async () => {
      const description = await deps.client.workflow.getHandle(workflowId).describe();
      if (description.memo?.claim !== claim || description.status.name !== 'RUNNING') return;
      await deps.client.workflow.getHandle(workflowId, description.runId).terminate('its start was not confirmed');
    });
  } catch {
    // Not recorded, or Temporal is still out of reach: nothing to undo, or nothing that can be undone now.
  }
}
