/**
 * Who is asking, per route. Alert routes take the senders' shared credentials (auth.ts). Starts and reads
 * (`automation`) also take a person's own bearer token. Decisions (`decision`) take only that: the shared token and
 * HMAC name no person, so they get 403 and the way to decide instead.
 *
 * A bearer token is first compared with the shared token (constant time), then with the named tokens' hashes, and
 * only then, if it looks like one, verified as a JWT against the OIDC issuer: a shared or named token never reaches
 * the JWT parser, and a JWT is never compared as if it were a static secret that failed.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { authenticate, bearerToken, header, unauthorized, type AuthResult, type AuthScheme } from './auth';
import type { IntakeDeps } from './deps';
import { HttpError } from './http';
import type { OidcVerifier } from './oidc';
import { namedTokenOwner, type NamedToken } from './people-tokens';
import { safeEqual, SIGNATURE_HEADER } from './signatures';
import type { VerifiedPerson } from '../identity/attest';

/** The personal credentials the intake verifies. */
export interface PeopleAuth {
  oidc: OidcVerifier | null;
  tokens: readonly NamedToken[];
}

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** The personal credentials this intake accepts, in words, for messages. */
export function personalWays(people: PeopleAuth): string {
  const ways = [
    people.oidc ? `an OIDC token from ${people.oidc.settings.issuer}` : null,
    people.tokens.length > 0 ? 'your named token (DWS_FAILOVER_INTAKE_PEOPLE_TOKENS)' : null,
  ].filter(Boolean);
  return ways.length > 0
    ? `"Authorization: Bearer <${ways.join(' or ')}>"`
    : 'a personal credential, which this intake is not set up to verify (DWS_FAILOVER_OIDC_ISSUER or DWS_FAILOVER_INTAKE_PEOPLE_TOKENS)';
}

/**
 * The person a bearer token names: a named token, else an OIDC token.
 * @throws HttpError 401 naming why not (OIDC refusals carry `reason`); 503 when the issuer's key set cannot be read.
 */
export async function verifyPerson(people: PeopleAuth, bearer: string, now: Date): Promise<VerifiedPerson> {
  const name = namedTokenOwner(people.tokens, bearer);
  if (name !== null) return { actor: name, method: 'token', detail: name };
  if (JWT.test(bearer)) {
    if (people.oidc) return people.oidc.verify(bearer, now);
    throw unauthorized(
      'The bearer token is a JWT, but this intake verifies none: DWS_FAILOVER_OIDC_ISSUER is not set on the intake.'
    );
  }
  const named = people.tokens.length > 0 ? ', nor a named token (DWS_FAILOVER_INTAKE_PEOPLE_TOKENS)' : '';
  const jwt = people.oidc ? ', nor a JWT' : '';
  throw unauthorized(`The bearer token is not the intake token${named}${jwt}.`);
}

/** 403 for the shared credentials on a decision route. */
function sharedCannotDecide(people: PeopleAuth, credential: string): HttpError {
  return new HttpError(
    403,
    'forbidden',
    `${credential} is the alert senders' shared credential: it names no person, so it cannot approve, reject or cancel. Decide with ${personalWays(people)}, or with \`dws-failover approve|reject|cancel\` and your own key.`,
    { reason: 'shared_credential' }
  );
}

/**
 * Authenticates one request for a route of `scheme`; a signed one leaves its signature reserved in `deps.replays`.
 * @throws HttpError 401 (missing or wrong credential, with the reason), 403 (a shared credential on a decision
 *   route), 503 (the OIDC key set cannot be read).
 */
export async function identify(
  deps: Pick<IntakeDeps, 'auth' | 'people' | 'replays'>,
  scheme: AuthScheme,
  headers: IncomingHttpHeaders,
  body: Buffer,
  now: Date
): Promise<AuthResult> {
  if (scheme === 'automation' || scheme === 'decision') {
    const bearer = bearerToken(headers);
    const shared = bearer !== undefined && deps.auth.token !== null && safeEqual(bearer, deps.auth.token);
    const personal = deps.people.oidc !== null || deps.people.tokens.length > 0 || scheme === 'decision';
    if (bearer !== undefined && !shared && personal) {
      const person = await verifyPerson(deps.people, bearer, now);
      return { method: person.method, person };
    }
    if (scheme === 'decision') {
      if (shared) throw sharedCannotDecide(deps.people, 'DWS_FAILOVER_INTAKE_TOKEN');
      if (header(headers, SIGNATURE_HEADER) !== undefined) {
        throw sharedCannotDecide(deps.people, 'An HMAC signature (DWS_FAILOVER_INTAKE_HMAC_SECRET)');
      }
      throw unauthorized(`No credentials: approve, reject and cancel take ${personalWays(deps.people)}.`);
    }
  }
  return authenticate(deps.auth, scheme, headers, body, deps.replays, now.getTime());
}
