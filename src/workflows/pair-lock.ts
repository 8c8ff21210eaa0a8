/**
 * One operation at a time per DR pair, held through Temporal itself rather than a list query (visibility can lag
 * seconds behind on a SQL-backed cluster): the pair's lock is a child workflow with the pair's lock id
 * (`dws-lock:{project}:{dr}`). Starting it is the acquisition: Temporal refuses a second running workflow with that
 * id, atomically, for every worker and every starter. It does nothing and ends only when its holder closes (parent
 * close policy TERMINATE), so a lock is never left behind, and a holder that sent its request keeps the lock until
 * its follow has seen the operation end.
 *
 * An incident takes the lock before its pre-checks and waits for a holder to finish (src/activities/pair-lock.ts);
 * a switchover, a recovery and a drill's legs take it right before their request and give way when it is held.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { CancellationScope, condition, ParentClosePolicy, startChild } from '@temporalio/workflow';
import { workflowIds } from '../shared/constants';

/** The lock itself: runs until its holder closes. */
export async function pairLockWorkflow(): Promise<void> {
  await condition(() => false);
}

/**
 * Takes the pair's lock for the calling workflow, for the rest of its run.
 * @returns false when another workflow holds it.
 */
export async function acquirePairLock(projectId: string, drId: string): Promise<boolean> {
  try {
    // Not cancellable: cancelling the holder (after its request left) must not release the pair under it.
    await CancellationScope.nonCancellable(() =>
      startChild(pairLockWorkflow, {
        workflowId: workflowIds.pairLock(projectId, drId),
        parentClosePolicy: ParentClosePolicy.TERMINATE,
      })
    );
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}
