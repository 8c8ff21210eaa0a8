/**
 * Phase guards: what a phase has surely set, as types. Code that knows a run passed a phase asks once and then reads
 * the fields without `!` or a second null check. Each guard checks every field it promises, never the `phase` alone:
 * a run that ended early, or a state recorded by an older version, is judged by what it holds. `!= null` because an
 * older version's state may lack a field altogether (undefined counts as unset).
 */
import type { ApprovalState, DrSnapshot, OperationState, RunEnd } from './operation-model';

/** A state whose pre-checks found the pair (operation.ts: `apply`): the snapshot, and the name read with it. */
export type Prechecked<S extends OperationState = OperationState> = S & { snapshot: DrSnapshot; drName: string };

/** A state whose roles are chosen (operation.ts, once the gate let the run through): both primaries, old and new. */
export type Targeted<S extends OperationState = OperationState> = S & {
  oldPrimaryClusterId: string;
  newPrimaryClusterId: string;
};

/** A state whose gate opened and has no decision yet: the run waits there, or ended there (cancelled). */
export type UndecidedGate<S extends OperationState = OperationState> = S & {
  approval: ApprovalState & { decision: null };
};

/** A state whose run ended (state.ts: `finish`): the end's fields, as a report has them. */
export type Ended<S extends OperationState = OperationState> = S & RunEnd;

/** True once the pre-checks found the pair. */
export function prechecked<S extends OperationState>(s: S): s is Prechecked<S> {
  return s.snapshot != null && s.drName != null;
}

/** True once the run chose the clusters its request swaps; a role is a cluster id, never empty. */
export function targeted<S extends OperationState>(s: S): s is Targeted<S> {
  return Boolean(s.oldPrimaryClusterId) && Boolean(s.newPrimaryClusterId);
}

/** True while the gate is open and undecided (and for a run that ended at an undecided gate). */
export function undecidedGate<S extends OperationState>(s: S): s is UndecidedGate<S> {
  return s.approval != null && s.approval.decision === null;
}

/** True once the run ended: outcome, summary and end time are set together. */
export function ended<S extends OperationState>(s: S): s is Ended<S> {
  return s.outcome != null && s.summary != null && s.endedAt != null;
}
