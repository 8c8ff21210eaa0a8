/**
 * The one duration grammar of the project, for flags, environment variables, the inventory, the config and the
 * simulator's flags and control API: `90` (a bare number is seconds, everywhere), `90s`, `500ms`, `15m`, `1h30m`,
 * `2d`. Sandbox-safe.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const BARE_NUMBER = /^\d+(\.\d+)?$/;

/** Examples for error messages, so every field that takes a duration tells the fix the same way. */
export const DURATION_EXAMPLES = '90 (seconds), 500ms, 5s, 2m or 1h30m';

/**
 * Parses a duration into milliseconds; a bare number means seconds.
 * @returns undefined when the text is not a duration (callers turn that into an error naming the field).
 */
export function parseDurationMs(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (BARE_NUMBER.test(t)) return Math.round(Number(t) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
  let total = 0;
  let consumed = 0;
  for (const m of t.matchAll(re)) {
    if (m.index !== consumed) return undefined;
    total += Number(m[1]) * (UNIT_MS[m[2] as string] ?? 0);
    consumed += m[0].length;
  }
  return consumed === t.length && consumed > 0 ? Math.round(total) : undefined;
}

/** Whether `text` is a bare number (seconds in this grammar) rather than an amount with its unit. */
export function isBareNumber(text: string): boolean {
  return BARE_NUMBER.test(text.trim());
}

/** Milliseconds in the grammar, exactly where it can be: `1500` → `1.5s`, `300000` → `5m`, `250` → `250ms`. */
export function formatDurationMs(ms: number): string {
  if (ms >= 3_600_000 && ms % 60_000 === 0) return ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${ms / 60_000}m`;
  if (ms >= 60_000 && ms % 1000 === 0) return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`;
  if (ms >= 1000) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** `3725` → `1h2m5s`; `0.4` → `400ms`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  let s = Math.round(seconds);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  if (s > 0 || parts.length === 0) parts.push(`${s}s`);
  return parts.join('');
}
