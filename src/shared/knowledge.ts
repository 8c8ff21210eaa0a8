/**
 * What a run knows about its operation on the service's side. Knowledge only moves forward: once any read path
 * showed the operation running or done, the run never again treats it as "not started". Sandbox-safe.
 */

/** Ordered: `not-started` < `in-progress` < `done`. */
export type Knowledge = 'not-started' | 'in-progress' | 'done';

/** One reading of every path; `unknown` when a path could not be read and none showed the operation. */
export type ObservedState = Knowledge | 'unknown';

const RANK: Readonly<Record<Knowledge, number>> = { 'not-started': 0, 'in-progress': 1, done: 2 };

/** The knowledge after a reading: the further of the two; an `unknown` reading teaches nothing. */
export function advance(known: Knowledge, seen: ObservedState): Knowledge {
  if (seen === 'unknown') return known;
  return RANK[seen] > RANK[known] ? seen : known;
}
