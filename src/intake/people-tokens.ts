/**
 * Named tokens: one bearer token per person or automation (`DWS_FAILOVER_INTAKE_PEOPLE_TOKENS`), for decisions and
 * manual starts where no identity provider issues tokens. The file holds only SHA-256 hashes, so reading it (a
 * ConfigMap, a backup) gives away no token; the name on the line is the identity the intake attests.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** One line of the file: whose token, and the SHA-256 of the token. */
export interface NamedToken {
  name: string;
  sha256: Buffer;
}

/** How to make a line's hash, for every problem message. */
export const TOKEN_HASH_HOWTO = 'printf %s "$TOKEN" | sha256sum';

const NAME = /^[^\s#]{1,200}$/;
const HASH = /^sha256:([0-9a-f]{64})$/;

/**
 * Parses the named tokens file: `<name> sha256:<64 hex>` per line, `#` comments, blank lines ignored. A line holding
 * the hash of `sharedToken` (the alert senders' token) is refused: a person's token must be their own.
 * @returns the tokens and the problems, each naming `file:line` and the fix.
 */
export function parsePeopleTokens(
  text: string,
  file: string,
  sharedToken: string | null = null
): { tokens: NamedToken[]; problems: string[] } {
  const tokens: NamedToken[] = [];
  const problems: string[] = [];
  const shared = sharedToken === null ? null : sha256(sharedToken);
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const where = `${file}:${i + 1}`;
    const parts = line.split(/\s+/);
    if (parts.length !== 2) {
      problems.push(
        `${where}: expected "<name> sha256:<64 hex>", got ${parts.length} field${parts.length === 1 ? '' : 's'}; make the hash with \`${TOKEN_HASH_HOWTO}\``
      );
      return;
    }
    const [name, hashText] = parts as [string, string];
    if (!NAME.test(name)) {
      problems.push(`${where}: the name is longer than 200 characters; use the person's or automation's short name`);
      return;
    }
    const hex = HASH.exec(hashText.toLowerCase())?.[1];
    if (hex === undefined) {
      problems.push(
        `${where}: the token of ${name} must be written as sha256:<64 hex> (its hash, never the token itself); make it with \`${TOKEN_HASH_HOWTO}\``
      );
      return;
    }
    const hash = Buffer.from(hex, 'hex');
    if (tokens.some((t) => t.name === name)) {
      problems.push(`${where}: ${name} is listed twice; keep one line per name (one token each)`);
      return;
    }
    const twin = tokens.find((t) => t.sha256.equals(hash));
    if (twin) {
      problems.push(`${where}: ${name} has the same token as ${twin.name}; give each name its own token`);
      return;
    }
    if (shared && shared.equals(hash)) {
      problems.push(
        `${where}: the token of ${name} is DWS_FAILOVER_INTAKE_TOKEN, the alert senders' shared token; give ${name} a token of its own (\`openssl rand -hex 32\`)`
      );
      return;
    }
    tokens.push({ name, sha256: hash });
  });
  return { tokens, problems };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * The name whose token `bearer` is, or null. Every line is compared, each in constant time, so the timing says
 * neither whether nor where the token was found.
 */
export function namedTokenOwner(tokens: readonly NamedToken[], bearer: string): string | null {
  const hash = sha256(bearer);
  let owner: string | null = null;
  for (const t of tokens) {
    if (timingSafeEqual(t.sha256, hash)) owner = t.name;
  }
  return owner;
}
