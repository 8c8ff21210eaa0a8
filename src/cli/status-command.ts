/**
 * `dws-failover status` and `dws-failover report`: the state of a failover run, live or finished.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { progressQuery } from '../shared/messages';
import { OUTCOMES } from '../shared/outcomes';
import type { FailoverReport, FailoverState } from '../shared/types';
import { parseCommandArgs, println, UsageError, type Command } from './command';
import { renderReport } from './render';
import { withClient } from './session';

/** Reads the state of a run: the result when it ended, the `progress` query while it runs. */
export async function readState(
  client: Client,
  workflowId: string
): Promise<{ state: FailoverState; running: boolean }> {
  const handle = client.workflow.getHandle(workflowId);
  let description;
  try {
    description = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      throw new Error(`No workflow '${workflowId}'. Failover ids look like dws-failover:<project id>:<DR id>.`);
    }
    throw err;
  }
  if (description.status.name === 'RUNNING') {
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
    return withClient(ctx, async (client) => {
      const { state } = await readState(client, id);
      println(ctx.stdout, values.json ? JSON.stringify(state, null, 2) : renderReport(state));
      return state.outcome ? OUTCOMES[state.outcome].exitCode : 0;
    });
  },
};

const REPORT_HELP = `Usage: dws-failover report <workflow-id> [--format text|json]

Prints the report of a finished failover (or the state so far of a running one).`;

export const reportCommand: Command = {
  name: 'report',
  summary: 'Print the report of a failover',
  help: REPORT_HELP,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(
      'report',
      argv,
      { format: { type: 'string' } },
      { positionals: 1 }
    );
    if (values.help) return (println(ctx.stdout, REPORT_HELP), 0);
    const id = positionals[0];
    if (!id) throw new UsageError('report: the workflow id is required');
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json')
      throw new UsageError(`report: --format must be text or json, got '${format}'`);
    return withClient(ctx, async (client) => {
      const { state, running } = await readState(client, id);
      if (running) println(ctx.stderr, `${id} is still running; this is the state so far.`);
      println(ctx.stdout, format === 'json' ? JSON.stringify(state, null, 2) : renderReport(state));
      return state.outcome ? OUTCOMES[state.outcome].exitCode : 0;
    });
  },
};
