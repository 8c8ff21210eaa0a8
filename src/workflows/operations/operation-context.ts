/**
 * What the request-and-follow half of an operation needs from the run that reached it: its state, policy, target,
 * the cancellation scope, and how it ends. Shared by the fenced request protocol and the legacy path that runs
 * started before it finish on.
 */
import type { CancellationScope } from '@temporalio/workflow';
import type { OperationPolicy } from '../../shared/policy';
import type { DrOperation, OperationReport, OperationState, Outcome } from '../../shared/operation-model';
import type { Prechecked, Targeted } from '../../shared/operation-phases';
import type { Notifier } from '../notify';

/** The pair and roles an operation acts on, fixed by the pre-checks. */
export interface OperationTarget {
  operation: DrOperation;
  projectId: string;
  drId: string;
  oldPrimaryId: string;
  newPrimaryId: string;
  preStatus: string | undefined;
  /** The standby's last sync at the pre-checks (see DrActionTarget.preLastSync). */
  preLastSync?: string | null;
  /** A cross-region pair: the project the request goes through (request-protocol.ts chooses it). */
  via?: string;
}

export interface OperationContext {
  operation: DrOperation;
  /** Past the gate: the pre-checks found the pair and the run chose its roles. */
  state: Targeted<Prechecked<OperationState>>;
  policy: OperationPolicy;
  target: OperationTarget;
  /** Cancelled by the cancel update or a Temporal cancellation. */
  main: CancellationScope;
  notify: Notifier;
  /** Ends the run with an outcome: the report, and the notification that goes with it. */
  end: (outcome: Outcome, note?: string) => Promise<OperationReport>;
  /** Ends the run as cancelled (before the request: cleanly; after it: only the waiting stopped). */
  cancelled: () => Promise<OperationReport>;
}
