/** The DWS client: endpoints, authentication, signing, errors, wire types and their interpretation. */
export { DwsClient, regionalEndpoint } from './client';
export type { DrActionResult, DrListFilter, DwsCallOptions, DwsClientOptions } from './client';
export { AkSkAuthenticator, IamTokenAuthenticator } from './auth';
export type { AkSkAuthenticatorOptions, AuthRequest, Authenticator, IamTokenAuthenticatorOptions } from './auth';
export {
  DwsAuthError,
  DwsBadResponseError,
  DwsError,
  DwsHttpError,
  DwsInvalidInputError,
  DwsNetworkError,
  DwsNotFoundError,
  DwsServerError,
  DwsThrottledError,
  DwsTimeoutError,
  isDwsError,
} from './errors';
export type { DwsErrorCode, DwsErrorContext, DwsResponseDetails } from './errors';
export {
  SIGNING_ALGORITHM,
  UNSIGNED_PAYLOAD,
  formatSdkDate,
  parseSdkDate,
  signRequest,
  verifySignature,
} from './signer';
export type { SignRequestInput, SignedRequest, VerifySignatureInput, VerifySignatureResult } from './signer';
export {
  FAILOVER_ALLOWED_DR_STATUSES,
  MIN_FAILOVER_KERNEL,
  STABLE_DR_STATUSES,
  TRANSITIONAL_DR_STATUSES,
  classifyDrStatus,
  clusterHealth,
  compareVersions,
  formatDwsTime,
  parseDwsTime,
} from './model';
export type {
  ClusterDetailWire,
  DrActionResponseWire,
  DrClusterProgressWire,
  DrClusterWire,
  DrDetailWire,
  DrListItemWire,
  DrProgressWire,
  HuaweiErrorBodyWire,
} from './types';
