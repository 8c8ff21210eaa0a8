/**
 * Problems with a path: validation issues of the inventory file and of intake request bodies, worded for people
 * (`pairs[2].policy.cooldown: '1 hour' is not a duration…`, `alerts[0].labels: is required`).
 */
import type { z } from 'zod';

/** One problem and where it is. */
export interface Problem {
  path: readonly PropertyKey[];
  message: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `['pairs', 2, 'policy', 'cooldown']` → `pairs[2].policy.cooldown`; odd keys are quoted (`labels["a-b"]`). */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** `path: message`, or the message alone for the whole document. */
export function formatProblem(problem: Problem, what = 'body'): string {
  return `${problem.path.length > 0 ? formatPath(problem.path) : what}: ${problem.message}`;
}

function tidy(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    const received = /received (\w+)/.exec(issue.message)?.[1];
    if (received === 'undefined') return 'is required';
    return `must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}${received ? `, got ${received}` : ''}`;
  }
  if (issue.code === 'invalid_key') {
    const inner = issue.issues[0]?.message ?? issue.message;
    return `the key is invalid: ${inner.replace(/^Invalid string: /, '')}`;
  }
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return issue.message;
}

/** Every issue of a zod error as a problem; an unknown key becomes one problem per key, at the key. */
export function problemsFromZod(error: z.ZodError, prefix: readonly PropertyKey[] = []): Problem[] {
  const problems: Problem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push({ path: [...prefix, ...issue.path, key], message: 'is not a known field (check the spelling)' });
      }
      continue;
    }
    problems.push({ path: [...prefix, ...issue.path], message: tidy(issue) });
  }
  return problems;
}
