/**
 * An operation run's state (failover, switchover, recovery): phase changes, evidence, and the end that makes its report.
 */
import { log, proxySinks, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { FAILOVER_OUTCOME, FAILOVER_PHASE, MAX_EVIDENCE_ENTRIES, MAX_SENDERS } from '../../shared/constants';
import type { OperationSinks } from '../../shared/operation-sinks';
import { OUTCOMES, SUCCESS_OUTCOME } from '../../shared/outcomes';
import type { OperationPolicy } from '../../shared/policy';
import type {
  DrOperation,
  FailoverInput,
  OperationPhase,
  OperationReport,
  OperationState,
  Outcome,
  RunEnd,
  Trigger,
} from '../../shared/operation-model';
import { reportOf } from '../../shared/operation-model';

const nowIso = (): string => new Date().toISOString();
/** Phase changes and ends reach the worker's metrics through this sink: nothing is added to the history. */
const { operations } = proxySinks<OperationSinks>();

/** The initial state of a run. */
export function initialState(
  input: FailoverInput,
  policy: OperationPolicy,
  operation: DrOperation = 'failover'
): OperationState {
  const info = workflowInfo();
  const startedAt = nowIso();
  operations.phase({ operation, phase: 'starting', at: startedAt });
  return {
    operation,
    workflowId: info.workflowId,
    runId: info.runId,
    projectId: input.projectId,
    drId: input.drId,
    drName: null,
    reason: input.reason,
    force: input.force ?? false,
    policy,
    trigger: input.trigger,
    failedClusterId: input.failedClusterId ?? null,
    phase: 'starting',
    startedAt,
    timeline: [{ phase: 'starting', at: startedAt, note: `${input.trigger.source} trigger by ${input.trigger.actor}` }],
    evidence: [],
    evidenceOverflow: 0,
    checks: [],
    snapshot: null,
    decision: null,
    approval: null,
    cancellation: null,
    request: {
      sent: 0,
      attempts: 0,
      accepted: false,
      acceptedAt: null,
      disposition: null,
      requestId: null,
      lastError: null,
    },
    completion: null,
    oldPrimaryClusterId: null,
    newPrimaryClusterId: null,
    dataLossWindowSeconds: null,
    lastFailoverAt: null,
    outcome: null,
    summary: null,
    inServiceHands: false,
    rtoSeconds: null,
    rtoFrom: null,
    endedAt: null,
  };
}

/**
 * Moves to a phase: timeline entry, the `FailoverPhase` search attribute, one log line (the SDK's workflow logger
 * adds the workflow id and is silent during replay) and the metrics sink.
 */
export function enterPhase(state: OperationState, phase: OperationPhase, note?: string): void {
  const from = state.phase;
  const at = nowIso();
  state.phase = phase;
  state.timeline.push({ phase, at, ...(note ? { note } : {}) });
  upsertSearchAttributes([{ key: FAILOVER_PHASE, value: phase }]);
  log.info('Phase changed', {
    operation: state.operation,
    phase,
    from,
    projectId: state.projectId,
    drId: state.drId,
    ...(note ? { note } : {}),
  });
  operations.phase({ operation: state.operation, phase, at });
}

/**
 * Records a trigger as evidence. The same trigger id again counts a delivery and adds its sender if new (the other
 * member of an HA Alertmanager pair); distinct triggers beyond the bound are counted in `evidenceOverflow`, so state
 * and history stay bounded under an alert storm.
 */
export function recordEvidence(state: OperationState, trigger: Trigger): void {
  const existing = state.evidence.find((e) => e.triggerId === trigger.id);
  if (existing) {
    existing.deliveries += 1;
    existing.lastReceivedAt = trigger.receivedAt;
    if (trigger.status) existing.status = trigger.status;
    if (existing.senders.length < MAX_SENDERS && !existing.senders.includes(trigger.actor)) {
      existing.senders.push(trigger.actor);
    }
    return;
  }
  if (state.evidence.length >= MAX_EVIDENCE_ENTRIES) {
    state.evidenceOverflow += 1;
    return;
  }
  state.evidence.push({
    triggerId: trigger.id,
    source: trigger.source,
    ref: trigger.ref,
    actor: trigger.actor,
    firstReceivedAt: trigger.receivedAt,
    lastReceivedAt: trigger.receivedAt,
    deliveries: 1,
    senders: [trigger.actor],
    ...(trigger.status ? { status: trigger.status } : {}),
  });
}

/**
 * Ends the run: outcome, sentence, RTO, the `FailoverOutcome` search attribute, on the state (the `progress` query)
 * and in the report it returns.
 */
export function finish(state: OperationState, outcome: Outcome, note?: string): OperationReport {
  const endedAt = nowIso();
  const pair = state.drName ? `${state.drName} (${state.drId})` : `DR ${state.drId}`;
  let summary =
    outcome === 'cancelled' && state.inServiceHands
      ? `Waiting for the ${state.operation} of ${pair} was cancelled after the request was sent: the operation is in the service's hands.`
      : OUTCOMES[outcome].sentence(pair, state.operation);
  if (note) summary += ` ${note}`;
  if (outcome === SUCCESS_OUTCOME[state.operation] && state.completion) {
    const from = state.trigger.incidentStartedAt ?? state.trigger.receivedAt;
    state.rtoFrom = state.trigger.incidentStartedAt ? 'incident' : 'trigger';
    state.rtoSeconds = Math.max(0, (Date.parse(state.completion.observedAt) - Date.parse(from)) / 1000);
  }
  const end: RunEnd = { outcome, summary, endedAt };
  // The `progress` query shows the end too.
  Object.assign(state, end);
  enterPhase(state, 'completed', `${outcome}`);
  upsertSearchAttributes([{ key: FAILOVER_OUTCOME, value: outcome }]);
  operations.ended({
    operation: state.operation,
    outcome,
    rtoSeconds: state.rtoSeconds,
    dataLossWindowSeconds: state.dataLossWindowSeconds,
  });
  return reportOf(state, end);
}
