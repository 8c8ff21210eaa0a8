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

/** A signature held by one request: `keep()` once it was answered 2xx, `release()` otherwise (a retry may use it). */
export interface Reservation {
  readonly signature: string;
  /** When the signature's timestamp leaves the window (ms since the epoch). */
  readonly untilMs: number;
  keep(): void;
  release(): void;
}

/**
 * Signatures of signed requests in progress or answered 2xx, until their timestamp leaves the window. Bounded: past
 * `max` entries the oldest are dropped (a dropped one is still refused by its guard workflow, see replay-guard.ts,
 * and once its timestamp is outside the window).
 */
export class ReplayCache {
  private readonly held = new Map<string, { untilMs: number; kept: boolean }>();
  constructor(private readonly max = 10_000) {}

  /** Whether `signature` is held (in progress or used) and its window has not ended. */
  has(signature: string, nowMs: number): boolean {
    const entry = this.held.get(signature);
    return entry !== undefined && entry.untilMs > nowMs;
  }

  /**
   * Reserves `signature` until `untilMs` unless a request holds it: check and set in one synchronous step, so of
   * concurrent requests with one signature exactly one gets it.
   * @returns the reservation, or why not: `in-flight` (a request with it is being handled) or `used` (answered 2xx).
   */
  reserve(signature: string, untilMs: number, nowMs: number): Reservation | 'in-flight' | 'used' {
    const current = this.held.get(signature);
    if (current !== undefined && current.untilMs > nowMs) return current.kept ? 'used' : 'in-flight';
    this.held.delete(signature);
    this.makeRoom(nowMs);
    const entry = { untilMs, kept: false };
    this.held.set(signature, entry);
    return {
      signature,
      untilMs,
      keep: () => {
        entry.kept = true;
      },
      // Only this request's own entry: after eviction the signature may be another request's.
      release: () => {
        if (this.held.get(signature) === entry) this.held.delete(signature);
      },
    };
  }

  private makeRoom(nowMs: number): void {
    if (this.held.size < this.max) return;
    for (const [key, entry] of this.held) if (entry.untilMs <= nowMs) this.held.delete(key);
    while (this.held.size >= this.max) {
      const oldest = this.held.keys().next().value;
      if (oldest === undefined) break;
      this.held.delete(oldest);
    }
  }
}
