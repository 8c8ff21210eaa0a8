/**
 * Signals, queries and updates of the workflows, shared by workflows, CLI, intake and tests. Sandbox-safe.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DeliveryView } from './delivery';
import type { ApprovalState, CancellationState, DecisionInput, OperationState, Trigger } from './operation-model';

/** The live state of a failover: phase, checks, requests, evidence; the report once it ended. */
export const progressQuery = defineQuery<OperationState>('progress');

/** A further trigger for a running failover (a duplicate alert, another sender, an operator): kept as evidence. */
export const triggerSignal = defineSignal<[Trigger]>('trigger');

/** Approve a run waiting at the approval gate. Refused (validator) unless it is waiting, or without actor/comment. */
export const approveUpdate = defineUpdate<ApprovalState, [DecisionInput]>('approve');

/** Reject a run waiting at the approval gate. Same rules as approve. */
export const rejectUpdate = defineUpdate<ApprovalState, [DecisionInput]>('reject');

/**
 * Cancel a run. Before the request is sent it stops cleanly (`cancelled`); after, it only stops waiting. Refused
 * once the run has ended or was already cancelled.
 */
export const cancelUpdate = defineUpdate<CancellationState, [DecisionInput]>('cancel');

/** The delivery workflow's record: counts, and each pair's workflow from `offset`, at most `limit` of them. */
export const deliveryProgressQuery = defineQuery<DeliveryView, [number?, number?]>('deliveryProgress');

/**
 * The same notification arrived again while its record is open (a retry, an HA peer): counted, and its sender kept,
 * not fanned out. `actor` is absent in signals sent before senders were kept.
 */
export const deliveryRepeatSignal = defineSignal<[{ receivedAt: string; actor?: string }]>('deliveryRepeat');
