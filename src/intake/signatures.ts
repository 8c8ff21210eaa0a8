/**
 * Signature primitives: HMAC-SHA256, constant-time comparison, signature header lists, and the cache that refuses
 * an HMAC-signed request replayed inside the time window.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Header with the Unix time (seconds) the sender signed at. */
export const TIMESTAMP_HEADER = 'x-dws-failover-timestamp';
/** Header with `sha256=<hex>` of HMAC-SHA256(secret, `${timestamp}.${body}`); several, comma-separated, may be sent. */
export const SIGNATURE_HEADER = 'x-dws-failover-signature';

/** Lower-case hex HMAC-SHA256 of `parts` concatenated. */
export function hmacHex(secret: string, ...parts: (string | Buffer)[]): string {
  const mac = createHmac('sha256', secret);
  for (const part of parts) mac.update(part);
  return mac.digest('hex');
}

/**
 * Compares two secrets or signatures in constant time, whatever their lengths (both are hashed first, so neither
 * the content nor the length leaks through timing).
 */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** The signatures with `prefix` in a comma-separated header (`v1=aa,v1=bb` → `['aa', 'bb']`), lower-cased. */
export function signaturesIn(header: string | undefined, prefix: string): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith(prefix))
    .map((s) => s.slice(prefix.length).toLowerCase());
}

/** Whether any of `candidates` equals `expected`; every candidate is compared, in constant time each. */
export function anyMatches(expected: string, candidates: readonly string[]): boolean {
  let found = false;
  for (const c of candidates) found = safeEqual(expected, c) || found;
  return found;
}

/**
 * Signatures already answered with 2xx, until their timestamp leaves the window. Bounded: past `max` entries the
 * oldest are dropped (a dropped one is still refused once its timestamp is outside the window).
 */
export class ReplayCache {
  private readonly seen = new Map<string, number>();
  constructor(private readonly max = 10_000) {}

  /** Whether `signature` was used before and its window has not ended. */
  has(signature: string, nowMs: number): boolean {
    const until = this.seen.get(signature);
    return until !== undefined && until > nowMs;
  }

  /** Remembers `signature` until `untilMs`. */
  remember(signature: string, untilMs: number, nowMs: number): void {
    if (this.seen.size >= this.max) {
      for (const [key, until] of this.seen) if (until <= nowMs) this.seen.delete(key);
      while (this.seen.size >= this.max) {
        const oldest = this.seen.keys().next().value;
        if (oldest === undefined) break;
        this.seen.delete(oldest);
      }
    }
    this.seen.set(signature, untilMs);
  }
}
