/**
 * Failure types that cross the activity → workflow boundary. Activities throw `ApplicationFailure`s with one of
 * these `type`s; workflows and retry policies match on them, never on class names. Sandbox-safe.
 */
export const ErrorType = {
  /** The DR pair or cluster does not exist (404, or 400 `DWS.10101`). Final. */
  DwsNotFound: 'DwsNotFound',
  /** Credentials rejected or permission missing (401/403). Final. */
  DwsAuthFailed: 'DwsAuthFailed',
  /** Any other 4xx: the service refused the request as sent. Final. */
  DwsRequestRejected: 'DwsRequestRejected',
  /** 5xx, 429, timeouts and socket errors. Retried by the activity's retry policy. */
  DwsUnavailable: 'DwsUnavailable',
  /** A 2xx whose body is not what the API documents. Retried: the next read decides. */
  DwsBadResponse: 'DwsBadResponse',
  /** Invalid activity input (a bug or a hand-made input): final. */
  InvalidInput: 'InvalidInput',
} as const;

export type ErrorTypeName = (typeof ErrorType)[keyof typeof ErrorType];

/** The types no retry can fix; listed in every retry policy's `nonRetryableErrorTypes`. */
export const NON_RETRYABLE_ERROR_TYPES: readonly ErrorTypeName[] = Object.freeze([
  ErrorType.DwsNotFound,
  ErrorType.DwsAuthFailed,
  ErrorType.DwsRequestRejected,
  ErrorType.InvalidInput,
]);
