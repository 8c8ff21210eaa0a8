/**
 * The API gateway's authentication of DWS calls: an AK/SK signature (`Authorization: SDK-HMAC-SHA256 …`, checked
 * with the project's own verifier) or an IAM token (`X-Auth-Token`). Off when the simulator was given neither
 * credentials nor IAM users; then every request passes and no signature is checked.
 */
import { verifySignature } from '../dws/signer';
import type { SimulatorConfig } from './config';
import type { TokenStore } from './iam';
import type { SimulatorCredential } from './options';
import type { AuthKind } from './request-log';
import { errors, type SimResponse } from './responses';

/** The request as the gateway sees it. */
export interface AuthRequest {
  method: string;
  /** Path as received (still percent-encoded), without the query. */
  path: string;
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
  /** The `{project_id}` of the DWS path, when the route has one. */
  projectId: string | null;
}

/** What authentication decided. */
export interface AuthResult {
  kind: AuthKind;
  /** true/false when an AK/SK signature was checked, else null. */
  signatureValid: boolean | null;
  ak: string | null;
  /** Why it failed (for the request log), or null. */
  error: string | null;
  /** The 401/403 answer when the request must not proceed, else null. */
  failure: SimResponse | null;
}

/** Decides whether a DWS request may proceed, and records how it authenticated. */
export class Authenticator {
  private readonly secrets: ReadonlyMap<string, string>;

  constructor(
    credentials: readonly SimulatorCredential[],
    private readonly hasIamUsers: boolean,
    private readonly tokens: TokenStore,
    private readonly config: () => SimulatorConfig
  ) {
    this.secrets = new Map(credentials.map((c) => [c.ak, c.sk]));
  }

  /** Whether requests must authenticate at all. */
  get enabled(): boolean {
    return this.secrets.size > 0 || this.hasIamUsers;
  }

  check(req: AuthRequest, nowMs: number, requestId: string): AuthResult {
    const header = (name: string): string | undefined => {
      const v = req.headers[name];
      return Array.isArray(v) ? v.join(', ') : v;
    };
    const authorization = header('authorization');
    const token = header('x-auth-token');
    if (authorization !== undefined) {
      const ak = /Access=([^,\s]+)/.exec(authorization)?.[1] ?? null;
      if (!this.enabled) return pass('aksk', ak);
      const result = verifySignature({
        method: req.method,
        path: req.path,
        rawQuery: req.rawQuery,
        headers: req.headers,
        body: req.body,
        lookupSecret: (key) => this.secrets.get(key),
        now: new Date(nowMs),
        maxSkewMs: this.config().maxClockSkewMs,
      });
      if (result.valid) return { kind: 'aksk', signatureValid: true, ak: result.ak, error: null, failure: null };
      return {
        kind: 'aksk',
        signatureValid: false,
        ak,
        error: result.reason,
        failure: errors.authFailed('verify aksk signature fail', requestId),
      };
    }
    if (token !== undefined) {
      if (!this.enabled) return pass('token', null);
      const issued = this.tokens.get(token.trim());
      const fail = (error: string, failure: SimResponse): AuthResult => ({
        kind: 'token',
        signatureValid: null,
        ak: null,
        error,
        failure,
      });
      if (!issued) return fail('unknown token', errors.authFailed('decrypt token fail', requestId));
      if (issued.expiresMs <= nowMs) {
        const expiresAt = new Date(issued.expiresMs).toISOString();
        return fail('token expired', errors.authFailed(`token expires, expires_at: ${expiresAt}`, requestId));
      }
      if (req.projectId !== null && req.projectId !== issued.projectId) {
        return fail(`token is scoped to project ${issued.projectId}`, errors.forbidden(requestId));
      }
      return pass('token', null);
    }
    if (!this.enabled) return pass('none', null);
    // No credentials at all counts as a failed signature check (the gateway's answer is the same).
    return {
      kind: 'none',
      signatureValid: false,
      ak: null,
      error: 'no Authorization or X-Auth-Token header',
      failure: errors.authFailed('verify aksk signature fail', requestId),
    };
  }
}

function pass(kind: AuthKind, ak: string | null): AuthResult {
  return { kind, signatureValid: null, ak, error: null, failure: null };
}
