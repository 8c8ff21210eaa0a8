import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { namedTokenOwner, parsePeopleTokens } from '../../src/intake/people-tokens';

const hashOf = (token: string): string => `sha256:${createHash('sha256').update(token).digest('hex')}`;
const FILE = '/etc/dws-failover/people-tokens';

describe('named tokens file', () => {
  it('reads `<name> sha256:<hex>` lines, skipping comments and blank lines, and finds a token by its hash', () => {
    const text = `# people and automation that may decide
alice ${hashOf('alice-token-0123456789abcdef')}

deploy-bot ${hashOf('bot-token-0123456789abcdef').toUpperCase().replace('SHA256:', 'sha256:')}  # CI
`;
    const { tokens, problems } = parsePeopleTokens(text, FILE);
    expect(problems).toEqual([]);
    expect(tokens.map((t) => t.name)).toEqual(['alice', 'deploy-bot']);
    expect(namedTokenOwner(tokens, 'alice-token-0123456789abcdef')).toBe('alice');
    expect(namedTokenOwner(tokens, 'bot-token-0123456789abcdef')).toBe('deploy-bot');
    expect(namedTokenOwner(tokens, 'alice-token-0123456789abcdeF')).toBeNull();
  });

  it('names file:line and how to make the hash for a line that is not a name and a hash', () => {
    const text = `alice ${hashOf('a')}
bob
carol plain-token-not-a-hash
dave sha256:1234
`;
    const { tokens, problems } = parsePeopleTokens(text, FILE);
    expect(tokens.map((t) => t.name)).toEqual(['alice']);
    expect(problems).toEqual([
      `${FILE}:2: expected "<name> sha256:<64 hex>", got 1 field; make the hash with \`printf %s "$TOKEN" | sha256sum\``,
      `${FILE}:3: the token of carol must be written as sha256:<64 hex> (its hash, never the token itself); make it with \`printf %s "$TOKEN" | sha256sum\``,
      `${FILE}:4: the token of dave must be written as sha256:<64 hex> (its hash, never the token itself); make it with \`printf %s "$TOKEN" | sha256sum\``,
    ]);
  });

  it('refuses a name listed twice, two names with one token, and the shared intake token', () => {
    const shared = 'shared-intake-token-0123456789abcdef';
    const text = `alice ${hashOf('a')}
alice ${hashOf('b')}
bob ${hashOf('a')}
alerts ${hashOf(shared)}
`;
    const { tokens, problems } = parsePeopleTokens(text, FILE, shared);
    expect(tokens.map((t) => t.name)).toEqual(['alice']);
    expect(problems).toEqual([
      `${FILE}:2: alice is listed twice; keep one line per name (one token each)`,
      `${FILE}:3: bob has the same token as alice; give each name its own token`,
      `${FILE}:4: the token of alerts is DWS_FAILOVER_INTAKE_TOKEN, the alert senders' shared token; give alerts a token of its own (\`openssl rand -hex 32\`)`,
    ]);
  });
});
