/**
 * `dws-failover status` and `dws-failover report`: the state of a failover run, live or finished.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { WorkflowNotFoundError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { OUTCOMES } from '../shared/outcomes';
import type { FailoverReport, FailoverState } from '../shared/types';
import { parseCommandArgs, println, UsageError, type Command } from './command';
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

const STATUS_HELP = `Usage: dws-failover status <workflow-id> [--json]

Shows where a failover is: phase, checks, requests, evidence; the outcome once it ended.
Exit codes: 0 running or failed-over/already-failed-over, 3–7 the outcome's code (see failover --help), 1 error.`;

export const statusCommand: Command = {
  name: 'status',
  summary: 'Show the state of a failover',
  help: STATUS_HELP,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('status', argv, { json: { type: 'boolean' } }, { positionals: 1 });
    if (values.help) return (println(ctx.stdout, STATUS_HELP), 0);
    const id = positionals[0];
    if (!id)
      throw new UsageError('status: the workflow id is required, e.g. dws-failover status dws-failover:<project>:<dr>');
    return withRunClient(ctx, async (client) => {
      const { state } = await readState(client, id);
      println(ctx.stdout, values.json ? JSON.stringify(state, null, 2) : renderReport(state));
      return state.outcome ? OUTCOMES[state.outcome].exitCode : 0;
    });
  },
};

const REPORT_FORMATS = ['text', 'json', 'html'] as const;

const REPORT_HELP = `Usage: dws-failover report <workflow-id> [--format text|json|html] [--out <file>]

Prints the report of a finished failover, switchover or recovery (or the state so far of a running one).

Options:
  --format <f>    text (default), json, or html: one self-contained page (inline CSS, no scripts, no
                  external assets) with the timeline of phases, checks, evidence, approver, RTO and the
                  data-loss window, to attach to a ticket or a post-mortem
  --json          Same as --format json
  --out <file>    Write the report to this file; - or no --out writes to stdout
  -h, --help      This help

Exit codes: the outcome's code (0 completed, 3 precheck-failed, 4 rejected or approval timed out,
            5 cancelled, 6 refused, 7 timed out), 0 while running, 1 error, 2 usage.`;

/** `dws-failover report`. */
export const reportCommand: Command = {
  name: 'report',
  summary: 'Print the report of a run as text, JSON or a self-contained HTML page',
  help: REPORT_HELP,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(
      'report',
      argv,
      { format: { type: 'string' }, json: { type: 'boolean' }, out: { type: 'string' } },
      { positionals: 1 }
    );
    if (values.help) return (println(ctx.stdout, REPORT_HELP), 0);
    const id = positionals[0];
    if (!id) throw new UsageError('report: the workflow id is required');
    const format = values.format ?? (values.json ? 'json' : 'text');
    if (!(REPORT_FORMATS as readonly string[]).includes(format))
      throw new UsageError(`report: --format must be text, json or html, got '${format}'`);
    if (values.json && format !== 'json') throw new UsageError(`report: --json contradicts --format ${format}`);
    if (values.out === '') throw new UsageError('report: --out needs a file name (or - for stdout)');
    return withRunClient(ctx, async (client) => {
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
