/**
 * `dws-failover drill run` (an immediate drill) and `dws-failover drill status` (its progress or report).
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { loadConfig } from '../config';
import { workflowIds } from '../shared/constants';
import { parseDurationMs } from '../shared/duration';
import { DRILL_MODES, drillProgressQuery, type DrillMode, type DrillReport, type DrillState } from '../shared/drills';
import { drillProblems } from '../drills/drill-schedule';
import { startDrill } from '../drills/start-drill';
import { connectClient } from '../temporal/client';
import { parseCommandArgs, println, requireFlag, UsageError, type Command, type CommandContext } from './command';
import { runSubcommand } from './subcommands';
import { renderDrillReport } from './drill-render';
import { pairHelpLine, PAIR_OPTION, requirePair, runSelector } from './pair-option';
import { localActor, untilTemporalReady } from './session';

const HELP = `Usage: dws-failover drill run --pair <name|project/dr> --mode <mode> [--soak <duration>] [--wait] [--json]
       dws-failover drill status --pair <name|project/dr> [--json]
       dws-failover drill status <workflow-id> [--json]

run: starts one drill of a pair now (workflow id dws-drill:<project>:<dr>). Modes:
  precheck              read-only: every failover and switchover pre-check, and the IAM permissions
  switchover-roundtrip  switch over, verify, hold for --soak (default 5m), switch back, verify
  failover              only on pairs the worker's inventory marks drill: true: failover, recovery
                        (approved by the drill), switch back to the original topology
A drill is skipped while an incident runs for the pair; an incident cancels a running drill, which
finishes the leg in flight and states the topology it leaves.

status: the drill's progress, or its report once it ended: the pair's drill run now
(dws-drill:<project>:<dr>), or the one whose workflow id is given (scheduled drills).

Options:
  ${pairHelpLine(18)}
  --mode <m>        ${DRILL_MODES.join(' | ')}
  --soak <d>        switchover-roundtrip: time in the reversed topology, e.g. 90s, 5m (max 24h)
  --wait            Follow the drill and print its report
  --json            Machine-readable output
  -h, --help        This help

Exit codes:
  0    started (with --wait, or status of an ended drill: passed)
  1    error (e.g. no such drill, Temporal not reachable, stopped following with Ctrl-C)
  2    usage (unknown subcommand or flag, no pair named, unknown pair, a failover drill of a non-drill pair)
  3    skipped (with --wait, or status)
  4    failed (with --wait, or status)`;

/** The exit code of a drill verdict. */
export const drillExitCode = (r: Pick<DrillReport, 'verdict'>): number =>
  r.verdict === 'passed' ? 0 : r.verdict === 'skipped' ? 3 : 4;

async function follow(client: Client, ctx: CommandContext, id: string, runId: string, quiet: boolean) {
  const handle = client.workflow.getHandle(id, runId);
  let done = false;
  const result = handle.result().finally(() => (done = true)) as Promise<DrillReport>;
  let last = '';
  while (!done && !ctx.signal.aborted) {
    const s: DrillState | null = await handle.query(drillProgressQuery).catch(() => null);
    const line = s
      ? `phase ${s.phase}${s.legs.length ? ` · legs ${s.legs.map((l) => `${l.leg} ${l.outcome ?? '…'}`).join(', ')}` : ''}`
      : '';
    if (!quiet && line && line !== last) println(ctx.stdout, line);
    last = line;
    await Promise.race([result.catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
  }
  return ctx.signal.aborted && !done ? null : result;
}

async function run(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseCommandArgs('drill run', argv, {
    pair: { type: 'string' },
    mode: { type: 'string' },
    soak: { type: 'string' },
    wait: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) return (println(ctx.stdout, HELP), 0);
  const mode = requireFlag('drill run', 'mode', values.mode);
  const soakMs = values.soak === undefined ? undefined : parseDurationMs(values.soak);
  if (values.soak !== undefined && soakMs === undefined)
    throw new UsageError(`drill run: --soak '${values.soak}' is not a duration; use e.g. 90s, 5m`);
  const soakSeconds = soakMs === undefined ? undefined : soakMs / 1000;
  const problems = drillProblems({ mode, ...(soakSeconds !== undefined ? { soakSeconds } : {}) });
  if (problems.length > 0) throw new UsageError(`drill run: ${problems.join('; ')}`);
  const config = loadConfig(ctx.env);
  const pair = requirePair('drill run', values, { inventory: () => config.inventory });
  if (mode === 'failover' && pair.entry && !pair.entry.drill)
    throw new UsageError(
      `drill run: ${pair.name} is not a drill pair (drill: true in the inventory); a failover drill is refused`
    );
  const client = await connectClient(config);
  try {
    const req = {
      pair,
      mode: mode as DrillMode,
      actor: localActor(),
      ...(soakSeconds !== undefined ? { soakSeconds } : {}),
    };
    const started = await untilTemporalReady(ctx, config, () => startDrill(client, config, req));
    if (!values.wait) {
      if (values.json) println(ctx.stdout, JSON.stringify(started));
      else
        println(
          ctx.stdout,
          `Started the ${mode} drill ${started.workflowId}.\nFollow it: dws-failover drill status ${started.workflowId}`
        );
      return 0;
    }
    if (!values.json)
      println(ctx.stdout, `Started ${started.workflowId}; following it (Ctrl-C stops following, not the drill).`);
    const report = await follow(client, ctx, started.workflowId, started.runId, values.json === true);
    if (!report) return (println(ctx.stderr, `Stopped following ${started.workflowId}; the drill goes on.`), 1);
    println(ctx.stdout, values.json ? JSON.stringify(report, null, 2) : `\n${renderDrillReport(report)}`);
    return drillExitCode(report);
  } finally {
    await client.connection.close();
  }
}

async function status(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'drill status',
    argv,
    { ...PAIR_OPTION, json: { type: 'boolean' } },
    { positionals: 1 }
  );
  if (values.help) return (println(ctx.stdout, HELP), 0);
  const config = loadConfig(ctx.env);
  const selector = runSelector('drill status', positionals[0], values, () => config.inventory);
  const id =
    'workflowId' in selector ? selector.workflowId : workflowIds.drill(selector.pair.projectId, selector.pair.drId);
  const client = await connectClient(config);
  try {
    const handle = client.workflow.getHandle(id);
    const d = await handle.describe().catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError)
        throw new Error(`No drill '${id}'. Drill ids look like dws-drill:<project id>:<DR id>.`);
      throw err;
    });
    const state: DrillState =
      d.status.name === 'RUNNING' ? await handle.query(drillProgressQuery) : ((await handle.result()) as DrillReport);
    println(ctx.stdout, values.json ? JSON.stringify(state, null, 2) : renderDrillReport(state));
    return state.verdict ? drillExitCode(state as DrillReport) : 0;
  } finally {
    await client.connection.close();
  }
}

/** `dws-failover drill`. */
export const drillCommand: Command = {
  name: 'drill',
  summary: 'Run a DR drill now (precheck, switchover round trip, failover) or show one',
  help: HELP,
  async run(argv, ctx) {
    return runSubcommand('drill', HELP, { run, status }, argv, ctx);
  },
};
