/**
 * The decision after the pre-checks (DESIGN §2 phase 2). Pure and sandbox-safe, so the workflow and
 * `dws-failover precheck` decide alike.
 */
import type { Decision, PrecheckResult } from './types';

/**
 * Hard-check failures stop. Soft-check failures (healthy primary, data-loss budget, cooldown) need an approval,
 * or `force`. `approvalAlways` sends every otherwise passing failover to the approval gate.
 */
export function decide(pre: PrecheckResult, options: { force: boolean; approvalAlways?: boolean }): Decision {
  const hard = pre.checks.filter((c) => c.severity === 'hard' && !c.passed);
  const soft = pre.checks.filter((c) => c.severity === 'soft' && !c.passed);
  if (hard.length > 0) {
    return { verdict: 'stop', reasons: hard.map((c) => `${c.title}: observed ${c.observed}`), forced: false };
  }
  if (soft.length > 0 && options.force) {
    return {
      verdict: 'proceed',
      reasons: soft.map((c) => `forced past "${c.title}" (observed ${c.observed})`),
      forced: true,
    };
  }
  if (soft.length > 0) {
    return { verdict: 'needs-approval', reasons: soft.map((c) => `${c.title}: observed ${c.observed}`), forced: false };
  }
  if (options.approvalAlways) {
    return {
      verdict: 'needs-approval',
      reasons: ['the pair policy requires approval for every failover'],
      forced: false,
    };
  }
  return { verdict: 'proceed', reasons: ['every pre-check passed'], forced: false };
}
