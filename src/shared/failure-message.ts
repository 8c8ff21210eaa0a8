/**
 * The one helper for the message a person should see of a failure that crossed a Temporal boundary: an activity's
 * error in a workflow, an update's refusal in the CLI, the intake or an activity. Sandbox-safe.
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
