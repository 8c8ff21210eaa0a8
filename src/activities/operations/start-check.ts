/**
 * The check of a run's signed start, made by the worker when the run loads its decision rules (the
 * `decisionRules` local activity), so the verdict is recorded in the run's history (src/workflows/operations/decisions.ts).
 */
import { verifyProof, type DecisionProof, type DecisionRules, type VerifiedIdentity } from '../../shared/identity';

export interface DecisionRulesInput {
  projectId: string;
  drId: string;
  /** The run's signed start, to check: what it must say (its workflow id, actor and reason) and when the run began. */
  start?: { proof: DecisionProof; workflowId: string; actor: string; reason: string; startedAtMs: number };
}

/** Who signed the start, or why the signature does not hold. */
export type StartCheck = { identity: VerifiedIdentity } | { refused: string };

/** Checks a signed start against the rules' keys. Its age is measured from the run's start, not from now. */
export function checkStart(start: NonNullable<DecisionRulesInput['start']>, rules: DecisionRules): StartCheck {
  try {
    const identity = verifyProof(
      start.proof,
      {
        action: 'start',
        workflowId: start.workflowId,
        runId: null,
        actor: start.actor,
        comment: start.reason,
        now: start.startedAtMs,
      },
      rules
    );
    return { identity };
  } catch (err) {
    return { refused: (err as Error).message };
  }
}
