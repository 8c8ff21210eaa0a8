/**
 * Past and running operations of DR pairs, read from Temporal visibility (nothing is stored outside Temporal).
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { DR_ID, FAILOVER_OUTCOME } from '../shared/constants';
import type { DrillReport } from '../shared/drills';
import { OUTCOMES, outcomeFor, RECORDED_BEFORE } from '../shared/outcomes';
import { decidedBy, triggerLabel, type RunMemo } from '../shared/run-memo';
import type { DrOperation, OperationReport } from '../shared/operation-model';
import { quote } from '../temporal/visibility';

/** The kinds of run `runs --kind` accepts. */
export const RUN_KINDS = ['failover', 'switchover', 'recovery', 'drill'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

const WORKFLOW_TYPES: Readonly<Record<RunKind, string>> = {
  failover: 'failoverWorkflow',
  switchover: 'switchoverWorkflow',
  recovery: 'recoveryWorkflow',
  drill: 'drillWorkflow',
};

/**
 * The values of the `FailoverOutcome` search attribute: an operation's outcome or a drill's verdict (not
 * `switch-back-failed`: that is a recovery's switch back, and the recovery ended `recovered`).
 */
export const RUN_OUTCOMES: readonly string[] = [
  ...Object.keys(OUTCOMES).filter((o) => o !== 'switch-back-failed'),
  'passed',
  'failed',
  'skipped',
];

/** What `runs` filters on; every field narrows the visibility query. */
export interface RunFilter {
  pair?: { projectId: string; drId: string };
  /** Default: every kind. */
  kinds?: readonly RunKind[];
  outcome?: string;
  since?: Date;
}

/** One run as a list shows it. */
export interface RunRow {
  workflowId: string;
  runId: string;
  kind: RunKind;
  projectId: string;
  drId: string;
  /** The DR's name when the run recorded it. */
  drName: string | null;
  /** Temporal's execution status: RUNNING, COMPLETED, TERMINATED… */
  status: string;
  startTime: string;
  closeTime: string | null;
  /** The outcome (a drill's verdict); the status in lower case for a run that ended without a report. */
  outcome: string | null;
  rtoSeconds: number | null;
  /** The approver, the person who cancelled, or the trigger that started it. */
  decidedBy: string | null;
}

/** The visibility query of a filter: only this project's operation workflows, never locks or deliveries. */
export function runsQuery(filter: RunFilter): string {
  const kinds = filter.kinds?.length ? filter.kinds : RUN_KINDS;
  const parts = [`WorkflowType IN (${kinds.map((k) => quote(WORKFLOW_TYPES[k])).join(', ')})`];
  if (filter.pair) parts.push(`${DR_ID.name} = ${quote(filter.pair.drId)}`);
  if (filter.outcome) parts.push(outcomeQuery(filter.outcome));
  if (filter.since) parts.push(`StartTime >= ${quote(filter.since.toISOString())}`);
  return parts.join(' AND ');
}

/**
 * An outcome's filter, by what the outcome means for each kind (outcomeFor): `switchover-refused` also finds the
 * switchovers that recorded `failover-refused` before it existed, and `failover-refused` finds failovers only.
 */
function outcomeQuery(outcome: string): string {
  const is = (value: string): string => `${FAILOVER_OUTCOME.name} = ${quote(value)}`;
  const type = (operation: DrOperation, op: '=' | '!='): string =>
    `WorkflowType ${op} ${quote(WORKFLOW_TYPES[operation])}`;
  const entries = Object.entries(RECORDED_BEFORE);
  const renamedKinds = entries.filter(([, before]) => before.outcome === outcome).map(([, before]) => before.operation);
  const own = renamedKinds.length
    ? `(${[is(outcome), ...renamedKinds.map((k) => type(k, '!='))].join(' AND ')})`
    : is(outcome);
  const older = entries
    .filter(([name]) => name === outcome)
    .map(([, before]) => `(${is(before.outcome)} AND ${type(before.operation, '=')})`);
  return older.length ? `(${[own, ...older].join(' OR ')})` : own;
}

const kindOf = (workflowType: string): RunKind | undefined => RUN_KINDS.find((k) => WORKFLOW_TYPES[k] === workflowType);

/** `dws-<kind>:<project>:<dr>[-<schedule time>]` → project and DR ids. */
function idsOf(workflowId: string): { projectId: string; drId: string } {
  const [, projectId = '', dr = ''] = workflowId.split(':');
  return { projectId, drId: dr.replace(/-\d{4}-\d\d-\d\dT.*$/, '') };
}

/** The outcome a row shows: what it means for the run's kind (a drill's verdict as it is). */
const recordedOutcome = (kind: RunKind, recorded: string | null): string | null =>
  recorded === null || kind === 'drill' ? recorded : outcomeFor(kind, recorded);

/** The row of a listed run: from its memo, or, for a run recorded before runs carried one, from its result. */
async function toRow(client: Client, wf: WorkflowExecutionInfo, kind: RunKind, detailed: boolean): Promise<RunRow> {
  const memo = (wf.memo ?? {}) as Partial<RunMemo>;
  const status = wf.status.name;
  const row: RunRow = {
    workflowId: wf.workflowId,
    runId: wf.runId,
    kind,
    ...idsOf(wf.workflowId),
    drName: memo.drName ?? null,
    status,
    startTime: wf.startTime.toISOString(),
    closeTime: wf.closeTime?.toISOString() ?? null,
    outcome: recordedOutcome(kind, wf.typedSearchAttributes.get(FAILOVER_OUTCOME) ?? memo.outcome ?? null),
    rtoSeconds: memo.rtoSeconds ?? null,
    decidedBy: memo.decidedBy ?? memo.trigger ?? null,
  };
  if (status !== 'COMPLETED') {
    if (status !== 'RUNNING') row.outcome ??= status.toLowerCase();
    return row;
  }
  if (memo.decidedBy !== undefined || !detailed) return row;
  const result = (await client.workflow.getHandle(wf.workflowId, wf.runId).result()) as OperationReport | DrillReport;
  if ('kind' in result && result.kind === 'drill') {
    return { ...row, drName: result.drName, decidedBy: triggerLabel(result.requestedBy) };
  }
  const report = result as OperationReport;
  return { ...row, drName: report.drName, rtoSeconds: report.rtoSeconds, decidedBy: decidedBy(report) };
}

/**
 * The runs matching `filter`, newest first, at most `limit`. `detailed` (default) reads the result of a finished run
 * recorded before runs carried their memo, for its RTO and who decided.
 * @throws the visibility service's error for a query it refuses (e.g. an unregistered search attribute).
 */
export async function listRuns(
  client: Client,
  filter: RunFilter,
  limit: number,
  { detailed = true }: { detailed?: boolean } = {}
): Promise<RunRow[]> {
  const found: { wf: WorkflowExecutionInfo; kind: RunKind }[] = [];
  for await (const wf of client.workflow.list({ query: runsQuery(filter), pageSize: Math.min(100, limit) })) {
    const kind = kindOf(wf.type);
    // A DR id is a UUID; the project check only guards against a private cloud's reuse of one.
    if (!kind || (filter.pair && idsOf(wf.workflowId).projectId !== filter.pair.projectId)) continue;
    found.push({ wf, kind });
    if (found.length >= limit) break;
  }
  const rows = await Promise.all(found.map(({ wf, kind }) => toRow(client, wf, kind, detailed)));
  return rows.sort((a, b) => b.startTime.localeCompare(a.startTime));
}

/** A run to open: its workflow id, and its run id when one run was asked for (none: the latest). */
export interface RunRef {
  workflowId: string;
  runId?: string;
}

/**
 * `--run <id>`: a workflow id (`dws-failover:<project>:<dr>`, its latest run) or a run id, looked up in visibility.
 * @throws Error naming the value and the two forms it may take when no run has that id.
 */
export async function findRun(client: Client, ref: string): Promise<RunRef> {
  const id = ref.trim();
  if (id.includes(':')) return { workflowId: id };
  for await (const wf of client.workflow.list({ query: `RunId = ${quote(id)}`, pageSize: 1 })) {
    return { workflowId: wf.workflowId, runId: wf.runId };
  }
  throw new Error(
    `--run '${ref}': no run has that id. Give a run id from \`dws-failover runs\` or a workflow id such as dws-failover:<project>:<dr>.`
  );
}

/** The operation kinds a pair's report may come from (a drill has its own: `drill show`). */
const OPERATION_KINDS: readonly RunKind[] = ['failover', 'switchover', 'recovery'];

/** How many of a pair's newest runs are read to find the one that did something. */
const LOOKBACK = 100;

/**
 * The pair's newest operation run that did something: not one that only found the pair already failed over (an
 * alert that kept firing). `newer` are the runs skipped on the way, newest first.
 * @returns null when the pair has no operation run.
 */
export async function latestRealRun(
  client: Client,
  pair: { projectId: string; drId: string }
): Promise<{ latest: RunRow; real: RunRow | null; newer: RunRow[] } | null> {
  const runs = await listRuns(client, { pair, kinds: OPERATION_KINDS }, LOOKBACK, { detailed: false });
  const latest = runs[0];
  if (!latest) return null;
  const index = runs.findIndex((r) => r.outcome !== 'already-failed-over');
  return { latest, real: runs[index] ?? null, newer: index < 0 ? runs : runs.slice(0, index) };
}
