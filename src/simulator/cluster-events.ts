/**
 * Options of scripted cluster events (`outage`, `restore`): an optional delay, so a test can say "the old primary
 * comes back in the middle of the failover" without racing its own timers.
 */
import { z } from 'zod';
import { durationSchema } from './config';
import { parseInput } from './input-error';

const clusterEventSchema = z.strictObject({
  /** Apply the change this much later (through the scheduler: reset and close cancel it). 0 or absent: now. */
  delayMs: durationSchema.optional(),
});

/** Body of `POST /_sim/clusters/{id}/outage|restore`; the delay may be a number (ms) or a string like `2s`. */
export type ClusterEventOptions = z.input<typeof clusterEventSchema>;

/** @returns the delay in ms (0: apply now). @throws SimInputError naming the bad field. */
export function clusterEventDelayMs(options: unknown): number {
  return parseInput(clusterEventSchema, options ?? {}, 'options').delayMs ?? 0;
}
