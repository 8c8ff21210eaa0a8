/**
 * The `Exit codes:` section of the commands that end with a run's outcome (failover, switchover, recover, status,
 * report, watch): 0, 1 and 2 in each command's words, the outcomes' codes from OUTCOMES, then the command's own.
 */
import { OUTCOMES } from '../shared/outcomes';
import type { ReportedOutcome } from '../shared/operation-model';

/** What an outcome's name alone does not say. */
const GLOSS: Partial<Record<ReportedOutcome, string>> = {
  'swapped-back': 'seen swapped, then back on the old primary',
  'switch-back-failed': 'recovered, but the switch back asked for did not complete (reversed topology)',
  'not-authorised': 'the start was not signed by someone allowed to start it',
};

const line = (code: number, text: string): string => `  ${String(code).padEnd(5)}${text}`;

export interface ExitCodeWords {
  /** What exit code 0 means for this command. */
  ok: string;
  /** Examples of exit code 1. */
  error: string;
  /** Examples of exit code 2. */
  usage: string;
  /** Appended to each outcome's line, e.g. ` (with --wait)`. */
  outcomeSuffix?: string;
  /** Lines after the outcomes', e.g. 130 for Ctrl-C. */
  extra?: Array<[code: number, text: string]>;
}

/** The whole section, one code a line; the outcomes that share a code share its line. */
export function exitCodesSection(words: ExitCodeWords): string {
  const byCode = new Map<number, string[]>();
  for (const [name, info] of Object.entries(OUTCOMES) as Array<[ReportedOutcome, (typeof OUTCOMES)[ReportedOutcome]]>) {
    if (info.exitCode === 0) continue;
    const text = GLOSS[name] ? `${name}: ${GLOSS[name]}` : name;
    byCode.set(info.exitCode, [...(byCode.get(info.exitCode) ?? []), text]);
  }
  const outcomes = [...byCode]
    .sort(([a], [b]) => a - b)
    .map(([code, names]) => line(code, `${names.join(' or ')}${words.outcomeSuffix ?? ''}`));
  return [
    'Exit codes:',
    line(0, words.ok),
    line(1, words.error),
    line(2, words.usage),
    ...outcomes,
    ...(words.extra ?? []).map(([code, text]) => line(code, text)),
  ].join('\n');
}
