/**
 * The DR state machine (reference §3.1 matrix, §9 transitions): a committed action (commit.ts) puts the pair in
 * its intermediate status at once and a timer ends it, recording on the action whether the roles swapped. The
 * service's refusals are reasons here; the HTTP layer turns them into `DWS.7023`.
 */
import { compareVersions, MIN_FAILOVER_KERNEL } from '../dws/model';
import type { SimulatorConfig } from './config';
import { ACTION_ALLOWED_STATUSES, type ActionRecord, type DrAction, type SimDr } from './records';
import type { Scheduler } from './scheduler';
import type { SimState } from './state';

/** Whether the service took the action; a refusal says why (for the request log, never in the wire body). */
export type ActionOutcome = { accepted: true } | { accepted: false; reason: string };

/** `task_status` of both clusters while a switchover or failover runs (sic: the service's spelling). */
export const SWITCHOVER_TASK = 'ACTIVE_STANDY_SWITCHOVER';

/** Statuses from which `/recovery` may run (after a failover): any settled state of a live pair. */
const RECOVERY_STATUSES = new Set(['abnormal', 'running', 'stopped', 'stop_failed', 'start_failed']);

/** Decides whether DR actions are allowed, starts them and ends them on a timer. */
export class DrOperations {
  constructor(
    private readonly state: SimState,
    private readonly scheduler: Scheduler,
    private readonly config: () => SimulatorConfig,
    private readonly now: () => number = Date.now
  ) {}

  /** Called with the pair id whenever an operation ends, so commits that waited for it can go ahead. */
  onIdle: (drId: string) => void = () => undefined;

  /**
   * Starts the operation of an accepted action at once: the pair takes its intermediate status and the clusters
   * show their task. The caller has checked {@link refusal}.
   */
  start(dr: SimDr, record: ActionRecord, nowMs: number): void {
    const cfg = this.config();
    const { action } = record;
    const { durationMs, status } = this.plan(action, cfg);
    const op = {
      action,
      preStatus: dr.status,
      startedMs: nowMs,
      endsMs: nowMs + durationMs,
      fails: cfg.failActions.includes(action),
      timer: 0,
      record,
    };
    this.state.update(dr, nowMs, record.region, () => {
      dr.operation = op;
      dr.status = status;
      dr.resumeOnRestore = false;
      if (cfg.hideClusterTasks) return;
      if (action === 'recovery') {
        // The old primary (now standby) is wiped and re-seeded: its cluster shows the recovery task.
        const standby = this.state.cluster(dr.standbyClusterId);
        standby.task = { name: 'DR_RECOVERING', startedMs: nowMs, endsMs: op.endsMs };
      } else if (action === 'switchover' || action === 'failover') {
        // Both clusters run the role change (the witness Terraform's cluster refresh looks for).
        for (const id of [dr.primaryClusterId, dr.standbyClusterId]) {
          this.state.cluster(id).task = { name: SWITCHOVER_TASK, startedMs: nowMs, endsMs: op.endsMs };
        }
      }
    });
    op.timer = this.scheduler.after(durationMs, () => this.finish(dr.id));
  }

  private plan(action: DrAction, cfg: SimulatorConfig): { durationMs: number; status: string } {
    switch (action) {
      case 'start':
        return { durationMs: cfg.startDurationMs, status: 'starting' };
      case 'pause':
        return { durationMs: cfg.pauseDurationMs, status: 'stopping' };
      case 'switchover':
        return { durationMs: cfg.switchoverDurationMs, status: cfg.switchoverStatus };
      case 'failover':
        return { durationMs: cfg.failoverDurationMs, status: cfg.failoverStatus };
      case 'recovery':
        return { durationMs: cfg.recoveryDurationMs, status: cfg.recoveryStatus };
      case 'delete':
        return { durationMs: cfg.deleteDurationMs, status: 'deleting' };
    }
  }

  /** Why the service would refuse `action` on `dr` right now, or null when it takes it. */
  refusal(dr: SimDr, action: DrAction): string | null {
    if (dr.operation !== null) return `${action} refused: a ${dr.operation.action} is in progress (${dr.status})`;
    const primary = this.state.cluster(dr.primaryClusterId);
    const standby = this.state.cluster(dr.standbyClusterId);
    switch (action) {
      case 'start':
      case 'pause':
      case 'switchover':
      case 'delete':
        return ACTION_ALLOWED_STATUSES[action].includes(dr.status)
          ? null
          : `${action} refused: not allowed in status ${dr.status}`;
      case 'failover':
        if (!this.config().failoverAllowedStatuses.includes(dr.status)) {
          return `failover refused: not allowed in status ${dr.status}`;
        }
        if (standby.status !== 'AVAILABLE')
          return `failover refused: standby cluster ${standby.id} is ${standby.status}`;
        return this.kernelRefusal(action, [primary, standby]);
      case 'recovery':
        if (!dr.failedOver) return 'recovery refused: no failover to recover from';
        if (!RECOVERY_STATUSES.has(dr.status)) return `recovery refused: not allowed in status ${dr.status}`;
        if (standby.status !== 'AVAILABLE') {
          return `recovery refused: cluster ${standby.id} (the old primary) is ${standby.status}`;
        }
        return this.kernelRefusal(action, [primary, standby]);
    }
  }

  private kernelRefusal(action: DrAction, clusters: { id: string; version: string }[]): string | null {
    const old = clusters.find((c) => compareVersions(c.version, MIN_FAILOVER_KERNEL) < 0);
    return old
      ? `${action} refused: cluster ${old.id} runs kernel ${old.version}, older than ${MIN_FAILOVER_KERNEL}`
      : null;
  }

  private finish(drId: string): void {
    const dr = this.state.drs.get(drId);
    const op = dr?.operation;
    if (!dr || !op) return;
    const nowMs = this.now();
    const { record } = op;
    record.endedMs = nowMs;
    record.swapped = false;
    if (op.action === 'delete' && !op.fails) {
      this.state.remove(dr, nowMs, record.region);
      this.onIdle(drId);
      return;
    }
    this.state.update(dr, nowMs, record.region, () => {
      dr.operation = null;
      const swap = (): void => {
        [dr.primaryClusterId, dr.standbyClusterId] = [dr.standbyClusterId, dr.primaryClusterId];
        dr.roleSwaps++;
        record.swapped = true;
      };
      const up = (id: string): boolean => this.state.clusters.get(id)?.status === 'AVAILABLE';
      switch (op.action) {
        case 'start': {
          const ok = !op.fails && up(dr.primaryClusterId) && up(dr.standbyClusterId);
          dr.status = ok ? 'running' : 'start_failed';
          if (ok) dr.startMs = nowMs;
          break;
        }
        case 'pause':
          dr.status = op.fails ? 'stop_failed' : 'stopped';
          break;
        case 'switchover':
          this.clearSwitchoverTasks(dr);
          if (!op.fails) swap();
          dr.status = 'running';
          break;
        case 'failover':
          this.clearSwitchoverTasks(dr);
          // Success is the role swap; the status returns to what it was (reference "Project decisions").
          if (!op.fails && up(dr.standbyClusterId)) {
            swap();
            dr.failedOver = true;
          }
          dr.status = op.preStatus;
          break;
        case 'recovery':
          this.state.cluster(dr.standbyClusterId).task = null;
          if (op.fails) {
            dr.status = 'abnormal';
          } else {
            dr.status = 'running';
            dr.failedOver = false;
            // Recovery re-seeds the standby from a full copy: the pair is in sync as of now.
            dr.lastSuccessMs = nowMs;
          }
          break;
        case 'delete':
          dr.status = op.preStatus;
          break;
      }
      this.state.markAbnormalIfClusterDown(dr);
    });
    this.onIdle(drId);
  }

  private clearSwitchoverTasks(dr: SimDr): void {
    for (const id of [dr.primaryClusterId, dr.standbyClusterId]) {
      const cluster = this.state.cluster(id);
      if (cluster.task?.name === SWITCHOVER_TASK) cluster.task = null;
    }
  }
}
