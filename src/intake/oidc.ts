/**
 * OIDC bearer tokens (JWTs) for decisions and manual starts: verified against the configured issuer's key set (JWKS,
 * fetched and cached by `jose`), for the configured audience, within the clock skew; the person is the configured
 * claim (`email` by default). Every refusal is a 401 whose `reason` and message say what did not hold, so the person
 * at 3 a.m. knows whether to get a new token, ask for another audience or talk to whoever runs the identity provider.
 */
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { VerifiedPerson } from '../identity/attest';
import { clip, quote } from '../shared/quote';
import { HttpError } from './http';

/** `DWS_FAILOVER_OIDC_*`. */
export interface OidcSettings {
  /** `iss` the tokens must carry, exactly. */
  issuer: string;
  /** `aud` the tokens must carry (one of them). */
  audience: string;
  /** The issuer's key set. @default issuer + '/.well-known/jwks.json' */
  jwksUrl: string;
  /** The claim that names the person. @default 'email' */
  claim: string;
  /** Tolerance on `exp` and `nbf`. @default 60 */
  clockSkewSeconds: number;
}

/** Why a token was refused, for machines (`reason` in the 401's body). */
export type OidcRefusal =
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'unknown_key'
  | 'bad_signature'
  | 'missing_claim'
  | 'unverified_email'
  | 'algorithm_not_allowed'
  | 'malformed';

export interface OidcVerifier {
  readonly settings: OidcSettings;
  /**
   * Verifies `token` at `now`.
   * @throws HttpError 401 `unauthorized` with `reason`; 503 `identity_provider_unavailable` when the key set cannot be
   *   fetched (not the person's fault: retry, or use a named token).
   */
  verify(token: string, now: Date): Promise<VerifiedPerson>;
}

/** Asymmetric algorithms only: a key set never publishes a shared secret, so an HS256 token is refused outright. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** The longest actor a run records (a trigger's actor). */
const MAX_ACTOR = 200;

/** How long a key set fetch may take: a decision's answer should still leave within a few seconds. */
const JWKS_TIMEOUT_MS = 1500;

function refused(reason: OidcRefusal, message: string): HttpError {
  return new HttpError(401, 'unauthorized', message, { reason }, { 'www-authenticate': 'Bearer realm="dws-failover"' });
}

const at = (seconds: unknown): string =>
  typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : 'an unknown time';

const shown = (value: unknown): string =>
  Array.isArray(value) ? value.map((v) => quote(String(v))).join(', ') : quote(String(value ?? 'none'));

/** The key id a token names, for messages; null when it names none or is not a JWS. */
function kidOf(token: string): string | null {
  try {
    return decodeProtectedHeader(token).kid ?? null;
  } catch {
    return null;
  }
}

/** A `jose` failure as the answer the person gets. */
function explain(err: unknown, token: string, s: OidcSettings, now: Date): HttpError {
  const kid = kidOf(token);
  const key = kid === null ? 'the key it names' : `key ${quote(kid)}`;
  if (err instanceof errors.JWTExpired) {
    const ago = Math.round(now.getTime() / 1000 - Number(err.payload.exp));
    return refused(
      'expired',
      `The token expired at ${at(err.payload.exp)} (${ago} s ago; the clock skew allowed is ${s.clockSkewSeconds} s): get a new one from ${s.issuer}.`
    );
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') {
      return refused(
        'wrong_audience',
        `The token is for audience ${shown(err.payload.aud)}, not ${quote(s.audience)} (DWS_FAILOVER_OIDC_AUDIENCE): get a token issued for the intake.`
      );
    }
    if (err.claim === 'iss') {
      return refused(
        'wrong_issuer',
        `The token was issued by ${shown(err.payload.iss)}, not ${quote(s.issuer)} (DWS_FAILOVER_OIDC_ISSUER): use a token from that issuer.`
      );
    }
    if (err.claim === 'nbf') {
      return refused(
        'not_yet_valid',
        `The token is not valid before ${at(err.payload.nbf)} (the clock skew allowed is ${s.clockSkewSeconds} s): check the clocks of the intake and the issuer.`
      );
    }
    if (err.reason === 'missing') {
      return refused('missing_claim', `The token has no ${quote(err.claim)} claim; tokens without it are refused.`);
    }
    return refused('malformed', `The token's ${quote(err.claim)} claim is not valid: ${clip(err.message, 120)}.`);
  }
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return refused(
      'unknown_key',
      `The token is signed with ${key}, which is not in the key set of ${s.issuer} (${s.jwksUrl}): a token from another issuer or environment, or a key the issuer no longer publishes.`
    );
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return refused(
      'bad_signature',
      `The token's signature does not verify with ${key} of ${s.issuer}: it was altered, or not signed by the issuer.`
    );
  }
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) {
    return refused(
      'algorithm_not_allowed',
      `The token is signed with an algorithm the intake does not accept (${ALGORITHMS.join(', ')}).`
    );
  }
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) {
    return refused('malformed', `The bearer token is not a valid JWT: ${clip((err as Error).message, 120)}.`);
  }
  const cause = err instanceof Error ? clip(err.message, 160) : String(err);
  return new HttpError(
    503,
    'identity_provider_unavailable',
    `The key set of ${s.issuer} could not be read from ${s.jwksUrl} (${cause}), so the token cannot be checked: retry, or decide with a named token or \`dws-failover\` and your own key.`,
    {},
    { 'retry-after': '5' }
  );
}

/** The person the verified `payload` names, through the configured claim. @throws HttpError 401 `missing_claim`. */
function personOf(payload: JWTPayload, s: OidcSettings): VerifiedPerson {
  const value = payload[s.claim];
  if (typeof value !== 'string' || value.trim() === '') {
    const has = Object.keys(payload).slice(0, 20).join(', ');
    throw refused(
      'missing_claim',
      `The token has no ${quote(s.claim)} claim to name the person (DWS_FAILOVER_OIDC_CLAIM; the token has: ${has}): ask for a token that carries it (e.g. the \`email\` scope), or set DWS_FAILOVER_OIDC_CLAIM to one of its claims.`
    );
  }
  if (value.trim().length > MAX_ACTOR) {
    throw refused('malformed', `The token's ${quote(s.claim)} claim is longer than ${MAX_ACTOR} characters.`);
  }
  if (s.claim === 'email' && payload.email_verified === false) {
    throw refused('unverified_email', `The token's email ${quote(value)} is not verified by ${s.issuer}.`);
  }
  return { actor: value.trim(), method: 'oidc', detail: `${s.issuer} · ${String(payload.sub)}` };
}

/** A verifier for `settings`; its key set is fetched on first use and cached (refetched for a new key id). */
export function createOidcVerifier(settings: OidcSettings): OidcVerifier {
  const keySet = createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: JWKS_TIMEOUT_MS });
  return {
    settings,
    async verify(token, now) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keySet, {
          issuer: settings.issuer,
          audience: settings.audience,
          clockTolerance: settings.clockSkewSeconds,
          currentDate: now,
          algorithms: ALGORITHMS,
          requiredClaims: ['exp', 'sub'],
        }));
      } catch (err) {
        throw explain(err, token, settings, now);
      }
      return personOf(payload, settings);
    },
  };
}
