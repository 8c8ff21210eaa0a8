/**
 * Validation of the cron expressions Temporal Schedules accept (`ScheduleSpec.cronExpressions`), so a typo is a
 * clear message at the command line instead of a server error. Accepted: five fields (minute hour day-of-month
 * month day-of-week, with `*`, lists, ranges, steps and JAN…/SUN… names), `@hourly`/`@daily`/`@weekly`/
 * `@monthly`/`@yearly`, and `@every <n><s|m|h|d>[/<phase>]`.
 */

const MACROS = new Set(['@hourly', '@daily', '@weekly', '@monthly', '@yearly', '@annually']);

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Field {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Value of the first name (JAN = 1, SUN = 0). */
  nameBase?: number;
}

const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { name: 'day of week', min: 0, max: 6, names: DAYS, nameBase: 0 },
];

function value(field: Field, text: string): number | null {
  const upper = text.toUpperCase();
  const named = field.names?.indexOf(upper) ?? -1;
  if (named >= 0) return named + (field.nameBase ?? 0);
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= field.min && n <= field.max ? n : null;
}

function fieldProblem(field: Field, text: string): string | null {
  const bad = `${field.name} '${text}' is not valid (${field.min}–${field.max}${field.names ? ` or ${field.names[0]}…${field.names.at(-1)}` : ''}, *, lists a,b, ranges a-b, steps */n)`;
  for (const item of text.split(',')) {
    const [range = '', stepText, extra] = item.split('/');
    if (extra !== undefined) return bad;
    if (stepText !== undefined && (!/^\d+$/.test(stepText) || Number(stepText) < 1)) return bad;
    if (range === '*') continue;
    const [from = '', to] = range.split('-');
    const a = value(field, from);
    if (a === null) return bad;
    if (to !== undefined) {
      const b = value(field, to);
      if (b === null || b < a) return bad;
    }
  }
  return null;
}

/**
 * Checks one cron expression.
 * @returns null when Temporal will accept it, else a sentence saying what is wrong and what is accepted.
 */
export function cronProblem(expression: string): string | null {
  const expr = expression.trim();
  if (expr === '') return 'the cron expression is empty';
  if (/^(CRON_)?TZ=/i.test(expr)) return `cron '${expr}': give the time zone with --timezone, not in the expression`;
  if (expr.startsWith('@')) {
    if (MACROS.has(expr.toLowerCase())) return null;
    if (/^@every \d+[smhd](\/\d+[smhd])?$/.test(expr)) return null;
    return `cron '${expr}' is not known; use @hourly, @daily, @weekly, @monthly, @yearly or @every <n><s|m|h|d>`;
  }
  const fields = expr.split(/\s+/);
  if (fields.length !== 5) {
    return `cron '${expr}' has ${fields.length} field(s); use 5: minute hour day-of-month month day-of-week (e.g. '0 10 * * TUE')`;
  }
  for (const [i, field] of FIELDS.entries()) {
    const problem = fieldProblem(field, fields[i] as string);
    if (problem) return `cron '${expr}': ${problem}`;
  }
  return null;
}
