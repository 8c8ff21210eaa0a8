/**
 * The intake's configuration for verified identities: OIDC (`DWS_FAILOVER_OIDC_*`), named tokens
 * (`DWS_FAILOVER_INTAKE_PEOPLE_TOKENS`) and the key it attests with (`DWS_FAILOVER_INTAKE_SIGNING_KEY`). Read by
 * src/config.ts; kept apart so the rules sit next to the code that uses them (docs/intake-identity.md).
 */
import { readFileSync } from 'node:fs';
import { parseSigningKey, type SigningKey } from '../identity/keys';
import type { OidcSettings } from './oidc';
import { parsePeopleTokens, type NamedToken } from './people-tokens';

export interface IdentitySettings {
  oidc: OidcSettings | null;
  peopleTokens: { path: string; tokens: NamedToken[] } | null;
  signingKey: SigningKey | null;
}

/** How to create the intake's key, for messages (the CLI's `keys generate`, or plain OpenSSL). */
export const INTAKE_KEY_HOWTO =
  '`{ echo "# name: intake"; openssl genpkey -algorithm ed25519; } > intake-key.pem` (or `dws-failover keys generate --name intake`), DWS_FAILOVER_INTAKE_SIGNING_KEY_FILE=intake-key.pem, and the line `service intake ed25519:…` (the intake logs it at start) in every worker\'s DWS_FAILOVER_APPROVER_KEYS';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An https URL (http only on loopback, for tests and local trials), or the problem with it. */
function urlProblem(name: string, value: string): string | null {
  if (!URL.canParse(value)) return `${name}='${value}' is not a URL; use e.g. https://login.example.com/realms/ops.`;
  const u = new URL(value);
  if (u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname))) return null;
  return `${name}='${value}' must be an https URL (http only on localhost): the key set that vouches for every decision must not travel in clear text.`;
}

/**
 * Reads the identity settings. `str` and `seconds` are the configuration's readers (unset → null / fallback,
 * problems recorded by them); `sharedToken` is DWS_FAILOVER_INTAKE_TOKEN, which no named token may equal.
 * @returns the settings and every problem, each naming the variable (or file:line) and the fix.
 */
export function loadIdentitySettings(
  str: (name: string) => string | null,
  seconds: (name: string, fallback: number, min?: number) => number,
  sharedToken: string | null
): IdentitySettings & { problems: string[] } {
  const problems: string[] = [];

  let oidc: OidcSettings | null = null;
  const issuer = str('DWS_FAILOVER_OIDC_ISSUER');
  const audience = str('DWS_FAILOVER_OIDC_AUDIENCE');
  const jwksUrl = str('DWS_FAILOVER_OIDC_JWKS_URL');
  const claim = str('DWS_FAILOVER_OIDC_CLAIM') ?? 'email';
  const clockSkewSeconds = seconds('DWS_FAILOVER_OIDC_CLOCK_SKEW', 60);
  if (issuer === null) {
    for (const [name, v] of [
      ['DWS_FAILOVER_OIDC_AUDIENCE', audience],
      ['DWS_FAILOVER_OIDC_JWKS_URL', jwksUrl],
      ['DWS_FAILOVER_OIDC_CLAIM', str('DWS_FAILOVER_OIDC_CLAIM')],
    ] as const) {
      if (v !== null) problems.push(`${name} is set but DWS_FAILOVER_OIDC_ISSUER is not; set the issuer too.`);
    }
  } else {
    const issuerProblem = urlProblem('DWS_FAILOVER_OIDC_ISSUER', issuer);
    if (issuerProblem) problems.push(issuerProblem);
    if (audience === null) {
      problems.push(
        "DWS_FAILOVER_OIDC_AUDIENCE is required with DWS_FAILOVER_OIDC_ISSUER: the audience (client id) of the intake's tokens, so a token issued for another application is refused."
      );
    }
    const keys = jwksUrl ?? `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`;
    const keysProblem = issuerProblem ? null : urlProblem('DWS_FAILOVER_OIDC_JWKS_URL', keys);
    if (keysProblem) problems.push(keysProblem);
    if (!issuerProblem && !keysProblem && audience !== null) {
      oidc = { issuer, audience, jwksUrl: keys, claim, clockSkewSeconds };
    }
  }

  let peopleTokens: IdentitySettings['peopleTokens'] = null;
  const tokensPath = str('DWS_FAILOVER_INTAKE_PEOPLE_TOKENS');
  if (tokensPath !== null) {
    try {
      const parsed = parsePeopleTokens(readFileSync(tokensPath, 'utf8'), tokensPath, sharedToken);
      problems.push(...parsed.problems.map((p) => `DWS_FAILOVER_INTAKE_PEOPLE_TOKENS: ${p}`));
      peopleTokens = { path: tokensPath, tokens: parsed.tokens };
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      problems.push(
        `DWS_FAILOVER_INTAKE_PEOPLE_TOKENS='${tokensPath}' cannot be read (${reason}); mount the named tokens file there or fix the path.`
      );
    }
  }

  let signingKey: SigningKey | null = null;
  const pem = str('DWS_FAILOVER_INTAKE_SIGNING_KEY');
  if (pem !== null) {
    try {
      signingKey = parseSigningKey(pem, 'DWS_FAILOVER_INTAKE_SIGNING_KEY');
    } catch (err) {
      problems.push(`${(err as Error).message} (the intake's own key: ${INTAKE_KEY_HOWTO}).`);
    }
  }
  return { oidc, peopleTokens, signingKey, problems };
}
