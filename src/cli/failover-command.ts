/**
 * `dws-failover failover`: start (or join) the failover of one DR pair.
 */
import os from 'node:os';
import { OUTCOMES } from '../shared/outcomes';
import { startFailover } from '../temporal/start-failover';
import { parseCommandArgs, println, requireFlag, type Command } from './command';
import { renderReport } from './render';
import { followRun, untilTemporalReady, withClient } from './session';

const HELP = `Usage: dws-failover failover --project <id> --dr <id> --reason <text> [options]

Starts the failover of one GaussDB(DWS) DR pair, or joins the one already running for it
(workflow id dws-failover:<project>:<dr>). The workflow runs the pre-checks, sends the failover
request at most once, and follows it until the standby is the primary.

Options:
  --project <id>          Project id of the DR pair (default: HUAWEICLOUD_SDK_PROJECT_ID)
  --dr <id>               DR id (disaster_recovery_id)
  --reason <text>         Why; kept in the report
  --failed-cluster <id>   The cluster known to be down; if it is no longer the primary, nothing is sent
  --force                 Your approval up front: proceed past the approval gate (healthy primary,
                          data-loss budget, cooldown, a pair policy of approval: always), never past
                          a failed hard check
  --wait                  Follow the progress and print the report at the end
  --json                  Machine-readable output
  -h, --help              This help

Exit codes: 0 started/joined (with --wait: failed-over or already-failed-over), 1 error, 2 usage,
            3 precheck-failed, 4 rejected or approval timed out, 5 cancelled, 6 refused, 7 timed out,
            130 stopped following with Ctrl-C (the failover goes on).`;

export const failoverCommand: Command = {
  name: 'failover',
  summary: 'Start (or join) the failover of a DR pair',
  help: HELP,
  async run(argv, ctx) {
    const { values } = parseCommandArgs('failover', argv, {
      project: { type: 'string' },
      dr: { type: 'string' },
      reason: { type: 'string' },
      'failed-cluster': { type: 'string' },
      force: { type: 'boolean' },
      wait: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (values.help) return (println(ctx.stdout, HELP), 0);
    const dr = requireFlag('failover', 'dr', values.dr);
    const reason = requireFlag('failover', 'reason', values.reason);
    return withClient(ctx, async (client, config) => {
      const projectId = requireFlag('failover', 'project', values.project ?? config.dws.defaultProjectId ?? undefined);
      const actor = `${os.userInfo().username}@${os.hostname()}`;
      const request = {
        projectId,
        drId: dr,
        reason,
        failedClusterId: values['failed-cluster'],
        force: values.force ?? false,
        trigger: { source: 'cli' as const, ref: `cli:${actor}`, receivedAt: new Date().toISOString(), actor },
      };
      // Retried while Temporal is still coming up (e.g. search attributes registered a moment ago): not yet recorded.
      const started = await untilTemporalReady(ctx, config, () => startFailover(client, config, request));
      if (!values.wait) {
        if (values.json) println(ctx.stdout, JSON.stringify(started));
        else
          println(
            ctx.stdout,
            `${started.joined ? 'Joined the running' : 'Started the'} failover ${started.workflowId} (run ${started.runId}).\nFollow it: dws-failover status ${started.workflowId}`
          );
        return 0;
      }
      if (!values.json)
        println(
          ctx.stdout,
          `${started.joined ? 'Joined' : 'Started'} ${started.workflowId}; following its progress (Ctrl-C stops following, not the failover).`
        );
      const report = await followRun(client.workflow.getHandle(started.workflowId, started.runId), ctx, {
        quiet: values.json ?? false,
      });
      if (!report) {
        println(ctx.stderr, `Stopped following ${started.workflowId}; the failover goes on.`);
        return 130;
      }
      println(ctx.stdout, values.json ? JSON.stringify(report, null, 2) : `\n${renderReport(report)}`);
      return OUTCOMES[report.outcome].exitCode;
    });
  },
};
