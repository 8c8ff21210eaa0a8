/**
 * `dws-failover switchover` and `dws-failover recover`: the planned operations of a DR pair (DESIGN §4), started
 * (or joined) like a failover.
 */
import { OUTCOMES } from '../shared/outcomes';
import type { FailoverState } from '../shared/types';
import { startPlannedOperation } from '../temporal/start-failover';
import { parseCommandArgs, println, requireFlag, type Command, type CommandContext } from './command';
import { approvalCommands, renderApproval, renderReport } from './render';
import { followRun, localActor, untilTemporalReady, withClient } from './session';

type Operation = 'switchover' | 'recovery';

const EXIT_CODES = `Exit codes: 0 started/joined (with --wait: the operation completed), 1 error, 2 usage,
            3 precheck-failed, 4 rejected or approval timed out, 5 cancelled, 6 refused, 7 timed out,
            130 stopped following with Ctrl-C (the operation goes on).`;

const SWITCHOVER_HELP = `Usage: dws-failover switchover --project <id> --dr <id> --reason <text> [--wait] [--json]

Starts a planned switchover of one GaussDB(DWS) DR pair, or joins the one running for it (workflow id
dws-switchover:<project>:<dr>): the roles swap with no data loss. It needs DR status running and both
clusters healthy; otherwise it ends as precheck-failed and sends nothing.

Options:
  --project <id>    Project id of the DR pair (default: HUAWEICLOUD_SDK_PROJECT_ID)
  --dr <id>         DR id (disaster_recovery_id)
  --reason <text>   Why; kept in the report
  --wait            Follow the progress and print the report at the end
  --json            Machine-readable output
  -h, --help        This help

${EXIT_CODES}`;

const RECOVER_HELP = `Usage: dws-failover recover --project <id> --dr <id> --reason <text> [--switch-back] [--wait] [--json]

After a failover, once the old primary is healthy again, re-attaches it as the standby (POST …/recovery)
and waits until DR runs again (workflow id dws-recovery:<project>:<dr>). Recovery DELETES the data on the
old primary, so it always waits at the approval gate: approve it with
  dws-failover approve dws-recovery:<project>:<dr> --actor <name> --comment <why>

Options:
  --project <id>    Project id of the DR pair (default: HUAWEICLOUD_SDK_PROJECT_ID)
  --dr <id>         DR id (disaster_recovery_id)
  --reason <text>   Why; kept in the report
  --switch-back     Once DR runs again, switch over back to the original topology
  --wait            Follow the progress (and print the approve command at the gate), then the report
  --json            Machine-readable output
  -h, --help        This help

${EXIT_CODES}`;

/** Prints what the gate waits for and the exact commands, once per run. */
function gatePrinter(ctx: CommandContext, workflowId: string): (state: FailoverState) => void {
  let shown = false;
  return (state) => {
    if (shown || state.phase !== 'awaiting-approval' || !state.approval) return;
    shown = true;
    println(ctx.stdout, `\nThe ${state.operation} waits for approval:`);
    for (const line of renderApproval(state.approval, workflowId)) println(ctx.stdout, line);
    println(ctx.stdout, '');
  };
}

function plannedCommand(name: string, operation: Operation, summary: string, help: string): Command {
  return {
    name,
    summary,
    help,
    async run(argv, ctx) {
      const { values } = parseCommandArgs(name, argv, {
        project: { type: 'string' },
        dr: { type: 'string' },
        reason: { type: 'string' },
        wait: { type: 'boolean' },
        json: { type: 'boolean' },
        ...(operation === 'recovery' ? { 'switch-back': { type: 'boolean' as const } } : {}),
      });
      if (values.help) return (println(ctx.stdout, help), 0);
      const dr = requireFlag(name, 'dr', values.dr);
      const reason = requireFlag(name, 'reason', values.reason);
      return withClient(ctx, async (client, config) => {
        const projectId = requireFlag(name, 'project', values.project ?? config.dws.defaultProjectId ?? undefined);
        const actor = localActor();
        const request = {
          operation,
          projectId,
          drId: dr,
          reason,
          switchBack: (values as { 'switch-back'?: boolean })['switch-back'] === true,
          trigger: { source: 'cli' as const, ref: `cli:${actor}`, receivedAt: new Date().toISOString(), actor },
        };
        const started = await untilTemporalReady(ctx, config, () => startPlannedOperation(client, config, request));
        const id = started.workflowId;
        if (!values.wait) {
          if (values.json) println(ctx.stdout, JSON.stringify(started));
          else {
            println(
              ctx.stdout,
              `${started.joined ? 'Joined the running' : 'Started the'} ${operation} ${id} (run ${started.runId}).\nFollow it: dws-failover watch ${id}`
            );
            if (operation === 'recovery') println(ctx.stdout, `It waits for approval: ${approvalCommands(id).approve}`);
          }
          return 0;
        }
        if (!values.json)
          println(
            ctx.stdout,
            `${started.joined ? 'Joined' : 'Started'} ${id}; following its progress (Ctrl-C stops following, not the ${operation}).`
          );
        const report = await followRun(client.workflow.getHandle(id, started.runId), ctx, {
          quiet: values.json ?? false,
          ...(values.json ? {} : { onState: gatePrinter(ctx, id) }),
        });
        if (!report) {
          println(ctx.stderr, `Stopped following ${id}; the ${operation} goes on.`);
          return 130;
        }
        println(ctx.stdout, values.json ? JSON.stringify(report, null, 2) : `\n${renderReport(report)}`);
        return OUTCOMES[report.outcome].exitCode;
      });
    },
  };
}

/** `dws-failover switchover`. */
export const switchoverCommand = plannedCommand(
  'switchover',
  'switchover',
  'Start (or join) a planned switchover of a DR pair (no data loss)',
  SWITCHOVER_HELP
);

/** `dws-failover recover`. */
export const recoverCommand = plannedCommand(
  'recover',
  'recovery',
  'Recover DR after a failover (approval required; optional switch back)',
  RECOVER_HELP
);
