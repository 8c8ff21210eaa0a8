/**
 * What a run tells the worker process about itself, through Temporal workflow sinks (no history events): each phase
 * it enters and how it ended. The worker turns these into metrics (src/observability/worker-metrics.ts).
 */
import type { Sinks } from '@temporalio/workflow';
import type { DrOperation, OperationPhase, Outcome } from './operation-model';

export interface PhaseEvent {
  operation: DrOperation;
  phase: OperationPhase;
  /** When the run entered the phase (workflow time, ISO 8601). */
  at: string;
}

export interface EndEvent {
  operation: DrOperation;
  outcome: Outcome;
  /** Set for a completed operation (failed-over, switched-over, recovered). */
  rtoSeconds: number | null;
  /** The data-loss window measured at the switch; null when unknown. */
  dataLossWindowSeconds: number | null;
}

export interface OperationSinks extends Sinks {
  operations: {
    phase(event: PhaseEvent): void;
    ended(event: EndEvent): void;
  };
}
