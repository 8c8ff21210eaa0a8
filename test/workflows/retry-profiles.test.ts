import { describe, expect, it } from 'vitest';
import { ErrorType, NON_RETRYABLE_ERROR_TYPES } from '../../src/shared/errors';
import { DEFAULT_POLICY } from '../../src/shared/policy';
import { legacyInspectRetry, legacyRequestRetry, precheckRetry, RETRY } from '../../src/workflows/retry-profiles';

describe('retry profiles', () => {
  it('caps the pre-checks at 1 s first and 15 s between reads, whatever the request intervals of the policy', () => {
    expect(precheckRetry(DEFAULT_POLICY)).toMatchObject({ initialInterval: '1s', maximumInterval: '15s' });
    const quick = { ...DEFAULT_POLICY, requestRetryInitialIntervalSeconds: 0.2, requestRetryMaxIntervalSeconds: 3 };
    expect(precheckRetry(quick)).toMatchObject({ initialInterval: '0.2s', maximumInterval: '3s' });
  });

  it("retries the legacy request with the policy's own intervals and attempts", () => {
    expect(legacyRequestRetry(DEFAULT_POLICY)).toMatchObject({
      initialInterval: '2s',
      backoffCoefficient: 2,
      maximumInterval: '60s',
      maximumAttempts: 8,
    });
  });

  it('keeps a 4xx answer from DWS final in every profile derived for DWS calls', () => {
    for (const retry of [precheckRetry(DEFAULT_POLICY), legacyRequestRetry(DEFAULT_POLICY), legacyInspectRetry()]) {
      expect(retry.nonRetryableErrorTypes).toEqual([...NON_RETRYABLE_ERROR_TYPES]);
      expect(retry.nonRetryableErrorTypes).toContain(ErrorType.DwsRequestRejected);
    }
  });

  it('gives the legacy read after its request the short-read profile, and never shares one array between runs', () => {
    expect(legacyInspectRetry()).toMatchObject(RETRY.shortReads);
    expect(legacyInspectRetry().nonRetryableErrorTypes).not.toBe(legacyInspectRetry().nonRetryableErrorTypes);
  });

  it('sends the fenced request once: the workflow decides every resend', () => {
    expect(RETRY.once).toEqual({ maximumAttempts: 1 });
  });
});
