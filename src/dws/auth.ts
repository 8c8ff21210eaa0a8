/**
 * How the DWS client proves who it is: AK/SK request signing, or an IAM user token (reference §5). Secrets live
 * in `#private` fields so they never show up in `util.inspect`, JSON or error messages.
 */
import { getGlobalDispatcher } from 'undici';
import type { Dispatcher } from 'undici';
import { exchange } from './http';
import { errorFromResponse, headerValue, missingField, parseSuccessBody } from './response';
import type { CallContext } from './response';
import { formatSdkDate, signRequest } from './signer';

/** The request an authenticator sees: the headers the client will send and wants covered. */
export interface AuthRequest {
  method: string;
  url: URL;
  /** Includes `host` (exactly the Host value sent), `content-type` and `x-project-id`. */
  headers: Record<string, string>;
  body: string;
}

/** Adds credentials to a request. */
export interface Authenticator {
  /**
   * @returns the headers to add to the request.
   * @throws a `DwsError` when credentials cannot be obtained (e.g. the IAM token request failed).
   */
  authenticate(req: AuthRequest): Promise<Record<string, string>>;
}

/** Headers worth signing: proxies leave them alone, and the gateway can recompute them. */
const AKSK_SIGNED = new Set(['content-type', 'host', 'x-project-id']);

export interface AkSkAuthenticatorOptions {
  ak: string;
  sk: string;
  /** STS token of temporary credentials; sent as `X-Security-Token` and signed. */
  securityToken?: string;
  /** Clock for `X-Sdk-Date`; default `() => new Date()`. */
  now?: () => Date;
}

/**
 * Signs each request with `SDK-HMAC-SHA256` over `content-type;host;x-project-id;x-sdk-date` (plus
 * `x-security-token` with temporary credentials). When the request has no `host` header it signs `url.host`, which
 * the caller must then send as the Host header.
 */
export class AkSkAuthenticator implements Authenticator {
  readonly #ak: string;
  readonly #sk: string;
  readonly #securityToken: string | undefined;
  readonly #now: () => Date;

  /** @throws TypeError when the AK or SK is empty. */
  constructor(options: AkSkAuthenticatorOptions) {
    if (!options.ak || !options.sk) throw new TypeError('AK/SK authentication needs a non-empty AK and SK');
    this.#ak = options.ak;
    this.#sk = options.sk;
    this.#securityToken = options.securityToken || undefined;
    this.#now = options.now ?? (() => new Date());
  }

  authenticate(req: AuthRequest): Promise<Record<string, string>> {
    const toSign: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (AKSK_SIGNED.has(name.toLowerCase())) toSign[name.toLowerCase()] = value;
    }
    toSign.host ??= req.url.host;
    const sdkDate = formatSdkDate(this.#now());
    toSign['x-sdk-date'] = sdkDate;
    if (this.#securityToken !== undefined) toSign['x-security-token'] = this.#securityToken;
    const { authorization } = signRequest({ ...req, headers: toSign, ak: this.#ak, sk: this.#sk });
    const added: Record<string, string> = { 'X-Sdk-Date': sdkDate, Authorization: authorization };
    if (this.#securityToken !== undefined) added['X-Security-Token'] = this.#securityToken;
    return Promise.resolve(added);
  }
}

export interface IamTokenAuthenticatorOptions {
  /** IAM base URL, e.g. `https://iam.cn-north-4.myhuaweicloud.com`. */
  iamEndpoint: string;
  /** Account (domain) name. */
  domain: string;
  user: string;
  password: string;
  /** The token is scoped to this project, as DWS requires. */
  projectId: string;
  /** Default: undici's global dispatcher. */
  dispatcher?: Dispatcher;
  /** Renew this long before `expires_at` (at most half the token's lifetime); default 1 h. */
  refreshMarginMs?: number;
  /** Time limit of one token request; default 15 s. */
  timeoutMs?: number;
  now?: () => Date;
  /**
   * Where these credentials come from, for the error messages. @default the HUAWEICLOUD_IAM_* variables
   */
  configuredBy?: { endpoint: string; credentials: string };
}

interface CachedToken {
  token: string;
  expiresAtMs: number;
  renewAtMs: number;
}

/**
 * Gets an IAM user token (password method, project scope), caches it, renews it before it expires, and sends it
 * as `X-Auth-Token`. Concurrent callers share one token request. When renewal fails while the cached token is
 * still valid, the cached token is used and the next call tries again.
 */
export class IamTokenAuthenticator implements Authenticator {
  readonly #options: Required<Omit<IamTokenAuthenticatorOptions, 'dispatcher' | 'configuredBy'>> & {
    dispatcher: Dispatcher | undefined;
  };
  readonly #ctx: CallContext;
  #cached: CachedToken | null = null;
  #inFlight: Promise<CachedToken> | null = null;

  /** @throws TypeError when a required option is empty. */
  constructor(options: IamTokenAuthenticatorOptions) {
    for (const key of ['iamEndpoint', 'domain', 'user', 'password', 'projectId'] as const) {
      if (!options[key]) throw new TypeError(`IAM token authentication needs a non-empty ${key}`);
    }
    const { configuredBy, ...rest } = options;
    this.#options = {
      ...rest,
      refreshMarginMs: options.refreshMarginMs ?? 60 * 60_000,
      timeoutMs: options.timeoutMs ?? 15_000,
      now: options.now ?? (() => new Date()),
      dispatcher: options.dispatcher,
    };
    const who = `IAM user ${options.user} of account ${options.domain} (project ${options.projectId})`;
    this.#ctx = {
      operation: 'KeystoneCreateUserTokenByPassword',
      target: who,
      mutating: false,
      hints: {
        notFound: `Check ${configuredBy?.endpoint ?? 'HUAWEICLOUD_IAM_ENDPOINT'} and the project id.`,
        unauthorized: `Check ${configuredBy?.credentials ?? 'HUAWEICLOUD_IAM_USER, HUAWEICLOUD_IAM_PASSWORD and HUAWEICLOUD_IAM_DOMAIN'}.`,
        forbidden: 'The IAM user may be locked, disabled or not allowed to log in with a password.',
      },
      secrets: [options.password],
    };
  }

  async authenticate(_req: AuthRequest): Promise<Record<string, string>> {
    return { 'X-Auth-Token': await this.#token() };
  }

  async #token(): Promise<string> {
    const cached = this.#cached;
    const now = this.#options.now().getTime();
    if (cached !== null && now < cached.renewAtMs) return cached.token;
    try {
      return (await this.#renew()).token;
    } catch (err) {
      if (cached !== null && this.#options.now().getTime() < cached.expiresAtMs) return cached.token;
      throw err;
    }
  }

  #renew(): Promise<CachedToken> {
    this.#inFlight ??= this.#fetch().finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  async #fetch(): Promise<CachedToken> {
    const o = this.#options;
    const url = new URL(`${o.iamEndpoint.replace(/\/+$/, '')}/v3/auth/tokens?nocatalog=true`);
    const body = JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: o.user, password: o.password, domain: { name: o.domain } } },
        },
        scope: { project: { id: o.projectId } },
      },
    });
    const headers = { host: url.host, 'content-type': 'application/json;charset=utf8', accept: 'application/json' };
    const dispatcher = o.dispatcher ?? getGlobalDispatcher();
    const res = await exchange(dispatcher, { url, method: 'POST', headers, body, timeoutMs: o.timeoutMs }, this.#ctx);
    if (res.status < 200 || res.status > 299) throw errorFromResponse(res, this.#ctx, o.now().getTime());
    const json = parseSuccessBody(res, this.#ctx);
    const token = headerValue(res.headers, 'x-subject-token');
    const expiresAt = (json.token as { expires_at?: unknown } | undefined)?.expires_at;
    const expiresAtMs = typeof expiresAt === 'string' ? Date.parse(expiresAt) : NaN;
    if (token === undefined || token === '' || Number.isNaN(expiresAtMs)) {
      const field = token === undefined || token === '' ? 'X-Subject-Token header' : 'valid token.expires_at';
      throw missingField(res, this.#ctx, field);
    }
    const now = o.now().getTime();
    const margin = Math.min(o.refreshMarginMs, Math.max(0, (expiresAtMs - now) / 2));
    this.#cached = { token, expiresAtMs, renewAtMs: expiresAtMs - margin };
    return this.#cached;
  }
}
