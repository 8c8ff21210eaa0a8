/**
 * `dws-failover precheck`: the failover pre-checks of one pair, read-only, straight against DWS (no Temporal).
 */
import { runPrechecks } from '../activities/operations/prechecks';
import { loadConfig } from '../config';
import { createDwsFleet } from '../dws/factory';
import { readyToFailOver } from '../shared/drills';
import { formatSeconds } from '../shared/duration';
import { connectClient } from '../temporal/client';
import { temporalFailoverHistory } from '../operations/failover-history';
import type { FailoverHistory } from '../activities';
import { parseCommandArgs, println, type Command } from './command';
import { pairHelpLine, PAIR_OPTION, PROJECT_DR_OPTIONS, requirePair } from './pair-option';
import { renderChecks } from '../report/text';

const HELP = `Usage: dws-failover precheck --pair <name|project/dr> [--failed-cluster <id>] [--json]
       dws-failover precheck --project <id> --dr <id> [--failed-cluster <id>] [--json]   (older form)

Runs every failover pre-check of one DR pair, read-only, and prints what it observed.
Ready means: every hard check passes and the data-loss window is within budget. Whether the
primary is down and the cooldown are shown too; in a real failover they decide about approval.
The cooldown is read from Temporal when it is reachable.

Options:
  ${pairHelpLine(24)} (preferred)
  --project <id>          Older form: project id of the pair (default: HUAWEICLOUD_SDK_PROJECT_ID)
  --dr <id>               Older form: DR id (disaster_recovery_id), with --project
  --failed-cluster <id>   The cluster known to be down: checked as a failover for it would be
  --json                  Machine-readable output
  -h, --help              This help

Exit codes:
  0    ready
  1    error (e.g. DWS not reachable)
  2    usage or configuration (unknown flag, no pair named, unknown pair, no DWS credentials)
  3    not ready`;

export const precheckCommand: Command = {
  name: 'precheck',
  summary: 'Run the failover pre-checks of a pair (read-only)',
  help: HELP,
  async run(argv, ctx) {
    const { values } = parseCommandArgs('precheck', argv, {
      ...PAIR_OPTION,
      ...PROJECT_DR_OPTIONS,
      'failed-cluster': { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return (println(ctx.stdout, HELP), 0);
    const config = loadConfig(ctx.env, { requireDws: true });
    // A cross-region pair of the inventory may be named by either side's project; it is checked as its pair.
    const { projectId, drId } = requirePair('precheck', values, {
      inventory: () => config.inventory,
      defaultProjectId: config.dws.defaultProjectId,
    });
    const dws = createDwsFleet(config);
    const temporal = await connectClient(config, { connectTimeoutMs: 3000 }).catch(() => null);
    const history: FailoverHistory = temporal
      ? temporalFailoverHistory(temporal)
      : { lastFailoverAt: () => Promise.reject(new Error(`Temporal at ${config.temporal.address} not reachable`)) };
    try {
      const result = await runPrechecks(
        { dws, history, topology: (p, d) => dws.topology(p, d) },
        {
          projectId,
          drId,
          failedClusterId: values['failed-cluster'],
          dataLossBudgetSeconds: config.policy.dataLossBudgetSeconds,
          cooldownSeconds: config.policy.cooldownSeconds,
        }
      );
      const ready = readyToFailOver(result.checks) && !result.alreadyFailedOver;
      if (values.json) {
        println(ctx.stdout, JSON.stringify({ ready, ...result }, null, 2));
      } else {
        const name = result.snapshot ? `${result.snapshot.drName} (${drId})` : drId;
        println(ctx.stdout, `Pre-checks of DR ${name} in project ${projectId}: ${ready ? 'READY' : 'NOT READY'}`);
        for (const line of renderChecks(result.checks)) println(ctx.stdout, line);
        if (result.dataLossWindowSeconds !== null)
          println(ctx.stdout, `Data-loss window: ${formatSeconds(result.dataLossWindowSeconds)}`);
        if (result.alreadyFailedOver)
          println(ctx.stdout, 'The cluster named as failed is already the standby: a failover would send nothing.');
      }
      return ready ? 0 : 3;
    } finally {
      await dws.close();
      await temporal?.connection.close();
    }
  },
};
