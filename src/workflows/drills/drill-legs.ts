/**
 * One leg of a drill: a child operation workflow under its business-key id (so the one-operation-per-pair rules
 * hold), timed, then verified by reading the pair. When the drill is cancelled (an incident) during a leg, the leg
 * is cancelled only if its request was not sent yet; otherwise it finishes, so the pair is never left mid-switch.
 */
import { PAST_NO_RETURN_PHASES } from '../../shared/point-of-no-return';
import {
  CancellationScope,
  CancelledFailure,
  ParentClosePolicy,
  proxyActivities,
  startChild,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { DR_ID, FAILOVER_PHASE, workflowIds } from '../../shared/constants';
import type { DrillInput, DrillLeg, DrillLegName, DrillState } from '../../shared/drills';
import { SUCCESS_OUTCOME } from '../../shared/outcomes';
import type { OperationPolicy } from '../../shared/policy';
import type { DrOperation, OperationReport, Trigger } from '../../shared/operation-model';
import { RETRY } from '../retry-profiles';
import { step } from './drill-state';
import { failoverWorkflow } from '../operations/kinds';
import { recoveryWorkflow } from '../operations/kinds';
import { switchoverWorkflow } from '../operations/kinds';

/** Short calls about a child: its phase (runs before the cancel update), or its cancel before the request. */
const { drillOperationPhase, cancelLegBeforeRequest } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: RETRY.childControl, // unreadable means "assume the request may be out": the leg is let finish
});

/** Which primary each leg must leave, relative to the pair at the drill's start. */
export const LEG_LEAVES: Readonly<Record<DrillLegName, 'original' | 'reversed'>> = {
  switchover: 'reversed',
  failover: 'reversed',
  recovery: 'reversed',
  'switch-back': 'original',
};

/** The legs of each mutating mode, in order. */
export const DRILL_LEGS: Readonly<Record<'switchover-roundtrip' | 'failover', DrillLegName[]>> = {
  'switchover-roundtrip': ['switchover', 'switch-back'],
  failover: ['failover', 'recovery', 'switch-back'],
};

export interface LegContext {
  input: DrillInput;
  state: DrillState;
  /** The policy each leg's input carries (a resolved one only for drills started before worker timing). */
  policy: Partial<OperationPolicy>;
  /** The drill's root scope: an incident cancels it. */
  root: CancellationScope;
  /** Runs on this version cancel a leg through its cancel update (only before its request), not by its phase. */
  cancelLegByUpdate: boolean;
}

export interface LegResult {
  leg: DrillLeg;
  report: OperationReport | null;
  /** The drill was cancelled while the leg ran (the leg was cancelled or let finish). */
  cancelled: boolean;
}

const OPERATION: Readonly<Record<DrillLegName, DrOperation>> = {
  switchover: 'switchover',
  'switch-back': 'switchover',
  failover: 'failover',
  recovery: 'recovery',
};

async function start(ctx: LegContext, name: DrillLegName, scope: CancellationScope, trigger: Trigger) {
  const { input, state } = ctx;
  const operation = OPERATION[name];
  const workflowId = workflowIds[operation](input.projectId, input.drId);
  const base = {
    projectId: input.projectId,
    drId: input.drId,
    reason: `${input.mode} drill ${state.workflowId}: ${name} leg`,
    trigger,
    policy: ctx.policy,
  };
  const options = {
    workflowId,
    parentClosePolicy: ParentClosePolicy.ABANDON, // a terminated drill never cuts a leg off mid-operation
    typedSearchAttributes: [
      { key: DR_ID, value: input.drId },
      { key: FAILOVER_PHASE, value: 'starting' },
    ],
  };
  const actor = `drill ${state.workflowId}`;
  // The drill's schedule (or the operator who ran it) is the approval: no leg waits at a gate for a person.
  return scope.run((): Promise<ChildWorkflowHandle<typeof switchoverWorkflow>> => {
    if (operation === 'failover') return startChild(failoverWorkflow, { ...options, args: [{ ...base, force: true }] });
    if (operation === 'recovery') {
      const comment = `failover drill of drill pair ${input.pairName ?? input.drId}: its standby data is expendable`;
      return startChild(recoveryWorkflow, {
        ...options,
        args: [{ ...base, preApproval: { actor, comment, via: 'drill' } }],
      });
    }
    const comment = `${input.mode} drill: a planned switchover of a healthy pair, no data loss`;
    return startChild(switchoverWorkflow, {
      ...options,
      args: [{ ...base, preApproval: { actor, comment, via: 'drill' } }],
    });
  });
}

/**
 * Runs one leg to its report. Never throws: a leg that cannot start or whose child fails has `outcome: null`.
 * @throws CancelledFailure when the drill was cancelled before the leg started (nothing is started then).
 */
export async function runLeg(ctx: LegContext, name: DrillLegName): Promise<LegResult> {
  const { state, root } = ctx;
  if (root.consideredCancelled) throw new CancelledFailure('the drill was cancelled before its next leg');
  step(state, name);
  const startedAt = new Date();
  const operation = OPERATION[name];
  const leg: DrillLeg = {
    leg: name,
    workflowId: workflowIds[operation](ctx.input.projectId, ctx.input.drId),
    runId: null,
    startedAt: startedAt.toISOString(),
    endedAt: null,
    durationSeconds: null,
    outcome: null,
    summary: null,
    rtoSeconds: null,
    primaryAfter: null,
    verified: null,
  };
  state.legs.push(leg);
  const trigger: Trigger = {
    id: `${state.workflowId}/${state.runId}/${name}`,
    source: ctx.input.requestedBy.source,
    ref: `drill ${state.workflowId}`,
    receivedAt: leg.startedAt,
    actor: ctx.input.requestedBy.actor,
  };
  // The leg's own scope hangs off a shield, so cancelling the drill does not cancel it; only this code does.
  const legScope = new CancellationScope({ cancellable: true, parent: new CancellationScope({ cancellable: false }) });
  let cancelled = false;
  let report: OperationReport | null = null;
  try {
    const handle = await start(ctx, name, legScope, trigger);
    leg.runId = handle.firstExecutionRunId;
    const result = handle.result();
    cancelled = await Promise.race([
      result.then(
        () => false,
        () => false
      ),
      root.cancelRequested.then(
        () => false,
        () => true
      ),
    ]);
    if (cancelled && ctx.cancelLegByUpdate) {
      // The leg decides, in its own workflow task, whether its request has left: no race with the request.
      const refused = await CancellationScope.nonCancellable(() =>
        cancelLegBeforeRequest({
          workflowId: leg.workflowId,
          runId: handle.firstExecutionRunId,
          actor: `drill ${state.workflowId}`,
          comment: 'the drill was cancelled (an incident for this pair, or an operator)',
        }).catch((err: unknown) => `its cancel could not be sent (${(err as Error).message})`)
      );
      leg.note =
        refused === null
          ? 'the drill was cancelled before the leg sent its request: leg cancelled'
          : `the drill was cancelled; the leg was let finish: ${refused}`;
      step(state, 'cleanup', leg.note);
    } else if (cancelled) {
      const phase = await CancellationScope.nonCancellable(() =>
        drillOperationPhase({ workflowId: leg.workflowId, runId: handle.firstExecutionRunId }).catch(() => null)
      );
      if (phase !== null && !PAST_NO_RETURN_PHASES.has(phase)) {
        legScope.cancel();
        leg.note = `the drill was cancelled while the leg was in phase ${phase}, before its request: leg cancelled`;
      } else {
        leg.note = `the drill was cancelled while the leg was in phase ${phase ?? 'unknown'}: the leg was let finish`;
      }
      step(state, 'cleanup', leg.note);
    }
    report = await result;
    leg.outcome = report.outcome;
    leg.summary = report.summary;
    leg.rtoSeconds = report.rtoSeconds;
  } catch (err) {
    leg.summary = `the ${operation} could not run: ${(err as Error).message}`;
  }
  const endedAt = new Date();
  leg.endedAt = endedAt.toISOString();
  leg.durationSeconds = (endedAt.getTime() - startedAt.getTime()) / 1000;
  if (leg.outcome !== null && leg.outcome !== SUCCESS_OUTCOME[operation]) leg.verified = false;
  return { leg, report, cancelled };
}
