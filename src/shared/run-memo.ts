/**
 * The memo every operation run carries, so a list of runs (the Temporal Web UI, `dws-failover runs`) shows the pair,
 * the kind, the trigger and, once it ended, the outcome, RTO and who decided, without reading each run's history.
 * Sandbox-safe.
 */
import { breakGlassUses } from './decision-record';
import type { DrOperation, OperationReport, OperationState, Trigger } from './operation-model';

/** The memo of a run: the first three fields from its start, the rest once it ended. Never a secret. */
export interface RunMemo {
  kind: DrOperation | 'drill';
  /** `<project id>/<DR id>`, the form `--pair` accepts. */
  pair: string;
  /** Who or what started it: `cli alice@host`, `alertmanager <receiver>`… */
  trigger: string;
  outcome?: string;
  rtoSeconds?: number | null;
  decidedBy?: string;
  /** The DR's name as the service reported it. */
  drName?: string | null;
}

/** `source actor` of a trigger, e.g. `cli alice@host`. */
export const triggerLabel = (t: Pick<Trigger, 'source' | 'actor'>): string => `${t.source} ${t.actor}`;

/**
 * Who decided how the run ended: the person who cancelled (or Temporal itself, unverified), the approver (both on a
 * critical pair) or the gate's timeout, else the trigger that started it (no gate: the policy let the trigger
 * decide). Led by `BREAK-GLASS` when a break-glass key decided anything in the run.
 */
export function decidedBy(s: Pick<OperationState, 'cancellation' | 'approval' | 'trigger' | 'startedBy'>): string {
  const loud = breakGlassUses(s).length > 0 ? 'BREAK-GLASS ' : '';
  return `${loud}${decider(s)}`;
}

function decider(s: Pick<OperationState, 'cancellation' | 'approval' | 'trigger'>): string {
  if (s.cancellation) {
    return s.cancellation.identity === null
      ? 'cancelled through Temporal (unverified)'
      : `cancelled by ${s.cancellation.actor}`;
  }
  const a = s.approval;
  if (a?.decision === 'timed-out') return 'nobody (approval timed out)';
  if (a?.decision === 'approved' && (a.approvals?.length ?? 0) > 1) {
    return `approved by ${(a.approvals ?? []).map((r) => r.actor).join(' and ')}`;
  }
  if (a?.decision && a.actor) return `${a.decision} by ${a.actor}`;
  return triggerLabel(s.trigger);
}

/** The memo fields a run sets when it starts. */
export function startMemo(kind: RunMemo['kind'], projectId: string, drId: string, trigger: Trigger): RunMemo {
  return { kind, pair: `${projectId}/${drId}`, trigger: triggerLabel(trigger) };
}

/** The memo fields a run sets when it ends. */
export function endMemo(s: OperationReport): Partial<RunMemo> {
  return { outcome: s.outcome, rtoSeconds: s.rtoSeconds, decidedBy: decidedBy(s), drName: s.drName };
}
