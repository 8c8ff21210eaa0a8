/**
 * Short excerpts of values that came from outside, for answers and log lines: a 900 KB label must not become a
 * 900 KB error message or log line.
 */

/** How much of an outside value a message quotes. */
export const EXCERPT_CHARS = 64;

/** The first `max` characters of `text`, with '…' when it was longer. */
export function clip(text: string, max = EXCERPT_CHARS): string {
  if (text.length <= max) return text;
  // Never cut a surrogate pair in half: the answer must stay valid UTF-8.
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}

/** `clip(text)` as a JSON string: quoted, control characters escaped, so one log line stays one line. */
export function quote(text: string, max = EXCERPT_CHARS): string {
  return JSON.stringify(clip(text, max));
}
