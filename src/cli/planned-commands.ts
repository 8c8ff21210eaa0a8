/**
 * `dws-failover switchover` and `dws-failover recover`: the planned operations of a DR pair (DESIGN §4), started
 * (or joined) like a failover.
 */
import { exitCodeOf } from '../shared/outcomes';
import { loadConfig } from '../config';
import { signStart } from '../identity/statements';
import { operationWorkflowId, startPlannedOperation } from '../operations/start-failover';
import { exitCodesSection } from './exit-codes';
import { parseCommandArgs, println, requireFlag, type Command } from './command';
import { pairHelpLine, PAIR_OPTION, PROJECT_DR_OPTIONS, requirePair } from './pair-option';
import { approvalCommands, renderReport, runArg } from '../report/text';
import { followRun, gatePrinter, localActor, untilTemporalReady, withConfigClient } from './session';
import { optionalSigningKey, startSignatureNote } from './signing';

type Operation = 'switchover' | 'recovery';

const EXIT_CODES = exitCodesSection({
  ok: 'started/joined (with --wait: the operation completed)',
  error: 'error (e.g. Temporal not reachable)',
  usage: 'usage (unknown flag, missing --pair or --reason, unknown pair)',
  outcomeSuffix: ' (with --wait)',
  extra: [[130, 'stopped following with Ctrl-C (the operation goes on)']],
});

const SIGNED_START = `The start is signed with your key when you have one (dws-failover keys --help), and then recorded as
yours; a pair whose inventory sets access.start refuses an unsigned start or one by someone else
(outcome not-authorised, nothing read or sent).`;

const PAIR_LINES = `  ${pairHelpLine(18)} (preferred)
  --project <id>    Older form: project id of the pair (default: HUAWEICLOUD_SDK_PROJECT_ID)
  --dr <id>         Older form: DR id (disaster_recovery_id), with --project`;

const SWITCHOVER_HELP = `Usage: dws-failover switchover --pair <name|project/dr> --reason <text> [--wait] [--json]
       dws-failover switchover --project <id> --dr <id> --reason <text> …   (older form, still accepted)

Starts a planned switchover of one GaussDB(DWS) DR pair, or joins the one running for it (workflow id
dws-switchover:<project>:<dr>): the roles swap with no data loss. It needs DR status running and both
clusters healthy; otherwise it ends as precheck-failed and sends nothing.

Options:
${PAIR_LINES}
  --reason <text>   Why; kept in the report
  --wait            Follow the progress and print the report at the end
  --json            Machine-readable output
  -h, --help        This help

${SIGNED_START}

${EXIT_CODES}`;

const RECOVER_HELP = `Usage: dws-failover recover --pair <name|project/dr> --reason <text> [--switch-back] [--wait] [--json]
       dws-failover recover --project <id> --dr <id> --reason <text> …   (older form, still accepted)

After a failover, once the old primary is healthy again, re-attaches it as the standby (POST …/recovery)
and waits until DR runs again (workflow id dws-recovery:<project>:<dr>). Recovery DELETES the data on the
old primary, so it always waits at the approval gate: approve it with
  dws-failover approve --pair <name|project/dr> --comment <why>

Options:
${PAIR_LINES}
  --reason <text>   Why; kept in the report
  --switch-back     Once DR runs again, switch over back to the original topology
  --wait            Follow the progress (and print the approve command at the gate), then the report
  --json            Machine-readable output
  -h, --help        This help

${SIGNED_START}

${EXIT_CODES}`;

function plannedCommand(name: string, operation: Operation, summary: string, help: string): Command {
  return {
    name,
    summary,
    help,
    async run(argv, ctx) {
      const { values } = parseCommandArgs(name, argv, {
        ...PAIR_OPTION,
        ...PROJECT_DR_OPTIONS,
        reason: { type: 'string' },
        wait: { type: 'boolean' },
        json: { type: 'boolean' },
        ...(operation === 'recovery' ? { 'switch-back': { type: 'boolean' as const } } : {}),
      });
      if (values.help) return (println(ctx.stdout, help), 0);
      const reason = requireFlag(name, 'reason', values.reason);
      const config = loadConfig(ctx.env);
      const pair = requirePair(name, values, {
        inventory: () => config.inventory,
        defaultProjectId: config.dws.defaultProjectId,
      });
      // Read before anything connects: a key that is set but broken is a mistake to fix, not a reason to go unsigned.
      const signer = optionalSigningKey(name, ctx.env);
      return withConfigClient(config, async (client) => {
        const actor = signer?.key.name ?? localActor();
        const workflowId = operationWorkflowId(config, operation, pair.projectId, pair.drId);
        const request = {
          operation,
          projectId: pair.projectId,
          drId: pair.drId,
          reason,
          switchBack: (values as { 'switch-back'?: boolean })['switch-back'] === true,
          trigger: { source: 'cli' as const, ref: `cli:${actor}`, receivedAt: new Date().toISOString(), actor },
        };
        const started = await untilTemporalReady(ctx, config, () =>
          startPlannedOperation(client, config, {
            ...request,
            ...(signer ? { proof: signStart(signer.key, { workflowId, reason }) } : {}),
          })
        );
        const id = started.workflowId;
        const target = { workflowId: id, projectId: pair.projectId, drId: pair.drId };
        // A join adds a trigger to the running run: its start, signed or not, was someone else's.
        const note = started.joined ? { signed: null, unsigned: null } : startSignatureNote(signer);
        if (note.unsigned) println(ctx.stderr, note.unsigned);
        const signed = note.signed ? ` ${note.signed}` : '';
        if (!values.wait) {
          if (values.json)
            println(ctx.stdout, JSON.stringify({ ...started, signedBy: note.signed ? signer?.key.name : null }));
          else {
            println(
              ctx.stdout,
              `${started.joined ? 'Joined the running' : 'Started the'} ${operation} ${id} (run ${started.runId}).${signed}\nFollow it: dws-failover watch ${runArg(target)}`
            );
            if (operation === 'recovery')
              println(ctx.stdout, `It waits for approval: ${approvalCommands(target).approve}`);
          }
          return 0;
        }
        if (!values.json)
          println(
            ctx.stdout,
            `${started.joined ? 'Joined' : 'Started'} ${id}; following its progress (Ctrl-C stops following, not the ${operation}).${signed}`
          );
        const report = await followRun(client.workflow.getHandle(id, started.runId), ctx, {
          quiet: values.json ?? false,
          ...(values.json ? {} : { onState: gatePrinter(ctx) }),
        });
        if (!report) {
          println(ctx.stderr, `Stopped following ${id}; the ${operation} goes on.`);
          return 130;
        }
        println(ctx.stdout, values.json ? JSON.stringify(report, null, 2) : `\n${renderReport(report)}`);
        return exitCodeOf(report);
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
