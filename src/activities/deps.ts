/**
 * What the activities are built from. Only `src/worker.ts` (and tests through a real worker) build these.
 */
import type { Dispatcher } from 'undici';
import type { DwsApi } from '../dws/api';
import type { NotificationTarget } from '../inventory';
import type { DecisionRules } from '../shared/identity';
import type { DeliveryHeader, DeliveryPair, PairDispatch } from '../shared/delivery';
import type { ServiceTiming } from '../shared/policy';
import type { PairTopology } from '../shared/topology';
import type { SharedReads } from '../dws/shared-reads';
import type { DrillDeps } from './drills/drill-deps';
import type { OperationDurations } from './operations/operation-durations';

export type { DwsApi };

/** Where a pair's notifications go (from the inventory; URLs carry tokens, so they never enter workflow history). */
export interface NotificationDeps {
  targetsFor(projectId: string, drId: string): NotificationTarget[];
  /** For tests: where the HTTP requests go. */
  dispatcher?: Dispatcher;
}

/** Where the previous failover of a pair is remembered: Temporal itself (nothing is kept outside it). */
export interface FailoverHistory {
  /** End time (ISO) of the latest `failed-over` run for the pair, or null when there is none. */
  lastFailoverAt(projectId: string, drId: string): Promise<string | null>;
}

/** A workflow execution. */
export interface Execution {
  workflowId: string;
  runId: string;
}

/** Who holds a pair's lock (src/workflows/pair-lock.ts): the operation, and its parent (a drill, for a drill leg). */
export interface LockHolder {
  holder: Execution;
  parent: Execution | null;
}

/** Other workflows of the same pair (drills and incidents exclude each other). */
export interface WorkflowControl {
  runningDrills(projectId: string, drId: string): Promise<Execution[]>;
  cancel(workflowId: string, runId?: string): Promise<void>;
  isRunning(workflowId: string, runId?: string): Promise<boolean>;
  /** Who holds the pair's lock now (a point read, not a list query); null when nobody does. */
  pairLockHolder(projectId: string, drId: string): Promise<LockHolder | null>;
  /**
   * Cancels an operation only if it has not reached its request, decided by the operation itself (its cancel
   * update's validator), so there is no race with the request leaving.
   * @returns null when it was cancelled, else why not (past the point of no return, already ended).
   */
  cancelBeforeRequest(execution: Execution, actor: string, comment: string): Promise<string | null>;
}

/** Fans a multi-pair alert delivery out to the pairs' workflows (src/operations/dispatch-pair.ts). */
export interface DeliveryDeps {
  dispatch(header: DeliveryHeader, pair: DeliveryPair): Promise<PairDispatch>;
}

export interface ActivityDeps {
  dws: DwsApi;
  history: FailoverHistory;
  /** Temporal, for the exclusion of drills and incidents; without it there is none. */
  workflows?: WorkflowControl;
  /** Inventory, policy and Temporal records for drills and readiness. */
  drills?: DrillDeps;
  /** Delivery fan-out; without it the delivery workflow's activity fails (and is retried). */
  deliveries?: DeliveryDeps;
  /** Notification targets; without it nothing is sent. */
  notifications?: NotificationDeps;
  /**
   * The worker's service timing for a pair: its configuration, then the pair's inventory entry. Runs read it when
   * they start (and again after an approval wait), so the worker, not the starter, paces the calls to DWS.
   * @default the built-in defaults
   */
  timing?: (projectId: string, drId: string) => ServiceTiming;
  /**
   * How long each pair's operations took, as this worker saw them; a follow plans its reads around it.
   * @default a store in this process (createActivities makes one)
   */
  durations?: OperationDurations;
  /**
   * Project-wide reads shared by the runs on this worker, used while many pairs of one project are in flight.
   * @default none: every run reads its own pair
   */
  shared?: SharedReads;
  /** Where a pair lives (src/shared/topology.ts): the worker's inventory and endpoints. @default one site, the pair's project */
  topology?: (projectId: string, drId: string) => PairTopology;
  /**
   * The keys the worker trusts for decisions and the pair's access rules (src/shared/identity.ts).
   * @default no keys (every decision refused), open access
   */
  decisions?: (projectId: string, drId: string) => DecisionRules;
  /** Injectable clock for tests of the data-loss window. @default () => new Date() */
  now?: () => Date;
}
