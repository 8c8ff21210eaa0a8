/**
 * `dws-failover schedule create|list|pause|unpause|trigger|delete`: drill schedules on Temporal Schedules.
 */
import { loadConfig } from '../config';
import { parseDurationMs } from '../shared/duration';
import { DRILL_MODES, drillScheduleId, type DrillMode } from '../shared/drills';
import { drillProblems, upsertDrillSchedule } from '../drills/drill-schedule';
import {
  actOnSchedule,
  listProjectSchedules,
  type ScheduleAction,
  type TriggerOutcome,
} from '../drills/schedule-admin';
import { connectClient } from '../temporal/client';
import { parseCommandArgs, println, requireFlag, UsageError, type Command, type CommandContext } from './command';
import { runSubcommand, type Subcommand } from './subcommands';
import { renderSchedules } from './drill-render';
import type { PairRef } from '../drills/pair-ref';
import { pairHelpLine, PAIR_OPTION, requirePair } from './pair-option';
import { localActor, untilTemporalReady, withClient } from './session';

const HELP = `Usage: dws-failover schedule create --pair <name|project/dr> --mode <mode> --cron <expr>
                                [--timezone <tz>] [--blackout <window>]… [--soak <duration>] [--json]
       dws-failover schedule list [--json]
       dws-failover schedule pause|unpause --pair <name|project/dr> --mode <mode> [--note <text>]
       dws-failover schedule trigger|delete --pair <name|project/dr> --mode <mode>
       (pause, unpause, trigger and delete also take the <schedule-id> instead, e.g. dws-readiness)

Drills on Temporal Schedules. One schedule per pair and mode, id dws-drill:<project>:<dr>:<mode>:
creating it again updates it (a paused one stays paused). Overlap policy SKIP, for due runs and for
trigger alike: a run that is due or triggered while the previous one still runs is skipped (readiness
reports a skipped due run as missed). Runs have ids dws-drill:<project>:<dr>-<mode>-<time>, so two
schedules of one pair due at the same time both start. The readiness schedule (dws-readiness) is
listed and managed here too; create it with dws-failover readiness schedule.

Options:
  ${pairHelpLine(20)} (preferred)
  --mode <m>          ${DRILL_MODES.join(' | ')} (failover: drill pairs only)
  <schedule-id>       pause, unpause, trigger, delete: instead of --pair and --mode
create only:
  --cron <expr>       5 fields (minute hour day-of-month month day-of-week), e.g. '0 10 * * TUE';
                      or @daily, @weekly, @every 12h. Day-of-month and day-of-week both apply (AND)
  --timezone <tz>     IANA zone of the cron and the blackouts (default UTC), e.g. Europe/Berlin
  --blackout <w>      No drill inside this window (repeatable); a run there ends as skipped, reason
                      recorded: 2026-12-20/2027-01-03 (days, inclusive), 2026-12-20T18:00/2026-12-21T06:00,
                      month-end (last 3 days of a month), monthly:1-3 (days of every month)
  --soak <d>          switchover-roundtrip: time in the reversed topology (default 5m)
pause/unpause only:
  --note <text>       Why (shown in schedule list)
  --json              create, list: machine-readable output
  -h, --help          This help

Exit codes:
  0    done
  1    error (e.g. unknown schedule, Temporal not reachable)
  2    usage (unknown subcommand or flag, no pair or schedule named, unknown pair, bad cron or blackout)`;

async function create(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseCommandArgs('schedule create', argv, {
    pair: { type: 'string' },
    mode: { type: 'string' },
    cron: { type: 'string' },
    timezone: { type: 'string' },
    blackout: { type: 'string', multiple: true },
    soak: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) return (println(ctx.stdout, HELP), 0);
  const mode = requireFlag('schedule create', 'mode', values.mode);
  const cron = requireFlag('schedule create', 'cron', values.cron);
  const soakMs = values.soak === undefined ? undefined : parseDurationMs(values.soak);
  if (values.soak !== undefined && soakMs === undefined)
    throw new UsageError(`schedule create: --soak '${values.soak}' is not a duration; use e.g. 90s, 5m`);
  const req = {
    mode,
    cron,
    blackouts: values.blackout ?? [],
    ...(values.timezone !== undefined ? { timezone: values.timezone } : {}),
    ...(soakMs !== undefined ? { soakSeconds: soakMs / 1000 } : {}),
  };
  const problems = drillProblems(req);
  const config = loadConfig(ctx.env);
  let pair: PairRef | null = null;
  try {
    pair = requirePair('schedule create', values, { inventory: () => config.inventory });
  } catch (err) {
    // Listed with the other problems, so one run of the command names every bad flag.
    problems.unshift((err as Error).message.replace(/^schedule create: /, ''));
  }
  if (pair && mode === 'failover' && pair.entry && !pair.entry.drill)
    problems.push(
      `${pair.name} is not a drill pair (drill: true in the inventory); its failover drills would be refused`
    );
  if (problems.length > 0 || !pair) throw new UsageError(`schedule create: ${problems.join('\n  ')}`);
  const client = await connectClient(config);
  try {
    const done = await untilTemporalReady(ctx, config, () =>
      upsertDrillSchedule(client, config, { ...req, pair, mode: mode as DrillMode, actor: localActor() })
    );
    if (values.json) println(ctx.stdout, JSON.stringify(done));
    else
      println(
        ctx.stdout,
        `${done.created ? 'Created' : 'Updated'} the schedule ${done.scheduleId}: ${mode} drill of ${pair.name} at '${cron}' (${req.timezone ?? 'UTC'}).\n` +
          `Run it now: dws-failover schedule trigger ${done.scheduleId}`
      );
    return 0;
  } finally {
    await client.connection.close();
  }
}

async function list(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseCommandArgs('schedule list', argv, { json: { type: 'boolean' } });
  if (values.help) return (println(ctx.stdout, HELP), 0);
  return withClient(ctx, async (client) => {
    const rows = await listProjectSchedules(client);
    println(ctx.stdout, values.json ? JSON.stringify(rows, null, 2) : renderSchedules(rows));
    return 0;
  });
}

async function act(action: ScheduleAction, argv: string[], ctx: CommandContext): Promise<number> {
  const withNote = action === 'pause' || action === 'unpause';
  const { values, positionals } = parseCommandArgs(
    `schedule ${action}`,
    argv,
    { ...PAIR_OPTION, mode: { type: 'string' }, ...(withNote ? { note: { type: 'string' as const } } : {}) },
    { positionals: 1 }
  );
  if (values.help) return (println(ctx.stdout, HELP), 0);
  const id = scheduleIdOf(`schedule ${action}`, positionals[0], values, ctx);
  const note = (values as { note?: string }).note ?? `${action}d by ${localActor()}`;
  return withClient(ctx, async (client, config) => {
    const outcome = await untilTemporalReady(ctx, config, () => actOnSchedule(client, id, action, note));
    if (outcome) {
      println(ctx.stdout, triggerMessage(id, outcome));
      return 0;
    }
    println(
      ctx.stdout,
      `${{ pause: 'Paused', unpause: 'Unpaused', trigger: 'Triggered', delete: 'Deleted' }[action]} ${id}.`
    );
    return 0;
  });
}

/**
 * The schedule a pause/unpause/trigger/delete command line names: `--pair` with `--mode` (preferred), or its id.
 * @throws UsageError when neither or both are given, or the mode is not a drill mode.
 */
function scheduleIdOf(
  command: string,
  positional: string | undefined,
  flags: { pair?: string | undefined; mode?: string | undefined },
  ctx: CommandContext
): string {
  if (flags.pair === undefined) {
    if (positional === undefined)
      throw new UsageError(`${command}: name the schedule: --pair <name|project/dr> --mode <mode>, or its id`);
    if (flags.mode !== undefined) throw new UsageError(`${command}: --mode goes with --pair, not with a schedule id`);
    return positional;
  }
  if (positional !== undefined) throw new UsageError(`${command}: give --pair or a schedule id, not both`);
  const mode = requireFlag(command, 'mode', flags.mode);
  if (!(DRILL_MODES as readonly string[]).includes(mode))
    throw new UsageError(`${command}: --mode must be ${DRILL_MODES.join(', ')}, got '${mode}'`);
  const pair = requirePair(command, flags, { inventory: () => loadConfig(ctx.env).inventory });
  return drillScheduleId(pair.projectId, pair.drId, mode as DrillMode);
}

/** What `schedule trigger` did; the overlap policy it states is the one it passed (TRIGGER_OVERLAP, SKIP). */
function triggerMessage(id: string, outcome: TriggerOutcome): string {
  if (outcome.kind === 'started') return `Triggered ${id}: started ${outcome.workflowId}.`;
  if (outcome.kind === 'skipped')
    return `Skipped ${id} (overlap SKIP): its run ${outcome.running.join(', ') || 'of it'} is still going on. Trigger it again once that ended.`;
  return `Triggered ${id}. Overlap SKIP: it is skipped if a run of it is still going on (see dws-failover schedule list).`;
}

/** The subcommands, in the order a mistyped one's suggestions name them. */
const SUBCOMMANDS: Record<string, Subcommand> = {
  create,
  list,
  pause: (argv, ctx) => act('pause', argv, ctx),
  unpause: (argv, ctx) => act('unpause', argv, ctx),
  trigger: (argv, ctx) => act('trigger', argv, ctx),
  delete: (argv, ctx) => act('delete', argv, ctx),
};

/** `dws-failover schedule`. */
export const scheduleCommand: Command = {
  name: 'schedule',
  summary: 'Create, list, pause, unpause, trigger or delete drill schedules',
  help: HELP,
  async run(argv, ctx) {
    return runSubcommand('schedule', HELP, SUBCOMMANDS, argv, ctx);
  },
};
