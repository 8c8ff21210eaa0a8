/**
 * `dws-failover approve|reject|cancel`: the operator's decisions on a running failover, switchover or recovery,
 * sent as workflow updates. The workflow's validators decide whether the state allows them (DESIGN §2).
 */
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { loadConfig } from '../config';
import { approveUpdate, cancelUpdate, rejectUpdate } from '../shared/messages';
import type { ApprovalState, CancellationState, DecisionInput } from '../shared/types';
import { parseCommandArgs, println, requireFlag, type Command, type CommandContext } from './command';
import { pairHelpLine, PAIR_OPTION, runSelector, selectedRunId } from './pair-option';
import { localActor, untilTemporalReady, withRunClient } from './session';
import { describeRun, readState } from './status-command';

/** Exit code of approve/reject/cancel when the run's state does not allow the decision. */
export const REFUSED_EXIT_CODE = 4;

const EXIT_CODES = `Exit codes:
  0    done
  1    error (e.g. no such run, Temporal not reachable)
  2    usage (unknown flag, no run named, unknown pair, missing --actor or --comment)
  4    refused by the run's state (not waiting for approval, already decided, already ended)`;

const SELECT_HELP = `  ${pairHelpLine(19)}; its running failover,
                     switchover or recovery (preferred)
  <workflow-id>      Instead of --pair: the run's workflow id, e.g. dws-recovery:<project>:<dr>`;

type Kind = 'approve' | 'reject' | 'cancel';

const HELP: Record<Kind, string> = {
  approve: `Usage: dws-failover approve --pair <name|project/dr> --actor <name> --comment <text> [--json]
       dws-failover approve <workflow-id> --actor <name> --comment <text> [--json]

Approves a failover, switchover or recovery that waits at the approval gate; it then sends its request.
Look at what you approve first: dws-failover watch --pair <p> (checks, data-loss window, reasons).

Options:
${SELECT_HELP}
  --actor <name>     Who decides; recorded in the report
  --comment <text>   Why (incident id, data loss accepted…); recorded in the report
  --json             Print the approval as JSON
  -h, --help         This help

${EXIT_CODES}`,
  reject: `Usage: dws-failover reject --pair <name|project/dr> --actor <name> --comment <text> [--json]
       dws-failover reject <workflow-id> --actor <name> --comment <text> [--json]

Rejects a failover, switchover or recovery that waits at the approval gate: it ends as rejected and
sends nothing (its status then exits 4).

Options:
${SELECT_HELP}
  --actor <name>     Who decides; recorded in the report
  --comment <text>   Why; recorded in the report
  --json             Print the decision as JSON
  -h, --help         This help

${EXIT_CODES}`,
  cancel: `Usage: dws-failover cancel --pair <name|project/dr> --comment <text> [--actor <name>] [--json]
       dws-failover cancel <workflow-id> --comment <text> [--actor <name>] [--json]

Cancels a running failover, switchover or recovery. Before its request is sent it stops cleanly
(outcome cancelled, nothing sent). After that, the operation is in the DWS service's hands: cancel
only stops the waiting, and the report says so.

Options:
${SELECT_HELP}
  --comment <text>   Why; recorded in the report
  --actor <name>     Who cancels (default: user@host of this terminal)
  --json             Print the cancellation as JSON
  -h, --help         This help

${EXIT_CODES}`,
};

const SUMMARY: Record<Kind, string> = {
  approve: 'Approve a run waiting at the approval gate',
  reject: 'Reject a run waiting at the approval gate',
  cancel: 'Cancel a run (cleanly before its request; after it, stop waiting)',
};

/** Sends the update; resolves to its result, or to the refusal's message when the state does not allow it. */
async function decide(
  client: Client,
  kind: Kind,
  workflowId: string,
  input: DecisionInput
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
  const handle = client.workflow.getHandle(workflowId);
  try {
    const options = { args: [input] as [DecisionInput] };
    const result =
      kind === 'cancel'
        ? await handle.executeUpdate(cancelUpdate, options)
        : await handle.executeUpdate(kind === 'approve' ? approveUpdate : rejectUpdate, options);
    return { result };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return { refused: err.cause?.message ?? err.message };
    // The run may have ended between the look and the update.
    const gone = await ended().catch(() => null);
    if (gone) return gone;
    throw err;
  }
}

function confirmation(kind: Kind, workflowId: string, result: ApprovalState | CancellationState): string {
  if (kind !== 'cancel') {
    const a = result as ApprovalState;
    const next =
      kind === 'approve' ? `It now sends its request. Follow it: dws-failover watch ${workflowId}` : 'Nothing is sent.';
    return `${a.decision === 'approved' ? 'Approved' : 'Rejected'} ${workflowId} as ${a.actor}: ${a.comment}\n${next}`;
  }
  const c = result as CancellationState;
  return c.afterRequest
    ? `Cancelled waiting for ${workflowId} as ${c.actor}. The request was already sent: the operation is in the DWS service's hands.`
    : `Cancelled ${workflowId} as ${c.actor} before its request was sent; nothing was sent.`;
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
        { ...PAIR_OPTION, actor: { type: 'string' }, comment: { type: 'string' }, json: { type: 'boolean' } },
        { positionals: 1 }
      );
      if (values.help) return (println(ctx.stdout, HELP[kind]), 0);
      const selector = runSelector(kind, positionals[0], values, () => loadConfig(ctx.env).inventory);
      const actor = kind === 'cancel' ? (values.actor ?? localActor()) : requireFlag(kind, 'actor', values.actor);
      const comment = requireFlag(kind, 'comment', values.comment);
      return withRunClient(ctx, async (client, config) => {
        const id = await selectedRunId(client, selector);
        const answer = await untilTemporalReady(ctx, config, () =>
          decide(client, kind, id, { actor, comment, via: 'cli' })
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
