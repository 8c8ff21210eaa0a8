/**
 * Human durations (`90`, `90s`, `15m`, `1h30m`, `2d`, `500ms`) for flags, environment and the inventory.
 * Sandbox-safe.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a duration into milliseconds; a bare number means `defaultUnit`.
 * @returns undefined when the text is not a duration (callers turn that into an error naming the field).
 */
export function parseDurationMs(text: string, defaultUnit: 'ms' | 's' = 's'): number | undefined {
  const t = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * (UNIT_MS[defaultUnit] ?? 1000));
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
