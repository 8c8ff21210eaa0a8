/**
 * `dws-failover failover`: start (or join) the failover of one DR pair.
 */
import { loadConfig } from '../config';
import { exitCodeOf } from '../shared/outcomes';
import { signStart } from '../identity/statements';
import { operationWorkflowId, startFailover } from '../operations/start-failover';
import { exitCodesSection } from './exit-codes';
import { parseCommandArgs, println, requireFlag, type Command } from './command';
import { renderReport } from '../report/text';
import { pairHelpLine, PAIR_OPTION, PROJECT_DR_OPTIONS, requirePair } from './pair-option';
import { followRun, gatePrinter, localActor, untilTemporalReady, withConfigClient } from './session';
import { optionalSigningKey, startSignatureNote } from './signing';

const HELP = `Usage: dws-failover failover --pair <name|project/dr> --reason <text> [options]
       dws-failover failover --project <id> --dr <id> --reason <text> [options]   (older form, still accepted)

Starts the failover of one GaussDB(DWS) DR pair, or joins the one already running for it
(workflow id dws-failover:<project>:<dr>). The workflow runs the pre-checks, sends the failover
request at most once, and follows it until the standby is the primary.

Options:
  ${pairHelpLine(24)} (preferred)
  --project <id>          Older form: project id of the pair (default: HUAWEICLOUD_SDK_PROJECT_ID)
  --dr <id>               Older form: DR id (disaster_recovery_id), with --project
  --reason <text>         Why; kept in the report
  --failed-cluster <id>   The cluster known to be down; if it is no longer the primary, nothing is sent
  --force                 Your approval up front: proceed past the approval gate (healthy primary,
                          data-loss budget, cooldown, a pair policy of approval: always), never past
                          a failed hard check
  --wait                  Follow the progress and print the report at the end; at the approval gate,
                          print why it waits and the exact approve/reject commands
  --json                  Machine-readable output
  -h, --help              This help

The start is signed with your key when you have one (dws-failover keys --help), and then recorded as
yours; a pair whose inventory sets access.start refuses an unsigned start or one by someone else
(outcome not-authorised, nothing read or sent).

${exitCodesSection({
  ok: 'started/joined (with --wait: failed-over or already-failed-over)',
  error: 'error (e.g. Temporal not reachable)',
  usage: 'usage (unknown flag, missing --pair or --reason, unknown pair)',
  outcomeSuffix: ' (with --wait)',
  extra: [[130, 'stopped following with Ctrl-C (the failover goes on)']],
})}`;

export const failoverCommand: Command = {
  name: 'failover',
  summary: 'Start (or join) the failover of a DR pair',
  help: HELP,
  async run(argv, ctx) {
    const { values } = parseCommandArgs('failover', argv, {
      ...PAIR_OPTION,
      ...PROJECT_DR_OPTIONS,
      reason: { type: 'string' },
      'failed-cluster': { type: 'string' },
      force: { type: 'boolean' },
      wait: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (values.help) return (println(ctx.stdout, HELP), 0);
    const reason = requireFlag('failover', 'reason', values.reason);
    const config = loadConfig(ctx.env);
    const pair = requirePair('failover', values, {
      inventory: () => config.inventory,
      defaultProjectId: config.dws.defaultProjectId,
    });
    // Read before anything connects: a key that is set but broken is a mistake to fix, not a reason to go unsigned.
    const signer = optionalSigningKey('failover', ctx.env);
    return withConfigClient(config, async (client) => {
      const actor = signer?.key.name ?? localActor();
      const workflowId = operationWorkflowId(config, 'failover', pair.projectId, pair.drId);
      const request = {
        projectId: pair.projectId,
        drId: pair.drId,
        reason,
        failedClusterId: values['failed-cluster'],
        force: values.force ?? false,
        trigger: { source: 'cli' as const, ref: `cli:${actor}`, receivedAt: new Date().toISOString(), actor },
      };
      // Retried while Temporal is still coming up (e.g. search attributes registered a moment ago): not yet recorded.
      const started = await untilTemporalReady(ctx, config, () =>
        startFailover(client, config, {
          ...request,
          ...(signer ? { proof: signStart(signer.key, { workflowId, reason }) } : {}),
        })
      );
      // A join adds a trigger to the running run: its start, signed or not, was someone else's.
      const note = started.joined ? { signed: null, unsigned: null } : startSignatureNote(signer);
      if (note.unsigned) println(ctx.stderr, note.unsigned);
      if (!values.wait) {
        if (values.json)
          println(ctx.stdout, JSON.stringify({ ...started, signedBy: note.signed ? signer?.key.name : null }));
        else
          println(
            ctx.stdout,
            `${started.joined ? 'Joined the running' : 'Started the'} failover ${started.workflowId} (run ${started.runId}).${note.signed ? ` ${note.signed}` : ''}\nFollow it: dws-failover watch --pair ${pair.projectId}/${pair.drId}`
          );
        return 0;
      }
      if (!values.json)
        println(
          ctx.stdout,
          `${started.joined ? 'Joined' : 'Started'} ${started.workflowId}; following its progress (Ctrl-C stops following, not the failover).${note.signed ? ` ${note.signed}` : ''}`
        );
      const report = await followRun(client.workflow.getHandle(started.workflowId, started.runId), ctx, {
        quiet: values.json ?? false,
        ...(values.json ? {} : { onState: gatePrinter(ctx) }),
      });
      if (!report) {
        println(ctx.stderr, `Stopped following ${started.workflowId}; the failover goes on.`);
        return 130;
      }
      println(ctx.stdout, values.json ? JSON.stringify(report, null, 2) : `\n${renderReport(report)}`);
      return exitCodeOf(report);
    });
  },
};
