/**
 * `dws-failover status` and `dws-failover report`: the state of a failover run, live or finished.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { WorkflowNotFoundError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { OUTCOMES } from '../shared/outcomes';
import type { FailoverReport, FailoverState } from '../shared/types';
import { loadConfig } from '../config';
import { parseCommandArgs, println, UsageError, type Command, type CommandContext } from './command';
import { pairHelpLine, PAIR_OPTION, runSelector, selectedRunId } from './pair-option';
import { renderReport } from './render';
import { withRunClient } from './session';

/**
 * Describes the latest run of `workflowId`.
 * @throws Error with a clear message (and the id format) when there is no such workflow.
 */
export async function describeRun(client: Client, workflowId: string): Promise<WorkflowExecutionDescription> {
  try {
    return await client.workflow.getHandle(workflowId).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      throw new Error(`No workflow '${workflowId}'. Failover ids look like dws-failover:<project id>:<DR id>.`);
    }
    throw err;
  }
}

/** Reads the state of a run: the result when it ended, the `progress` query while it runs. */
export async function readState(
  client: Client,
  workflowId: string
): Promise<{ state: FailoverState; running: boolean }> {
  const handle = client.workflow.getHandle(workflowId);
  const description = await describeRun(client, workflowId);
  if (description.status.name === 'RUNNING') {
    // Loaded on demand: the message definitions bring in the workflow library, which a finished run does not need.
    const { progressQuery } = await import('../shared/messages.js');
    return { state: await handle.query(progressQuery), running: true };
  }
  if (description.status.name !== 'COMPLETED') {
    throw new Error(`The workflow ${workflowId} ended as ${description.status.name} without a report.`);
  }
  return { state: (await handle.result()) as FailoverReport, running: false };
}

const OUTCOME_EXIT_CODES = `Exit codes:
  0    running, or completed (failed-over, switched-over, recovered, already-failed-over)
  1    error (e.g. no such run, Temporal not reachable)
  2    usage (unknown flag, no run named, unknown pair)
  3    precheck-failed
  4    rejected or approval timed out
  5    cancelled
  6    refused
  7    timed out
  8    swapped-back: seen swapped, then back on the old primary`;

const SELECT_HELP = `  ${pairHelpLine(16)}; its running failover,
                  switchover or recovery, else the one that started last (preferred)
  <workflow-id>   Instead of --pair: the run's workflow id, e.g. dws-failover:<project>:<dr>`;

const STATUS_HELP = `Usage: dws-failover status --pair <name|project/dr> [--json]
       dws-failover status <workflow-id> [--json]

Shows where a failover, switchover or recovery is: phase, checks, requests, evidence; the outcome
once it ended.

Options:
${SELECT_HELP}
  --json          The state as JSON
  -h, --help      This help

${OUTCOME_EXIT_CODES}`;

/** The run a status/report command line names, resolved against Temporal. */
function readSelector(command: string, positional: string | undefined, pair: string | undefined, ctx: CommandContext) {
  return runSelector(command, positional, { pair }, () => loadConfig(ctx.env).inventory);
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'Show the state of a failover',
  help: STATUS_HELP,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(
      'status',
      argv,
      { ...PAIR_OPTION, json: { type: 'boolean' } },
      { positionals: 1 }
    );
    if (values.help) return (println(ctx.stdout, STATUS_HELP), 0);
    const selector = readSelector('status', positionals[0], values.pair, ctx);
    return withRunClient(ctx, async (client) => {
      const id = await selectedRunId(client, selector, 'latest');
      const { state } = await readState(client, id);
      println(ctx.stdout, values.json ? JSON.stringify(state, null, 2) : renderReport(state));
      return state.outcome ? OUTCOMES[state.outcome].exitCode : 0;
    });
  },
};

const REPORT_FORMATS = ['text', 'json', 'html'] as const;

const REPORT_HELP = `Usage: dws-failover report --pair <name|project/dr> [--format text|json|html] [--out <file>]
       dws-failover report <workflow-id> [--format text|json|html] [--out <file>]

Prints the report of a finished failover, switchover or recovery (or the state so far of a running one).

Options:
${SELECT_HELP}
  --format <f>    text (default), json, or html: one self-contained page (inline CSS, no scripts, no
                  external assets) with the timeline of phases, checks, evidence, approver, RTO and the
                  data-loss window, to attach to a ticket or a post-mortem
  --json          Same as --format json
  --out <file>    Write the report to this file; - or no --out writes to stdout
  -h, --help      This help

${OUTCOME_EXIT_CODES}`;

/** `dws-failover report`. */
export const reportCommand: Command = {
  name: 'report',
  summary: 'Print the report of a run as text, JSON or a self-contained HTML page',
  help: REPORT_HELP,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(
      'report',
      argv,
      { ...PAIR_OPTION, format: { type: 'string' }, json: { type: 'boolean' }, out: { type: 'string' } },
      { positionals: 1 }
    );
    if (values.help) return (println(ctx.stdout, REPORT_HELP), 0);
    const selector = readSelector('report', positionals[0], values.pair, ctx);
    const format = values.format ?? (values.json ? 'json' : 'text');
    if (!(REPORT_FORMATS as readonly string[]).includes(format))
      throw new UsageError(`report: --format must be text, json or html, got '${format}'`);
    if (values.json && format !== 'json') throw new UsageError(`report: --json contradicts --format ${format}`);
    if (values.out === '') throw new UsageError('report: --out needs a file name (or - for stdout)');
    return withRunClient(ctx, async (client) => {
      const id = await selectedRunId(client, selector, 'latest');
      const { state, running } = await readState(client, id);
      if (running) println(ctx.stderr, `${id} is still running; this is the state so far.`);
      const text =
        format === 'json'
          ? `${JSON.stringify(state, null, 2)}\n`
          : format === 'html'
            ? (await import('../report/html.js')).renderHtmlReport(state)
            : `${renderReport(state)}\n`;
      if (values.out === undefined || values.out === '-') ctx.stdout.write(text);
      else {
        const file = path.resolve(values.out);
        try {
          await writeFile(file, text, 'utf8');
        } catch (err) {
          throw new Error(`cannot write the report to ${file}: ${(err as Error).message}`);
        }
        println(ctx.stdout, `Wrote the ${format} report of ${id} to ${file}`);
      }
      return state.outcome ? OUTCOMES[state.outcome].exitCode : 0;
    });
  },
};
