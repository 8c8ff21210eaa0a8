/**
 * `dws-failover approve|reject|cancel`: the operator's decisions on a running failover, switchover or recovery,
 * signed with the operator's key and sent as workflow updates. The workflow's validators check the signature against
 * the worker's approver keys, the pair's access rules and, for an approval, the evidence digest (DESIGN §2).
 */
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { loadConfig } from '../config';
import type { FoundSigningKey } from '../identity/signing-key-file';
import { signDecision } from '../identity/statements';
import { innermostMessage } from '../shared/failure-message';
import { describeIdentity } from '../shared/identity';
import { approveUpdate, cancelUpdate, progressQuery, rejectUpdate } from '../shared/messages';
import type { ApprovalState, CancellationState, DecisionInput } from '../shared/operation-model';
import { renderGateFacts } from './approval-facts';
import { parseCommandArgs, println, requireFlag, UsageError, type Command, type CommandContext } from './command';
import { pairHelpLine, PAIR_OPTION, runSelector, selectedRunId } from './pair-option';
import { untilTemporalReady, withRunClient } from './session';
import { requireSigningKey, signingActor } from './signing';
import { describeRun, readState } from './status-command';

/** Exit code of approve/reject/cancel when the run's state does not allow the decision. */
export const REFUSED_EXIT_CODE = 4;

const EXIT_CODES = `Exit codes:
  0    done
  1    error (e.g. no such run, Temporal not reachable)
  2    usage (unknown flag, no run named, unknown pair, missing --comment, no signing key, another --actor)
  4    refused: by the run (not waiting, decided, ended; a signature or access rule) or by --digest (facts changed)`;

const SELECT_HELP = `  ${pairHelpLine(19)}; its running failover,
                     switchover or recovery (preferred)
  <workflow-id>      Instead of --pair: the run's workflow id, e.g. dws-recovery:<project>:<dr>`;

const SIGNING = `Signed with your own key: DWS_FAILOVER_SIGNING_KEY (the PEM text), DWS_FAILOVER_SIGNING_KEY_FILE, or
~/.config/dws-failover/signing-key.pem (under $XDG_CONFIG_HOME when set), in that order. No key yet:
dws-failover keys generate --name <you>, and give the line it prints to whoever runs the worker.
Who may decide on which pair: the inventory's access rules (README § Verified decisions, docs/decisions.md).`;

type Kind = 'approve' | 'reject' | 'cancel';

/** The options and notes every decision's help ends with; `printed` is what --json prints. */
function helpEnd(printed: string): string {
  return `  --actor <name>     Who decides: the signing key's owner (the default); another name is refused
  --json             Print the ${printed} as JSON
  -h, --help         This help

${SIGNING}

${EXIT_CODES}`;
}

const HELP: Record<Kind, string> = {
  approve: `Usage: dws-failover approve --pair <name|project/dr> --comment <text> [--digest <d>] [--actor <name>] [--json]
       dws-failover approve <workflow-id> --comment <text> [--digest <d>] [--actor <name>] [--json]

Approves a failover, switchover or recovery that waits at the approval gate; it then sends its request.
First it prints what the gate shows: why it asks, the checks, topology, DR status and data-loss window
behind its evidence digest, and the approvals so far. Your signed approval names that digest: if the
facts change before the request is sent, the approval is void and the gate asks again. A critical pair
needs two different approvers; with four eyes, whoever started the run cannot approve it.
Look first: dws-failover watch --pair <p>.

Options:
${SELECT_HELP}
  --comment <text>   Why (incident id, data loss accepted…); recorded in the report
  --digest <d>       Approve only if the gate still shows this evidence digest (sha256:…, printed by an
                     earlier approve and in status --json as approval.digest); refused (exit 4) when the
                     facts changed since you looked
${helpEnd('approval')}`,
  reject: `Usage: dws-failover reject --pair <name|project/dr> --comment <text> [--actor <name>] [--json]
       dws-failover reject <workflow-id> --comment <text> [--actor <name>] [--json]

Rejects a failover, switchover or recovery that waits at the approval gate: it ends as rejected and
sends nothing (its status then exits 4).

Options:
${SELECT_HELP}
  --comment <text>   Why; recorded in the report
${helpEnd('decision')}`,
  cancel: `Usage: dws-failover cancel --pair <name|project/dr> --comment <text> [--actor <name>] [--json]
       dws-failover cancel <workflow-id> --comment <text> [--actor <name>] [--json]

Cancels a running failover, switchover or recovery. Before its request is sent it stops cleanly
(outcome cancelled, nothing sent). After that, the operation is in the DWS service's hands: cancel
only stops the waiting, and the report says so.

Options:
${SELECT_HELP}
  --comment <text>   Why; recorded in the report
${helpEnd('cancellation')}`,
};

const SUMMARY: Record<Kind, string> = {
  approve: 'Approve a run waiting at the approval gate',
  reject: 'Reject a run waiting at the approval gate',
  cancel: 'Cancel a run (cleanly before its request; after it, stop waiting)',
};

/** An evidence digest as the workflow writes it (src/shared/identity.ts `evidenceDigest`). */
const DIGEST = /^sha256:[0-9a-f]{16}$/;

interface Decider {
  kind: Kind;
  signer: FoundSigningKey;
  actor: string;
  comment: string;
  /** approve --digest: the digest the approver looked at. */
  expectedDigest: string | null;
  /** Prints what the gate shows before an approval is signed; null for --json. */
  show: ((lines: string[]) => void) | null;
}

/**
 * Signs and sends the decision; resolves to its result, or to the refusal's message when the run (or, for a stale
 * --digest, this command) does not allow it.
 */
async function decide(
  client: Client,
  workflowId: string,
  d: Decider
): Promise<{ result: ApprovalState | CancellationState } | { refused: string }> {
  const ended = async (): Promise<{ refused: string } | null> => {
    const { state, running } = await readState(client, workflowId);
    if (running || !state.outcome) return null;
    const a = state.approval;
    const decided = a?.decision ? `; ${a.decision} by ${a.actor ?? 'the timeout'} at ${a.decidedAt}` : '';
    return { refused: `the ${state.operation ?? 'failover'} already ended as ${state.outcome}${decided}` };
  };
  const description = await describeRun(client, workflowId);
  if (description.status.name !== 'RUNNING') {
    // Only a completed run has a report to quote; a terminated or failed one has none.
    const quoted = description.status.name === 'COMPLETED' ? await ended() : null;
    return quoted ?? { refused: `the run already ended (${description.status.name})` };
  }
  // The statement names this run: it cannot be replayed against a later run of the pair.
  const handle = client.workflow.getHandle(workflowId, description.runId);
  let digest: string | null = null;
  if (d.kind === 'approve') {
    const state = await handle.query(progressQuery);
    const gate = state.approval;
    if (gate && gate.decision === null) {
      d.show?.(renderGateFacts(state));
      digest = gate.digest ?? null;
      if (d.expectedDigest !== null && d.expectedDigest !== digest) {
        return {
          refused: digest
            ? `the facts changed since you looked: the gate now shows ${digest}, not ${d.expectedDigest}; read what it shows now and approve that digest`
            : `the gate shows no evidence digest (its worker does not verify decisions yet), so --digest ${d.expectedDigest} cannot be checked; approve without --digest`,
        };
      }
    }
  }
  const proof = signDecision(d.signer.key, {
    action: d.kind,
    workflowId,
    runId: description.runId,
    comment: d.comment,
    digest,
    actor: d.actor,
  });
  const input: DecisionInput = { actor: d.actor, comment: d.comment, via: 'cli', proof };
  try {
    const options = { args: [input] as [DecisionInput] };
    const result =
      d.kind === 'cancel'
        ? await handle.executeUpdate(cancelUpdate, options)
        : await handle.executeUpdate(d.kind === 'approve' ? approveUpdate : rejectUpdate, options);
    return { result };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return { refused: innermostMessage(err) };
    // The run may have ended between the look and the update.
    const gone = await ended().catch(() => null);
    if (gone) return gone;
    throw err;
  }
}

function confirmation(kind: Kind, workflowId: string, result: ApprovalState | CancellationState): string {
  const verified = (who: ApprovalState['identity']): string => (who ? `\nVerified: ${describeIdentity(who)}.` : '');
  if (kind !== 'cancel') {
    const a = result as ApprovalState;
    if (kind === 'approve' && a.decision === null) {
      // A critical pair: this approval counts, and the gate waits for another approver.
      const given = a.approvals ?? [];
      const last = given.at(-1);
      return `Approval ${given.length} of ${a.required ?? 1} recorded for ${workflowId}${last ? ` as ${last.actor}` : ''}: it waits for another approver (a different person).${verified(last?.identity ?? null)}`;
    }
    const next =
      kind !== 'approve'
        ? 'Nothing is sent.'
        : a.digest
          ? `It reads the pair once more and sends its request if the facts are still those approved (else it waits for a new approval). Follow it: dws-failover watch ${workflowId}`
          : `It now sends its request. Follow it: dws-failover watch ${workflowId}`;
    return `${a.decision === 'approved' ? 'Approved' : 'Rejected'} ${workflowId} as ${a.actor}: ${a.comment}\n${next}${verified(a.identity ?? null)}`;
  }
  const c = result as CancellationState;
  const line = c.afterRequest
    ? `Cancelled waiting for ${workflowId} as ${c.actor}. The request was already sent: the operation is in the DWS service's hands.`
    : `Cancelled ${workflowId} as ${c.actor} before its request was sent; nothing was sent.`;
  return `${line}${verified(c.identity ?? null)}`;
}

function decisionCommand(kind: Kind): Command {
  return {
    name: kind,
    summary: SUMMARY[kind],
    help: HELP[kind],
    async run(argv: string[], ctx: CommandContext): Promise<number> {
      const { values, positionals } = parseCommandArgs(
        kind,
        argv,
        {
          ...PAIR_OPTION,
          actor: { type: 'string' },
          comment: { type: 'string' },
          json: { type: 'boolean' },
          ...(kind === 'approve' ? { digest: { type: 'string' as const } } : {}),
        },
        { positionals: 1 }
      );
      if (values.help) return (println(ctx.stdout, HELP[kind]), 0);
      const selector = runSelector(kind, positionals[0], values, () => loadConfig(ctx.env).inventory);
      const comment = requireFlag(kind, 'comment', values.comment);
      const expectedDigest = (values as { digest?: string }).digest ?? null;
      if (expectedDigest !== null && !DIGEST.test(expectedDigest))
        throw new UsageError(
          `${kind}: --digest '${expectedDigest}' is not an evidence digest (sha256: and 16 hex digits)`
        );
      // The key is read before anything connects: without one, nothing is sent.
      const signer = requireSigningKey(kind, ctx.env);
      const actor = signingActor(kind, signer, values.actor);
      const show = values.json ? null : (lines: string[]) => lines.forEach((line) => println(ctx.stdout, line));
      return withRunClient(ctx, async (client, config) => {
        const id = await selectedRunId(client, selector);
        const answer = await untilTemporalReady(ctx, config, () =>
          decide(client, id, { kind, signer, actor, comment, expectedDigest, show })
        );
        if ('refused' in answer) {
          const message = `${kind} refused for ${id}: ${answer.refused}`;
          if (values.json) println(ctx.stdout, JSON.stringify({ workflowId: id, refused: answer.refused }));
          println(ctx.stderr, message);
          return REFUSED_EXIT_CODE;
        }
        println(
          ctx.stdout,
          values.json ? JSON.stringify(answer.result, null, 2) : confirmation(kind, id, answer.result)
        );
        return 0;
      });
    },
  };
}

/** `dws-failover approve`. */
export const approveCommand = decisionCommand('approve');
/** `dws-failover reject`. */
export const rejectCommand = decisionCommand('reject');
/** `dws-failover cancel`. */
export const cancelCommand = decisionCommand('cancel');
