/**
 * Signals, queries and updates of the workflows, shared by workflows, CLI, intake and tests. Sandbox-safe.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { FailoverState, Trigger } from './types';

/** The live state of a failover: phase, checks, requests, evidence; the report once it ended. */
export const progressQuery = defineQuery<FailoverState>('progress');

/** A further trigger for a running failover (a duplicate alert, another sender, an operator): kept as evidence. */
export const triggerSignal = defineSignal<[Trigger]>('trigger');
