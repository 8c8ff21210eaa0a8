/**
 * The chaos run's side of the simulator: injecting a planned fault into a run's simulator, and reading the pair's
 * true state (never a lagging read) for the invariants.
 */
import type { Simulator, SimulatorConfigPatch } from '../../src/simulator';
import type { PairTruth } from './invariants';
import type { PlannedFault, PlannedRule, RunPlan } from './schedule';

/** A fault that fires at a time after the run's start. */
export interface TimedEvent {
  atMs: number;
  fire: () => void;
}

/**
 * Injects one planned fault. Knob faults go through `configure()`, which names a knob it refuses.
 * @returns null when injected, else why not.
 */
export function applyFault(
  sim: Simulator,
  fault: PlannedFault,
  plan: RunPlan,
  where: { opPath: string; detailPath: string; primaryId: string },
  timed: TimedEvent[]
): string | null {
  const configure = (patch: Record<string, unknown>): string | null => {
    try {
      sim.configure(patch as SimulatorConfigPatch);
      return null;
    } catch (err) {
      return `simulator has no such knob: ${(err as Error).message}`;
    }
  };
  switch (fault.kind) {
    case 'commit-delay':
      return configure({ commitDelayMs: fault.commitDelayMs });
    case 'read-lag':
      return configure({ readLagMs: fault.readLagMs, readLagJitter: true });
    case 'hidden-tasks':
      // Only the role swap witnesses the operation: the clusters show no task.
      return configure({ hideClusterTasks: true });
    case 'in-flight-status': {
      const knob = { failover: 'failoverStatus', switchover: 'switchoverStatus', recovery: 'recoveryStatus' }[plan.op];
      return configure({ [knob]: fault.status });
    }
    case 'refuse-connections':
      timed.push({ atMs: fault.atMs, fire: () => void sim.refuseConnections(fault.durationMs).catch(() => undefined) });
      return null;
    case 'old-primary-returns':
      // The runner's own timer: the same effect as restore(id, { delayMs }) without depending on that option.
      timed.push({ atMs: fault.atMs, fire: () => sim.restore(where.primaryId) });
      return null;
    default:
      sim.addFaults(toRule(fault.rule, where));
      return null;
  }
}

function toRule(rule: PlannedRule, where: { opPath: string; detailPath: string }) {
  const { target, ...effect } = rule;
  const defined = Object.fromEntries(Object.entries(effect).filter(([, v]) => v !== undefined));
  return target === 'action-post'
    ? { method: 'POST', path: where.opPath, ...defined }
    : { method: 'GET', path: where.detailPath, ...defined };
}

/** The pair's true state, or null when it is gone. */
export function pairTruth(sim: Simulator, drId: string): PairTruth | null {
  const pair = sim.state().disasterRecoveries.find((p) => p.id === drId);
  if (!pair) return null;
  return {
    primaryClusterId: pair.primaryClusterId,
    standbyClusterId: pair.standbyClusterId,
    status: pair.status,
    failedOver: pair.failedOver,
    // An accepted action whose commit is still pending will change the pair: not settled yet.
    busy: pair.operation !== null || pair.actions.some((a) => a.result === 'pending'),
    roleSwaps: pair.roleSwaps,
  };
}
