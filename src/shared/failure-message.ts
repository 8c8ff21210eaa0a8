/**
 * The message a person should see for a failure that crossed the activity boundary. Sandbox-safe.
 */

/**
 * The message of the innermost cause: Temporal wraps an activity's error in an `ActivityFailure`, and a timeout
 * (e.g. a used-up schedule-to-close allowance) carries the last attempt's error as its cause.
 */
export function innermostMessage(err: unknown): string {
  let e: unknown = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}
