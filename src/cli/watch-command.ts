/**
 * `dws-failover watch`: live progress of a failover, switchover or recovery until it ends, then its report.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { parseDurationMs } from '../shared/duration';
import { progressQuery } from '../shared/messages';
import { exitCodeOf } from '../shared/outcomes';
import type { OperationReport, OperationState } from '../shared/operation-model';
import { exitCodesSection } from './exit-codes';
import { parseCommandArgs, println, UsageError, type Command, type CommandContext } from './command';
import { renderReport } from '../report/text';
import { awaitReport } from './session';
import { describeRun, readState } from './status-command';
import { checkRunTarget, RUN_TARGET_HELP, RUN_TARGET_OPTIONS, withRunTarget } from './run-target';
import type { RunRef } from '../operations/runs';
import { fitToHeight, renderGateNotice, renderWatchLine, renderWatchScreen, type PendingActivity } from './watch-view';

const HELP = `Usage: dws-failover watch <workflow-id> | --run <id> | --pair <name|project/dr> [--interval S] [--json]

Shows the live progress of a failover, switchover or recovery until it ends, then prints its report
(a finished run: its report at once):
phase, elapsed time, checks, data-loss window, requests sent, completion polls, and, at the approval
gate, its deadline, reasons and the exact approve/reject commands. On a terminal the screen is redrawn
in place, fitted to the terminal's height (older timeline lines give way first); otherwise one plain
line is printed per change. Ctrl-C stops watching only; the run goes on.

Options:
${RUN_TARGET_HELP}
  --interval S      Time between two reads, e.g. 2, 0.5, 5s (default 1s, at least 0.1s)
  --json            One JSON object per change ({"event":"progress",…}), then {"event":"report",…}
  -h, --help        This help

${exitCodesSection({
  ok: 'completed (failed-over, switched-over, recovered, already-failed-over)',
  error: 'error (e.g. no such run, Temporal not reachable)',
  usage: 'usage (unknown flag, no run named, unknown pair)',
  extra: [[130, 'stopped watching with Ctrl-C (the run goes on)']],
})}`;

/** The activity the run executes now, with the completion poll's heartbeat decoded; null when there is none. */
async function pendingActivity(client: Client, handle: WorkflowHandle): Promise<PendingActivity | null> {
  const { raw } = await handle.describe();
  const pending = raw.pendingActivities?.[0];
  if (!pending) return null;
  const activity: PendingActivity = {
    type: pending.activityType?.name ?? 'unknown',
    attempt: pending.attempt ?? 1,
    lastFailure: pending.lastFailure?.message ?? null,
  };
  const payloads = pending.heartbeatDetails?.payloads;
  if (payloads?.length) {
    const memo = await decodeFromPayloadsAtIndex<Partial<PendingActivity>>(
      client.options.loadedDataConverter,
      0,
      payloads
    ).catch(() => null);
    if (memo) Object.assign(activity, { polls: memo.polls, pollErrors: memo.pollErrors, lastStatus: memo.lastStatus });
  }
  return activity;
}

/** Redraws in place: cursor home, each line cleared to its end, the rest of the screen cleared. */
function redraw(ctx: CommandContext, lines: string[], first: boolean): void {
  ctx.stdout.write(`${first ? '\x1b[2J' : ''}\x1b[H${lines.map((l) => `${l}\x1b[K\n`).join('')}\x1b[J`);
}

interface WatchOptions {
  intervalMs: number;
  json: boolean;
  tty: boolean;
}

/** Follows a running workflow until it ends or `ctx.signal` aborts; resolves to the report or null. */
async function follow(
  client: Client,
  run: RunRef,
  ctx: CommandContext,
  o: WatchOptions
): Promise<OperationReport | null> {
  const id = run.workflowId;
  const handle = client.workflow.getHandle(id, run.runId);
  const report = awaitReport(handle);
  const { result } = report;
  const stopped = new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
  let lastKey = '';
  let first = true;
  while (!report.done() && !ctx.signal.aborted) {
    const state: OperationState | null = await handle.query(progressQuery).catch(() => null);
    // Only the request and the poll have an activity worth showing; skip the describe at the gate and elsewhere.
    const busy = state?.phase === 'requesting' || state?.phase === 'polling';
    const activity = busy ? await pendingActivity(client, handle).catch(() => null) : null;
    const now = Date.now();
    if (!state) {
      if (lastKey !== 'no-worker') println(o.json ? ctx.stderr : ctx.stdout, `waiting for a worker to run ${id}…`);
      lastKey = 'no-worker';
    } else if (o.tty && !o.json) {
      const screen = renderWatchScreen(state, activity, now, o.intervalMs / 1000);
      // One line fewer than the terminal has: the last line's newline would scroll the header away.
      const rows = (ctx.stdout as NodeJS.WriteStream).rows;
      redraw(ctx, fitToHeight(screen, rows ? rows - 1 : undefined), first);
      first = false;
    } else {
      const { line, key } = renderWatchLine(state, activity, now);
      if (key !== lastKey) {
        if (o.json) {
          const event = { event: 'progress', at: new Date(now).toISOString(), phase: state.phase, activity, state };
          println(ctx.stdout, JSON.stringify(event));
        } else {
          println(ctx.stdout, line);
          if (state.phase === 'awaiting-approval') for (const l of renderGateNotice(state)) println(ctx.stdout, l);
        }
      }
      lastKey = key;
    }
    await Promise.race([result.catch(() => undefined), stopped, new Promise((r) => setTimeout(r, o.intervalMs))]);
  }
  if (ctx.signal.aborted && !report.done()) return (report.stop(), null);
  return result;
}

function printReport(ctx: CommandContext, report: OperationState, o: WatchOptions): void {
  if (o.json) println(ctx.stdout, JSON.stringify({ event: 'report', report }));
  else println(ctx.stdout, `${o.tty ? '' : '\n'}${renderReport(report)}`);
}

/** `dws-failover watch`. */
export const watchCommand: Command = {
  name: 'watch',
  summary: 'Watch the live progress of a run until it ends, then print its report',
  help: HELP,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(
      'watch',
      argv,
      { ...RUN_TARGET_OPTIONS, interval: { type: 'string' }, json: { type: 'boolean' } },
      { positionals: 1 }
    );
    if (values.help) return (println(ctx.stdout, HELP), 0);
    const run = checkRunTarget('watch', { workflowId: positionals[0], run: values.run, pair: values.pair }, ctx.env);
    const intervalMs = values.interval === undefined ? 1000 : parseDurationMs(values.interval);
    if (intervalMs === undefined || intervalMs < 100)
      throw new UsageError(
        `watch: --interval must be a duration of at least 0.1s (e.g. 2, 0.5, 5s), got '${values.interval}'`
      );
    const o: WatchOptions = {
      intervalMs,
      json: values.json ?? false,
      tty: (ctx.stdout as NodeJS.WriteStream).isTTY === true,
    };
    return withRunTarget(ctx, run, 'latest', async (client, target) => {
      const id = target.workflowId;
      const description = await describeRun(client, id, target.runId);
      let report: OperationState | null;
      if (description.status.name === 'RUNNING') {
        report = await follow(client, target, ctx, o);
        if (!report) {
          if (o.tty) println(ctx.stdout);
          println(ctx.stderr, `Stopped watching ${id}; the run goes on.`);
          return 130;
        }
        if (o.tty && !o.json) redraw(ctx, [], false);
      } else {
        report = (await readState(client, id, target.runId)).state;
      }
      printReport(ctx, report, o);
      return exitCodeOf(report) ?? 1;
    });
  },
};
