/**
 * Blackout windows of drill schedules: times when no drill may touch a pair (a change freeze, month-end closing).
 * Evaluated in the schedule's time zone with `Intl`, which the workflow sandbox provides. Sandbox-safe.
 *
 * Forms:
 * - `2026-12-20/2027-01-03`: whole days, both inclusive (a change freeze);
 * - `2026-12-20T18:00/2026-12-21T06:00`: local date-times, start inclusive, end exclusive;
 * - `month-end`: the last 3 days of every month;
 * - `monthly:<from>-<to>`: days of every month, both inclusive (`monthly:1-3`; `monthly:30-2` wraps into the next
 *   month). A day past the month's last day means the last day.
 */

/** One parsed window. */
export type BlackoutWindow =
  | { kind: 'dates'; text: string; from: string; to: string }
  | { kind: 'datetimes'; text: string; from: string; to: string }
  | { kind: 'month-end'; text: string; days: number }
  | { kind: 'monthly'; text: string; fromDay: number; toDay: number };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

function validDate(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function checkDate(part: string, form: RegExp): boolean {
  const m = form.exec(part);
  if (!m) return false;
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0] = m.slice(1).map(Number);
  return validDate(y, mo, d) && h <= 23 && mi <= 59;
}

/**
 * Parses one window.
 * @throws Error naming the window and the accepted forms.
 */
export function parseBlackout(text: string): BlackoutWindow {
  const t = text.trim();
  const bad = (why: string): Error =>
    new Error(
      `blackout '${text}' ${why}; use YYYY-MM-DD/YYYY-MM-DD, YYYY-MM-DDTHH:MM/YYYY-MM-DDTHH:MM, month-end or monthly:<from>-<to> (days 1–31)`
    );
  if (t === 'month-end') return { kind: 'month-end', text: t, days: 3 };
  const monthly = /^monthly:(\d{1,2})-(\d{1,2})$/.exec(t);
  if (monthly) {
    const [fromDay, toDay] = [Number(monthly[1]), Number(monthly[2])];
    if (fromDay < 1 || fromDay > 31 || toDay < 1 || toDay > 31) throw bad('has a day outside 1–31');
    return { kind: 'monthly', text: t, fromDay, toDay };
  }
  const parts = t.split('/');
  if (parts.length !== 2) throw bad('is not a known form');
  const [from, to] = parts as [string, string];
  for (const form of [DATE, DATETIME]) {
    if (!form.test(from) && !form.test(to)) continue;
    if (!checkDate(from, form) || !checkDate(to, form)) throw bad('has an invalid date (both ends in the same form)');
    if (form === DATE ? to < from : to <= from) throw bad('ends before it starts');
    return { kind: form === DATE ? 'dates' : 'datetimes', text: t, from, to };
  }
  throw bad('is not a known form');
}

/** Parses every window. @returns the windows, or the problems (one per bad window). */
export function parseBlackouts(texts: readonly string[]): { windows: BlackoutWindow[]; problems: string[] } {
  const windows: BlackoutWindow[] = [];
  const problems: string[] = [];
  for (const text of texts) {
    try {
      windows.push(parseBlackout(text));
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  return { windows, problems };
}

/** Whether `Intl` knows the IANA time zone (e.g. `Europe/Berlin`, `Asia/Shanghai`, `UTC`). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock date and time of `at` in `timeZone`. @throws RangeError for an unknown zone. */
export function localTime(at: Date, timeZone: string): { year: number; month: number; day: number; hhmm: string } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '00';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hhmm: `${get('hour')}:${get('minute')}`,
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Whether `at` lies in `window`, read in `timeZone`. */
export function inBlackout(window: BlackoutWindow, at: Date, timeZone: string): boolean {
  const l = localTime(at, timeZone);
  const date = `${pad(l.year, 4)}-${pad(l.month)}-${pad(l.day)}`;
  const last = daysInMonth(l.year, l.month);
  switch (window.kind) {
    case 'dates':
      return date >= window.from && date <= window.to;
    case 'datetimes': {
      const stamp = `${date}T${l.hhmm}`;
      return stamp >= window.from && stamp < window.to;
    }
    case 'month-end':
      return l.day > last - window.days;
    case 'monthly': {
      const from = Math.min(window.fromDay, last);
      const to = Math.min(window.toDay, last);
      return window.fromDay <= window.toDay ? l.day >= from && l.day <= to : l.day >= from || l.day <= to;
    }
  }
}

/**
 * The first window (as written) that `at` lies in, or null.
 * @throws Error for a bad window or time zone (the CLI validates both before a schedule is created).
 */
export function activeBlackout(texts: readonly string[], at: Date, timeZone = 'UTC'): string | null {
  for (const text of texts) if (inBlackout(parseBlackout(text), at, timeZone)) return text.trim();
  return null;
}
