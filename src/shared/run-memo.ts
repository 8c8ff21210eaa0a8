/**
 * The memo every operation run carries, so a list of runs (the Temporal Web UI, `dws-failover runs`) shows the pair,
 * the kind, the trigger and, once it ended, the outcome, RTO and who decided, without reading each run's history.
 * Sandbox-safe.
 */
import type { DrOperation, FailoverReport, FailoverState, Trigger } from './types';

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
 * Who decided how the run ended: the person who cancelled, the approver (or the gate's timeout), else the trigger
 * that started it (no gate: the policy let the trigger decide).
 */
export function decidedBy(s: Pick<FailoverState, 'cancellation' | 'approval' | 'trigger'>): string {
  if (s.cancellation) return `cancelled by ${s.cancellation.actor}`;
  const a = s.approval;
  if (a?.decision === 'timed-out') return 'nobody (approval timed out)';
  if (a?.decision && a.actor) return `${a.decision} by ${a.actor}`;
  return triggerLabel(s.trigger);
}

/** The memo fields a run sets when it starts. */
export function startMemo(kind: RunMemo['kind'], projectId: string, drId: string, trigger: Trigger): RunMemo {
  return { kind, pair: `${projectId}/${drId}`, trigger: triggerLabel(trigger) };
}

/** The memo fields a run sets when it ends. */
export function endMemo(s: FailoverReport): Partial<RunMemo> {
  return { outcome: s.outcome, rtoSeconds: s.rtoSeconds, decidedBy: decidedBy(s), drName: s.drName };
}
