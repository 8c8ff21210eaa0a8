/**
 * `dws-failover readiness`: the live readiness table of every inventory pair, and `readiness schedule`, which puts
 * `readinessWorkflow` (with its notifications) on a Temporal Schedule.
 */
import type { ActivityDeps, DrillRecords } from '../activities';
import { assessPairReadiness, readinessPairs } from '../activities/drills/readiness-assess';
import { loadConfig } from '../config';
import { createDwsFleet } from '../dws/factory';
import { DEFAULT_MAX_DRILL_AGE_SECONDS, type PairReadiness } from '../shared/drill-readiness';
import { formatSeconds, parseDurationMs } from '../shared/duration';
import { temporalDrillRecords } from '../drills/drill-records';
import { upsertReadinessSchedule } from '../drills/readiness-schedule';
import { connectClient } from '../temporal/client';
import { temporalFailoverHistory } from '../operations/failover-history';
import {
  parseCommandArgs,
  println,
  requireFlag,
  unknownSubcommand,
  UsageError,
  type Command,
  type CommandContext,
} from './command';
import { renderReadiness } from './drill-render';
import { pairHelpLine, PAIR_OPTION, resolvePairFlags } from './pair-option';
import { localActor, untilTemporalReady, withClient } from './session';

const HELP = `Usage: dws-failover readiness [--pair <name|project/dr>] [--max-drill-age <duration>] [--json]
       dws-failover readiness schedule --every <duration> [--max-drill-age <duration>]

readiness: checks every pair of the inventory now (read-only) and prints one row per pair: ready or
not and why (the rule of dws-failover precheck: hard checks and the data-loss window), the data-loss
window, the last drill and its verdict, and its drill schedules (a schedule that did not run when due
is MISSED). Drill data comes from Temporal; without it those columns stay empty. --pair checks
only that inventory pair.

readiness schedule: runs the same check as readinessWorkflow on a Temporal Schedule (id dws-readiness,
overlap SKIP). Each run compares with the previous one and notifies the pair's notification targets when
a pair becomes not ready or ready again, a scheduled drill did not run when due, the last drill failed,
or the last passed drill is older than the pair's max_drill_age (inventory policy), else --max-drill-age.

Options:
  ${pairHelpLine(22)}; readiness only: check this pair alone
  --every <d>           Interval, at least 1m, e.g. 15m
  --max-drill-age <d>   Oldest acceptable passed drill for pairs whose inventory policy sets no
                        max_drill_age (default ${formatSeconds(DEFAULT_MAX_DRILL_AGE_SECONDS)})
  --json                Machine-readable output
  -h, --help            This help

Exit codes:
  0    readiness: every pair checked is ready; readiness schedule: created or updated
  1    error (e.g. Temporal not reachable for readiness schedule)
  2    usage or configuration (unknown subcommand or flag, unknown pair, no inventory, no DWS credentials)
  3    readiness: some pair checked is not ready`;

function durationFlag(command: string, flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDurationMs(value);
  if (ms === undefined || ms <= 0)
    throw new UsageError(`${command}: --${flag} '${value}' is not a duration; use e.g. 15m, 8d`);
  return ms / 1000;
}

/** Records that answer "unknown" when Temporal cannot be reached. */
const unreachable = (why: string): DrillRecords => ({
  lastDrills: () => Promise.reject(new Error(why)),
  drillSchedules: () => Promise.reject(new Error(why)),
  previousReadiness: () => Promise.resolve(null),
  operationPhase: () => Promise.resolve(null),
});

async function table(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseCommandArgs('readiness', argv, {
    ...PAIR_OPTION,
    'max-drill-age': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) return (println(ctx.stdout, HELP), 0);
  const maxDrillAgeSeconds = durationFlag('readiness', 'max-drill-age', values['max-drill-age']);
  const config = loadConfig(ctx.env, { requireDws: true });
  if (!config.inventory)
    throw new UsageError('readiness: no inventory; set DWS_FAILOVER_INVENTORY to the pairs to check');
  const only = resolvePairFlags('readiness', values, { inventory: () => config.inventory });
  if (only && !only.entry)
    throw new UsageError(
      `readiness: --pair '${values.pair}' is not a pair of the inventory (${config.inventory.source})`
    );
  const dws = createDwsFleet(config);
  const temporal = await connectClient(config, { connectTimeoutMs: 3000 }).catch(() => null);
  const why = `Temporal at ${config.temporal.address} not reachable`;
  const deps: ActivityDeps = {
    dws,
    topology: (projectId, drId) => dws.topology(projectId, drId),
    history: temporal ? temporalFailoverHistory(temporal) : { lastFailoverAt: () => Promise.reject(new Error(why)) },
    drills: {
      inventory: config.inventory,
      policy: config.policy,
      records: temporal ? temporalDrillRecords(temporal) : unreachable(why),
    },
  };
  try {
    const pairs = readinessPairs(deps).filter((p) => !only || (p.projectId === only.projectId && p.drId === only.drId));
    const rows: PairReadiness[] = [];
    for (let i = 0; i < pairs.length; i += 10) {
      const batch = pairs
        .slice(i, i + 10)
        .map(({ targets: _targets, ...p }) =>
          assessPairReadiness(deps, { ...p, ...(maxDrillAgeSeconds !== undefined ? { maxDrillAgeSeconds } : {}) })
        );
      rows.push(...(await Promise.all(batch)));
    }
    if (values.json) println(ctx.stdout, JSON.stringify(rows, null, 2));
    else {
      println(ctx.stdout, renderReadiness(rows));
      if (!temporal) println(ctx.stdout, `(${why}: last drills and schedules are not shown)`);
    }
    return rows.every((r) => r.ready) ? 0 : 3;
  } finally {
    await dws.close();
    await temporal?.connection.close();
  }
}

async function schedule(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseCommandArgs('readiness schedule', argv, {
    every: { type: 'string' },
    'max-drill-age': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) return (println(ctx.stdout, HELP), 0);
  const every = durationFlag('readiness schedule', 'every', requireFlag('readiness schedule', 'every', values.every));
  const maxDrillAgeSeconds = durationFlag('readiness schedule', 'max-drill-age', values['max-drill-age']);
  if (every === undefined || every < 60)
    throw new UsageError('readiness schedule: --every must be at least 1m (e.g. 15m)');
  return withClient(ctx, async (client, config) => {
    const done = await untilTemporalReady(ctx, config, () =>
      upsertReadinessSchedule(client, config, {
        everySeconds: every,
        input: maxDrillAgeSeconds !== undefined ? { maxDrillAgeSeconds } : {},
        actor: localActor(),
      })
    );
    if (values.json) println(ctx.stdout, JSON.stringify(done));
    else
      println(
        ctx.stdout,
        `${done.created ? 'Created' : 'Updated'} the schedule ${done.scheduleId}: readiness of every pair every ${formatSeconds(every)}.`
      );
    return 0;
  });
}

/** `dws-failover readiness`. */
export const readinessCommand: Command = {
  name: 'readiness',
  summary: 'Show whether every inventory pair could fail over now, and its drills; schedule the check',
  help: HELP,
  async run(argv, ctx) {
    const [first] = argv;
    if (first === 'schedule') return schedule(argv.slice(1), ctx);
    if (first !== undefined && !first.startsWith('-')) throw unknownSubcommand('readiness', first, ['schedule']);
    return table(argv, ctx);
  },
};
