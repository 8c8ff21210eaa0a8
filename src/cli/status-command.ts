/**
 * `dws-failover status` and `dws-failover report`: the state of a failover run, live or finished.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { WorkflowNotFoundError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { exitCodeOf } from '../shared/outcomes';
import type { OperationReport, OperationState } from '../shared/operation-model';
import { exitCodesSection } from './exit-codes';
import { parseCommandArgs, println, UsageError, type Command } from './command';
import { reportJson } from '../report/json';
import { reportMeta } from '../report/meta';
import { renderReport } from '../report/text';
import { checkRunTarget, RUN_TARGET_HELP, RUN_TARGET_OPTIONS, withRunTarget } from './run-target';

/**
 * Describes run `runId` of `workflowId`, or its latest run.
 * @throws Error with a clear message (and the id format) when there is no such workflow.
 */
export async function describeRun(
  client: Client,
  workflowId: string,
  runId?: string
): Promise<WorkflowExecutionDescription> {
  try {
    return await client.workflow.getHandle(workflowId, runId).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      const run = runId ? ` run ${runId}` : '';
      throw new Error(`No workflow '${workflowId}'${run}. Failover ids look like dws-failover:<project id>:<DR id>.`);
    }
    throw err;
  }
}

/** Reads the state of a run: the result when it ended, the `progress` query while it runs. */
export async function readState(
  client: Client,
  workflowId: string,
  runId?: string
): Promise<{ state: OperationState; running: boolean }> {
  const handle = client.workflow.getHandle(workflowId, runId);
  const description = await describeRun(client, workflowId, runId);
  if (description.status.name === 'RUNNING') {
    // Loaded on demand: the message definitions bring in the workflow library, which a finished run does not need.
    const { progressQuery } = await import('../shared/messages.js');
    return { state: await handle.query(progressQuery), running: true };
  }
  if (description.status.name !== 'COMPLETED') {
    throw new Error(`The workflow ${workflowId} ended as ${description.status.name} without a report.`);
  }
  return { state: (await handle.result()) as OperationReport, running: false };
}

/** The exit code of a run's state: its outcome's, 0 while it runs. */
/** Status and report exit with the run's outcome. */
const RUN_EXIT_CODES = exitCodesSection({
  ok: 'running, or completed (failed-over, switched-over, recovered, already-failed-over)',
  error: 'error (e.g. no such run, Temporal not reachable)',
  usage: 'usage (unknown flag, no run named, unknown pair)',
});

const STATUS_HELP = `Usage: dws-failover status <workflow-id> | --run <id> | --pair <name|project/dr> [--json]

Shows where a failover, switchover or recovery is: phase, checks, requests, evidence; the outcome once
it ended. With --pair, its latest run; when that run only found the pair already failed over, the
command to open the run that did it is printed on stderr.

Options:
${RUN_TARGET_HELP}
  --json            The state as JSON
  -h, --help        This help

${RUN_EXIT_CODES}`;

export const statusCommand: Command = {
  name: 'status',
  summary: 'Show the state of a failover',
  help: STATUS_HELP,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(
      'status',
      argv,
      { ...RUN_TARGET_OPTIONS, json: { type: 'boolean' } },
      { positionals: 1 }
    );
    if (values.help) return (println(ctx.stdout, STATUS_HELP), 0);
    const run = checkRunTarget('status', { workflowId: positionals[0], run: values.run, pair: values.pair }, ctx.env);
    return withRunTarget(ctx, run, 'latest', async (client, target) => {
      const { state } = await readState(client, target.workflowId, target.runId);
      println(ctx.stdout, values.json ? reportJson(state) : renderReport(state));
      return exitCodeOf(state) ?? 0;
    });
  },
};

const REPORT_FORMATS = ['text', 'json', 'html'] as const;

const REPORT_HELP = `Usage: dws-failover report <workflow-id> | --run <id> | --pair <name|project/dr>
                          [--format text|json|html] [--out <file>]

Prints the report of a finished failover, switchover or recovery (or the state so far of a running one):
every request with its answer, the clusters, the tool version and when it was generated, and a link to
the run in the Temporal Web UI when TEMPORAL_UI_URL is set. With --pair, the pair's latest run that
acted: runs that only found the pair already failed over (an alert that kept firing) are skipped, and
stderr says so and how to open the latest one.

Options:
${RUN_TARGET_HELP}
  --format <f>    text (default), json, or html: one self-contained page (inline CSS, no scripts, no
                  external assets) with the timeline of phases, checks, evidence, RTO, the data-loss
                  window and who decided, how each was verified (a break-glass key first of all, loud),
                  to attach to a ticket or a post-mortem. json adds breakGlass: true|false on top.
  --json          Same as --format json
  --out <file>    Write the report to this file; - or no --out writes to stdout
  -h, --help      This help

${RUN_EXIT_CODES}`;

/** `dws-failover report`. */
export const reportCommand: Command = {
  name: 'report',
  summary: 'Print the report of a run as text, JSON or a self-contained HTML page',
  help: REPORT_HELP,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(
      'report',
      argv,
      { ...RUN_TARGET_OPTIONS, format: { type: 'string' }, json: { type: 'boolean' }, out: { type: 'string' } },
      { positionals: 1 }
    );
    if (values.help) return (println(ctx.stdout, REPORT_HELP), 0);
    const run = checkRunTarget('report', { workflowId: positionals[0], run: values.run, pair: values.pair }, ctx.env);
    const format = values.format ?? (values.json ? 'json' : 'text');
    if (!(REPORT_FORMATS as readonly string[]).includes(format))
      throw new UsageError(`report: --format must be text, json or html, got '${format}'`);
    if (values.json && format !== 'json') throw new UsageError(`report: --json contradicts --format ${format}`);
    if (values.out === '') throw new UsageError('report: --out needs a file name (or - for stdout)');
    return withRunTarget(ctx, run, 'acted', async (client, target, config) => {
      const id = target.workflowId;
      const { state, running } = await readState(client, id, target.runId);
      if (running) println(ctx.stderr, `${id} is still running; this is the state so far.`);
      const meta = reportMeta(state, config.temporal);
      const text =
        format === 'json'
          ? `${reportJson(state, meta)}\n`
          : format === 'html'
            ? (await import('../report/html.js')).renderHtmlReport(state, meta)
            : `${renderReport(state, meta)}\n`;
      if (values.out === undefined || values.out === '-') ctx.stdout.write(text);
      else {
        const file = path.resolve(values.out);
        try {
          await writeFile(file, text, 'utf8');
        } catch (err) {
          throw new Error(`cannot write the report to ${file}: ${(err as Error).message}`);
        }
        println(ctx.stdout, `Wrote the ${format} report of ${id} (run ${state.runId}) to ${file}`);
      }
      return exitCodeOf(state) ?? 0;
    });
  },
};
