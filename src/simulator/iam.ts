/**
 * A small IAM: `POST /v3/auth/tokens` with the password method and a project scope (reference §5.1), and the
 * tokens it issued, for `X-Auth-Token` on DWS calls. Tokens survive `reset()` (IAM is a separate service).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SimulatorIamUser } from './options';
import { json, type SimResponse } from './responses';

/** A token the simulator issued. */
export interface IssuedToken {
  token: string;
  user: SimulatorIamUser;
  projectId: string;
  issuedMs: number;
  expiresMs: number;
}

/** Tokens issued by `POST /v3/auth/tokens`, by token string. */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  issue(user: SimulatorIamUser, projectId: string, nowMs: number, ttlMs: number): IssuedToken {
    // Real tokens are long opaque PKI strings starting with MII; the prefix makes them recognisable in logs.
    const token = `MIIsim${randomBytes(48).toString('base64url')}`;
    const issued = { token, user, projectId, issuedMs: nowMs, expiresMs: nowMs + ttlMs };
    this.tokens.set(token, issued);
    return issued;
  }

  get(token: string): IssuedToken | undefined {
    return this.tokens.get(token);
  }
}

/** What the token endpoint needs from the simulator. */
export interface TokenRequestContext {
  users: readonly SimulatorIamUser[];
  tokens: TokenStore;
  ttlMs: number;
  nowMs: number;
  /** Project id of a project (region) name, e.g. `cn-north-4`, if the simulator knows one. */
  projectIdByName: (name: string) => string | undefined;
}

const iamError = (status: number, title: string, message: string): SimResponse =>
  json(status, { error: { code: status, title, message } });

const stableId = (value: string): string => createHash('sha256').update(value).digest('hex').slice(0, 32);

/** IAM writes `expires_at` with microseconds: `2020-01-04T09:05:22.701000Z`. */
const iamTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/**
 * Answers `POST /v3/auth/tokens`: 201 with the token in `X-Subject-Token` and `token.expires_at` in the body; 400
 * for a body that is not a project-scoped password request; 401 for a wrong user, domain or password.
 */
export function handleTokenRequest(rawBody: string, query: URLSearchParams, ctx: TokenRequestContext): SimResponse {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return iamError(400, 'Bad Request', 'The request body is not valid JSON.');
  }
  const auth = (body as { auth?: Record<string, unknown> } | null)?.auth;
  const identity = auth?.identity as { methods?: unknown; password?: { user?: Record<string, unknown> } } | undefined;
  if (!Array.isArray(identity?.methods) || !identity.methods.includes('password')) {
    return iamError(400, 'Bad Request', 'auth.identity.methods must include "password".');
  }
  const user = identity.password?.user;
  const domain = (user?.domain as { name?: unknown } | undefined)?.name;
  if (typeof user?.name !== 'string' || typeof user.password !== 'string' || typeof domain !== 'string') {
    return iamError(400, 'Bad Request', 'auth.identity.password.user needs name, password and domain.name.');
  }
  const project = (auth?.scope as { project?: { id?: unknown; name?: unknown } } | undefined)?.project;
  const projectId =
    typeof project?.id === 'string'
      ? project.id
      : typeof project?.name === 'string'
        ? ctx.projectIdByName(project.name)
        : undefined;
  if (projectId === undefined || !/^[0-9a-f]{32}$/.test(projectId)) {
    return iamError(400, 'Bad Request', 'auth.scope.project must name a known project by id or name.');
  }
  const match = ctx.users.find((u) => u.name === user.name && u.domain === domain && u.password === user.password);
  if (!match) return iamError(401, 'Unauthorized', 'The username or password is wrong.');

  const issued = ctx.tokens.issue(match, projectId, ctx.nowMs, ctx.ttlMs);
  const domainRef = { id: stableId(`domain:${match.domain}`), name: match.domain };
  const token: Record<string, unknown> = {
    expires_at: iamTime(issued.expiresMs),
    issued_at: iamTime(issued.issuedMs),
    methods: ['password'],
    project: { id: projectId, name: typeof project?.name === 'string' ? project.name : '', domain: domainRef },
    user: { id: stableId(`user:${match.domain}/${match.name}`), name: match.name, domain: domainRef },
    roles: [{ id: stableId('role:dws-admin'), name: 'dws_adm' }],
  };
  // Any non-empty `nocatalog` drops the (large) service catalog, as IAM does.
  if (!query.get('nocatalog')) token.catalog = [];
  return json(201, { token }, { 'x-subject-token': issued.token });
}
