/**
 * The data that crosses the workflow boundary: workflow input, pre-check results, progress and the report.
 * Plain JSON, never a secret. Sandbox-safe.
 */
import type { DecisionProof, EvidenceFacts, PairAccess, VerifiedIdentity } from './identity';
import type { OperationPolicy } from './policy';
import type { PairRoute } from './topology';

export type TriggerSource = 'alertmanager' | 'grafana' | 'pagerduty' | 'api' | 'cli' | 'schedule';

/** Who or what asked for the failover. Extra triggers on a running workflow are kept as evidence. */
export interface Trigger {
  /** Unique id of this trigger (a delivery); duplicates of the same id are counted, not stored twice. */
  id: string;
  source: TriggerSource;
  /** The sender's own reference: Alertmanager groupKey/fingerprint, PagerDuty X-Webhook-Id, a CLI user@host… */
  ref: string;
  /** When this service received it (ISO 8601). */
  receivedAt: string;
  /** A person or system name. */
  actor: string;
  /** When the incident began according to the sender (e.g. the alert's startsAt); RTO is measured from it. */
  incidentStartedAt?: string;
  /** `firing` or `resolved` for alerts. */
  status?: 'firing' | 'resolved';
}

export interface FailoverInput {
  projectId: string;
  drId: string;
  reason: string;
  trigger: Trigger;
  /** The cluster the alert says is down. If it is no longer the primary, the workflow ends as `already-failed-over`. */
  failedClusterId?: string;
  /** Override the soft checks (healthy primary, data-loss budget, cooldown). Never overrides a hard check. */
  force?: boolean;
  /** Policy overrides for this run; unset fields take the worker's configured defaults. */
  policy?: Partial<OperationPolicy>;
  /** A manual start signed by its starter (src/shared/identity.ts); alerts start unsigned. */
  proof?: DecisionProof;
}

/** The mutating DR operations this project orchestrates. */
export type DrOperation = 'failover' | 'switchover' | 'recovery';

export type CheckId =
  | 'dr-exists'
  | 'both-clusters-healthy'
  | 'old-primary-healthy'
  | 'recovery-wipes-data'
  | 'dr-status'
  | 'no-operation-in-flight'
  | 'failed-cluster-is-primary'
  | 'standby-healthy'
  | 'standby-version'
  | 'data-loss-window'
  | 'primary-down'
  | 'cooldown';

/** One pre-check, with what was observed (not only pass/fail). */
export interface CheckResult {
  id: CheckId;
  title: string;
  /** Hard checks can never be overridden; soft checks may be, by `force` (or, later, an approver). */
  severity: 'hard' | 'soft';
  passed: boolean;
  observed: string;
  expected: string;
}

/** What the pre-checks read about the pair. */
export interface DrSnapshot {
  drId: string;
  drName: string;
  status: string;
  primaryClusterId: string;
  primaryClusterName: string;
  standbyClusterId: string;
  standbyClusterName: string;
  /** ISO 8601 with zone, or null when the service did not report one. */
  standbyLastSuccessTime: string | null;
  observedAt: string;
}

export interface PrecheckResult {
  snapshot: DrSnapshot | null;
  checks: CheckResult[];
  /** The trigger named a failed cluster that is already the standby: the roles were swapped before. */
  alreadyFailedOver: boolean;
  /** now − standby last sync, in seconds; null when unknown. */
  dataLossWindowSeconds: number | null;
  /** When the previous successful failover of this pair ended, if any. */
  lastFailoverAt: string | null;
  /**
   * How many notification targets the pair has (the worker knows them; the workflow only the count). Only runs
   * started before the count was read at the run's start (`notificationTargets`, a local activity) use it.
   */
  notificationTargets?: number;
  /** How hard the reads were: attempts of the pre-check activity and how long since the first one began. */
  reads?: { attempts: number; retriedSeconds: number };
  /** A cross-region pair: its two endpoints, which one answered the reads, and the primary region's state. */
  route?: PairRoute;
}

/**
 * One mutating request attempt as the workflow recorded it (DESIGN §2 phase 3): when it was sent, by which
 * attempt, and what came back. The report lists every one, including attempts whose worker died.
 */
export interface RequestRecord {
  /** 1, 2, 3… in the order the workflow scheduled them. */
  attempt: number;
  /** When the request left the worker (ISO); null when it never did, or when that is unknown. */
  sentAt: string | null;
  /** When the attempt ended: its answer, its error, or when Temporal declared it lost (ISO). */
  endedAt: string;
  /**
   * `accepted` (2xx); `refused` (a final 4xx); `throttled` (429, or no connection: surely not taken);
   * `ambiguous` (5xx, reset, timeout: it may have been taken); `not-sent` (the attempt stopped before sending,
   * e.g. its deadline passed in the rate limiter); `lost` (the worker or the attempt was lost).
   */
  answer: 'accepted' | 'refused' | 'throttled' | 'ambiguous' | 'not-sent' | 'lost';
  /** Whether the request left the worker: true, false, or null when nobody can know (the worker died). */
  sent: boolean | null;
  status: number | null;
  /** The DWS `error_code` of an error answer. */
  errorCode: string | null;
  /** `X-Request-Id` of the answer, for Huawei support. */
  requestId: string | null;
  note: string;
  /** A cross-region pair: the endpoint the attempt went to (`cn-south-1 (https://…, project …)`). */
  endpoint?: string;
}

/** What the DR action request activity reports back. */
export interface OperationRequestResult {
  /** How the request ended: accepted now, or found already running/done (never sent twice). */
  disposition: 'accepted' | 'already-in-progress' | 'already-swapped';
  /** Failover POSTs sent over all attempts of this activity. */
  requestsSent: number;
  /** Activity attempts (1 = no retry). */
  attempts: number;
  acceptedAt: string;
  /** X-Request-Id of the accepted request, if the service sent one. */
  requestId: string | null;
  /** Standby last sync as read just before the request, for the data-loss window at the switch. */
  standbyLastSuccessTime: string | null;
}

/** What the completion poll reports back. */
export interface CompletionResult {
  completed: boolean;
  /** The roles were seen swapped (confirmed), then seen back the way they were before the operation. */
  swappedBack?: boolean;
  /** The read paths that confirmed the change, e.g. `detail, list`. */
  confirmedBy?: string[];
  polls: number;
  pollErrors: number;
  lastStatus: string | null;
  lastPrimaryClusterId: string | null;
  /** Health of the new primary as the cluster API reported it. */
  newPrimaryHealth: string | null;
  observedAt: string;
}

export type OperationPhase =
  | 'starting'
  | 'waiting-for-drill'
  | 'waiting-for-operation'
  | 'prechecks'
  | 'decision'
  | 'awaiting-approval'
  | 'requesting'
  | 'polling'
  | 'completed';

export interface TimelineEntry {
  phase: OperationPhase;
  at: string;
  note?: string;
}

export interface EvidenceEntry {
  source: TriggerSource;
  ref: string;
  actor: string;
  firstReceivedAt: string;
  lastReceivedAt: string;
  /** How many deliveries carried this id (duplicates are counted). */
  deliveries: number;
  /**
   * Every distinct sender that delivered this id, first `actor`: each member of an HA Alertmanager pair that sent it
   * (`receiver (external URL)`), so a postmortem shows which members saw the alert. At most `MAX_SENDERS`; later
   * ones are still counted in `deliveries`.
   */
  senders: string[];
  triggerId: string;
  status?: 'firing' | 'resolved';
}

/**
 * How a run ends: the report's `outcome`, the `FailoverOutcome` search attribute. A refusal by the service is named
 * for the kind (`failover-refused`, `switchover-refused`, `recovery-refused`); runs recorded before that ended every
 * kind's refusal as `failover-refused`, which still renders and exits the same (outcomes.ts).
 */
export type Outcome =
  | 'failed-over'
  | 'switched-over'
  | 'recovered'
  | 'already-failed-over'
  | 'rejected'
  | 'approval-timed-out'
  | 'cancelled'
  | 'precheck-failed'
  | 'failover-refused'
  | 'switchover-refused'
  | 'recovery-refused'
  | 'timed-out'
  | 'swapped-back'
  | 'not-authorised';

/**
 * Every outcome a report names: a run's, and `switch-back-failed` for a recovery's switch back that could not run
 * (the recovery itself ended `recovered`). Runs recorded before that named it `precheck-failed`.
 */
export type ReportedOutcome = Outcome | 'switch-back-failed';

export interface Decision {
  verdict: 'proceed' | 'stop' | 'needs-approval';
  reasons: string[];
  forced: boolean;
}

/** Who decided at the approval gate, and what they saw. */
export interface ApprovalState {
  /** Why approval is needed (each failed soft check, or the policy). */
  reasons: string[];
  requestedAt: string;
  /** When the gate denies by default. */
  deadline: string;
  decision: 'approved' | 'rejected' | 'timed-out' | null;
  actor: string | null;
  comment: string | null;
  decidedAt: string | null;
  /** Where the decision came from (cli, intake, demo…). */
  via: string | null;
  /** Verified-decision runs: the digest of the facts the gate shows; an approval names the digest it approves. */
  digest?: string;
  /** The facts behind `digest`. */
  facts?: EvidenceFacts;
  /** Distinct approvers the gate needs (2 on a critical pair). */
  required?: 1 | 2;
  /** The verified approvals given for the current digest. */
  approvals?: ApprovalRecord[];
  /** Approvals voided because the facts changed before the request was sent, oldest first. */
  voided?: VoidedApproval[];
  /** Who decided, as verified (the last approver, or the rejecter). */
  identity?: VerifiedIdentity | null;
}

/** One verified approval at the gate. */
export interface ApprovalRecord {
  actor: string;
  comment: string;
  at: string;
  /** The evidence digest the approver approved. */
  digest: string;
  identity: VerifiedIdentity;
  via: string | null;
}

/** Approvals that no longer hold: the facts they were about changed before the request was sent. */
export interface VoidedApproval {
  at: string;
  digest: string;
  /** The digest of the facts now. */
  newDigest: string;
  approvals: ApprovalRecord[];
  /** What changed, in words. */
  changes: string[];
}

/** Input of the approve / reject / cancel updates. */
export interface DecisionInput {
  actor: string;
  comment: string;
  /** cli, api, demo… */
  via?: string;
  /** cancel only: refuse once the request may have reached the service (a resolved alert's cancel). */
  onlyBeforeRequest?: boolean;
  /** The signed statement of this decision (src/shared/identity.ts). Required in runs with verified decisions. */
  proof?: DecisionProof;
}

/** Who cancelled, when, and whether the request had already been sent. */
export interface CancellationState {
  actor: string;
  comment: string;
  at: string;
  afterRequest: boolean;
  /** Who cancelled, as verified; null for a cancellation through Temporal itself (namespace access). */
  identity?: VerifiedIdentity | null;
}

/** Who and what the run is: set when the run starts (`initialState`), never written after. */
export interface RunIdentity {
  /** Which operation this run performs. */
  readonly operation: DrOperation;
  readonly workflowId: string;
  readonly runId: string;
  readonly projectId: string;
  readonly drId: string;
  readonly reason: string;
  readonly trigger: Trigger;
  readonly failedClusterId: string | null;
  readonly startedAt: string;
}

/**
 * The terms the run acts under: set at its start and revised only before its request — `force` dropped when the
 * pair's access rules do not allow it (verified runs), `policy` read with the serving worker's timing at the start
 * and again after the gate (timing.ts). So they are not part of the run's readonly identity.
 */
export interface RunTerms {
  force: boolean;
  policy: OperationPolicy;
}

/** Where the run is and what reached it: written all along (`enterPhase`, `recordEvidence`, the trigger signal). */
export interface RunProgress {
  phase: OperationPhase;
  timeline: TimelineEntry[];
  evidence: EvidenceEntry[];
  /** Deliveries beyond the evidence list's bound: counted, not stored. */
  evidenceOverflow: number;
}

/**
 * Set by the start's verification, before the pre-checks (runs with verified decisions): who started the run as
 * verified (null: an unsigned start, e.g. an alert), and the pair's access rules the run decides by.
 */
export interface StartVerification {
  startedBy?: VerifiedIdentity | null;
  access?: PairAccess;
}

/** What the pre-checks read: set by the `prechecks` phase, and again by the re-read after an approval. */
export interface PrecheckFacts {
  /** The pair's name, from the snapshot. */
  drName: string | null;
  checks: CheckResult[];
  snapshot: DrSnapshot | null;
  /** Data-loss window, seconds; measured again at the switch (a failover's taken request); null when unknown. */
  dataLossWindowSeconds: number | null;
  lastFailoverAt: string | null;
  /** Pre-check reads that had to be retried (a read outage the run rode out). */
  precheckReads?: { attempts: number; retriedSeconds: number };
  /** A cross-region pair: its endpoints, which answered, and through which one the request went. */
  route?: PairRoute;
}

/** The roles the request acts on: set once the gate let the run through, right before the request. */
export interface RoleChoice {
  oldPrimaryClusterId: string | null;
  newPrimaryClusterId: string | null;
}

/** The decision and the gate: set by the `decision` and `awaiting-approval` phases; a cancel can come at any phase. */
export interface GateState {
  decision: Decision | null;
  approval: ApprovalState | null;
  cancellation: CancellationState | null;
}

/** The request, accepted at most once: set by the `requesting` phase (request-protocol.ts). */
export interface RequestState {
  request: {
    sent: number;
    attempts: number;
    accepted: boolean;
    acceptedAt: string | null;
    disposition: OperationRequestResult['disposition'] | null;
    requestId: string | null;
    lastError: string | null;
    /** Every mutating request attempt of this run (new runs; absent in runs started by an older version). */
    log?: RequestRecord[];
    /** Attempts whose worker died without telling whether the request left: `sent` does not count them. */
    unknown?: number;
    /**
     * false when the request may have been taken but no read has shown it yet (every attempt was ambiguous or
     * lost, or retries ran out after an ambiguous one): the run follows the pair without knowing.
     */
    confirmed?: boolean;
  };
  /** The request was sent and the service owns the operation even if this workflow stops waiting. */
  inServiceHands: boolean;
}

/** What the follow saw: set by the `polling` phase; the RTO by the run's end when the change was seen. */
export interface CompletionFacts {
  completion: CompletionResult | null;
  rtoSeconds: number | null;
  rtoFrom: 'incident' | 'trigger' | null;
}

/** The run's end as the state shows it: null until `finish` (state.ts); a report's are never null ({@link RunEnd}). */
export interface RunEndState {
  outcome: Outcome | null;
  /** The human sentence that goes with the outcome. */
  summary: string | null;
  endedAt: string | null;
  /** recovery with switch-back: how the switch back to the original topology ended (set after the run's end). */
  switchBack?: { workflowId: string; outcome: ReportedOutcome; summary: string };
}

/**
 * The workflow's live state (the `progress` query), as parts by the phase that sets them; once it ended, its report
 * is `reportOf(state, end)`. The parts are types only: the JSON is one flat object, in `initialState`'s key order.
 * Phase guards (operation-phases.ts) narrow a state to what a phase has surely set.
 */
export type OperationState = RunIdentity &
  RunTerms &
  RunProgress &
  StartVerification &
  PrecheckFacts &
  GateState &
  RequestState &
  RoleChoice &
  CompletionFacts &
  RunEndState;

/** How a run ended: the fields a report has that a running state has not yet. */
export interface RunEnd {
  outcome: Outcome;
  /** The human sentence that goes with the outcome. */
  summary: string;
  endedAt: string;
}

/** The workflow result: the final state, with its end. Built by {@link reportOf}, never asserted. */
export type OperationReport = OperationState & RunEnd;

/**
 * The report of a run that ended with `end`: the state's fields as they are (the same JSON as the `progress` query
 * shows), with the end's. A shallow copy: what the state holds is shared, later changes to its top-level fields
 * (phase, outcome…) are not.
 */
export function reportOf(state: OperationState, end: RunEnd): OperationReport {
  return { ...state, ...end };
}

/** Input of `switchoverWorkflow` and `recoveryWorkflow`. */
export interface PlannedOperationInput {
  projectId: string;
  drId: string;
  reason: string;
  trigger: Trigger;
  policy?: Partial<OperationPolicy>;
  /** recovery only: after DR is running again, switch back to the original topology. */
  switchBack?: boolean;
  /**
   * Drills on pairs the inventory marks as drill pairs only: the approval recorded up front (the drill schedule is
   * the approver). The gate still runs and the report shows who approved.
   */
  preApproval?: DecisionInput;
  /** A manual start signed by its starter (src/shared/identity.ts). */
  proof?: DecisionProof;
}
