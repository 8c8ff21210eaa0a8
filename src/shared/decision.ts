/**
 * The decision after the pre-checks (DESIGN §2 phase 2). Pure and sandbox-safe, so the workflow and
 * `dws-failover precheck` decide alike.
 */
import type { Decision, PrecheckResult } from './operation-model';

/**
 * Hard-check failures stop. Soft-check failures (healthy primary, data-loss budget, cooldown) and
 * `approvalRequiredBecause` (the pair's policy, or an operation that always needs a person) send the run to the
 * approval gate. `force` is an operator's explicit approval: it proceeds past the gate, never past a hard check.
 */
export function decide(pre: PrecheckResult, options: { force: boolean; approvalRequiredBecause?: string }): Decision {
  const hard = pre.checks.filter((c) => c.severity === 'hard' && !c.passed);
  const soft = pre.checks.filter((c) => c.severity === 'soft' && !c.passed);
  if (hard.length > 0) {
    return { verdict: 'stop', reasons: hard.map((c) => `${c.title}: observed ${c.observed}`), forced: false };
  }
  const reasons = soft.map((c) => `${c.title}: observed ${c.observed}`);
  if (options.approvalRequiredBecause) reasons.push(options.approvalRequiredBecause);
  if (reasons.length === 0) return { verdict: 'proceed', reasons: ['every pre-check passed'], forced: false };
  if (options.force) return { verdict: 'proceed', reasons: reasons.map((r) => `forced past: ${r}`), forced: true };
  return { verdict: 'needs-approval', reasons, forced: false };
}
