/**
 * Builds the DWS clients from configuration: endpoint, AK/SK or IAM-token auth, timeout, rate limit.
 */
import type { Dispatcher } from 'undici';
import type { Config } from '../config';
import { AkSkAuthenticator, IamTokenAuthenticator, type Authenticator } from './auth';
import { DwsClient } from './client';
import { DwsFleet } from './fleet';
import { workerRateLimiter } from './rate-share';

export { RATE_WINDOW_MS, workerRateShare } from './rate-share';

/**
 * The DWS API of every project the configuration reaches: the inventory's `projects` with their accounts, and the
 * environment's endpoint and credentials for every other project. Clients are made on first use; with only the
 * environment's settings that is one client with one rate limiter, as `createDwsClient` makes.
 * @param dispatcher where every request goes (tests); default: each client owns an undici Agent.
 */
export function createDwsFleet(config: Config, dispatcher?: Dispatcher): DwsFleet {
  return new DwsFleet(config, dispatcher ? { dispatcher } : {});
}

/**
 * One client of the environment's endpoint and credentials (DWS_REGION/DWS_ENDPOINT, HUAWEICLOUD_*), for tools that
 * talk to one endpoint; the worker and the CLI use `createDwsFleet`.
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
  const rateLimiter = workerRateLimiter(config);
  return new DwsClient({
    endpoint,
    auth,
    timeoutMs: config.dws.timeoutMs,
    ...(rateLimiter ? { rateLimiter } : {}),
    ...(dispatcher ? { dispatcher } : {}),
  });
}
