/**
 * Invalid input to the simulator's control API or programmatic API. The control API answers it as 400 with the
 * field named, so a drill script learns at once which value it got wrong.
 */
import type { z } from 'zod';

export class SimInputError extends Error {
  override readonly name = 'SimInputError';
  readonly code = 'SIM_INVALID_INPUT';

  /** @param field dotted path of the offending field (e.g. `primary.version`), or `body` for the whole input. */
  constructor(
    readonly field: string,
    message: string
  ) {
    super(`${field}: ${message}`);
  }
}

/** Validates `input` with `schema`. @throws SimInputError naming the first bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    throw new SimInputError([...issue.path, issue.keys[0]].map(String).join('.'), 'is not a known field');
  }
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : what;
  throw new SimInputError(field, issue?.message ?? `invalid ${what}`);
}

/** The control API or programmatic API named a pair or cluster the simulator does not hold (answered 404). */
export class SimNotFoundError extends Error {
  override readonly name = 'SimNotFoundError';
  readonly code = 'SIM_NOT_FOUND';
}
