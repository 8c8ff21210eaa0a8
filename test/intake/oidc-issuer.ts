/**
 * A stand-in identity provider for tests: keys generated in the test, its key set served over loopback
 * (`<issuer>/.well-known/jwks.json`, as the intake fetches it), and tokens it signs. Closed when the test finishes.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type KeyLike } from 'jose';
import { onTestFinished } from 'vitest';

export const AUDIENCE = 'dws-failover-intake';

export interface TestIssuer {
  /** `http://127.0.0.1:<port>`: the `iss` of its tokens. */
  issuer: string;
  jwksUrl: string;
  /** Key set requests served so far. */
  fetches(): number;
  /**
   * A token signed by the issuer's published key: `email` alice@example.com, `sub` alice-sub, audience AUDIENCE, valid
   * for 5 minutes from now, unless `claims` (undefined deletes) or `options` say otherwise.
   */
  token(claims?: Record<string, unknown>, options?: { key?: 'published' | 'unpublished'; now?: Date }): Promise<string>;
  /** The DWS_FAILOVER_OIDC_* variables that trust this issuer. */
  env(): Record<string, string>;
}

interface TestKey {
  kid: string;
  privateKey: KeyLike;
  jwk: JWK;
}

async function testKey(kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

/** Starts an issuer on a free loopback port. */
export async function startTestIssuer(): Promise<TestIssuer> {
  const published = await testKey('published-key');
  const unpublished = await testKey('unpublished-key');
  let fetches = 0;
  const server = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    fetches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [published.jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    fetches: () => fetches,
    async token(claims = {}, options = {}) {
      const key = options.key === 'unpublished' ? unpublished : published;
      const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
      const payload: JWTPayload = {
        iss: issuer,
        aud: AUDIENCE,
        sub: 'alice-sub',
        email: 'alice@example.com',
        iat: now,
        exp: now + 300,
        ...claims,
      };
      for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
      return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
    },
    env: () => ({ DWS_FAILOVER_OIDC_ISSUER: issuer, DWS_FAILOVER_OIDC_AUDIENCE: AUDIENCE }),
  };
}
