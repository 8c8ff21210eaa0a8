/**
 * Builds the DWS client from configuration: endpoint, AK/SK or IAM-token auth, timeout.
 */
import type { Dispatcher } from 'undici';
import type { Config } from '../config';
import { AkSkAuthenticator, IamTokenAuthenticator, type Authenticator } from './auth';
import { DwsClient } from './client';
import { RateLimiter } from './rate-limiter';

/** The window the worker's grants are counted in: a second plus headroom for the way to the gateway. */
export const RATE_WINDOW_MS = 1100;

/**
 * This worker's share of the account's request limit: `DWS_RATE_LIMIT` is the account's, and the workers that
 * share it (`DWS_FAILOVER_WORKERS`, the HA setup's worker count) each take an equal whole part, so together they
 * never exceed it whatever the load on each. At least 1 request per second.
 */
export function workerRateShare(config: Pick<Config, 'dws'>): number {
  return Math.max(1, Math.floor(config.dws.rateLimitPerSecond / config.dws.workersSharingLimit));
}

/**
 * @throws Error when the endpoint or the credentials are missing (run `loadConfig` with `requireDws` first).
 */
export function createDwsClient(config: Config, dispatcher?: Dispatcher): DwsClient {
  const { endpoint, credentials } = config.dws;
  if (!endpoint || !credentials) {
    throw new Error(
      'The DWS endpoint and credentials are not configured (DWS_REGION or DWS_ENDPOINT, HUAWEICLOUD_SDK_AK/SK).'
    );
  }
  let auth: Authenticator;
  if (credentials.kind === 'aksk') {
    auth = new AkSkAuthenticator({ ak: credentials.ak, sk: credentials.sk, securityToken: credentials.securityToken });
  } else {
    if (!config.dws.defaultProjectId)
      throw new Error('IAM-token auth needs HUAWEICLOUD_SDK_PROJECT_ID (the token is project-scoped).');
    auth = new IamTokenAuthenticator({
      iamEndpoint: credentials.iamEndpoint,
      domain: credentials.domain,
      user: credentials.user,
      password: credentials.password,
      projectId: config.dws.defaultProjectId,
      ...(dispatcher ? { dispatcher } : {}),
    });
  }
  return new DwsClient({
    endpoint,
    auth,
    timeoutMs: config.dws.timeoutMs,
    ...(config.dws.rateLimitPerSecond
      ? {
          // No window sees more than this worker's share of the account limit; no spacing below it. Counted over
          // 1.1 s: requests reach the gateway some milliseconds after their grant, unevenly, and must still fit
          // in any one second there (measured: up to 56 arrivals in a second at a 1.0 s window and a limit of 50).
          rateLimiter: new RateLimiter({ ratePerSecond: workerRateShare(config), windowMs: RATE_WINDOW_MS }),
        }
      : {}),
    ...(dispatcher ? { dispatcher } : {}),
  });
}
