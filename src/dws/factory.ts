/**
 * Builds the DWS client from configuration: endpoint, AK/SK or IAM-token auth, timeout.
 */
import type { Dispatcher } from 'undici';
import type { Config } from '../config';
import { AkSkAuthenticator, IamTokenAuthenticator, type Authenticator } from './auth';
import { DwsClient } from './client';
import { RateLimiter } from './rate-limiter';

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
          // Burst 1: no one-second window ever sees more than the limit (+1), as the gateway counts per second.
          rateLimiter: new RateLimiter({ ratePerSecond: config.dws.rateLimitPerSecond, burst: 1 }),
        }
      : {}),
    ...(dispatcher ? { dispatcher } : {}),
  });
}
