/**
 * `--pair <name|project/dr>`, the one way every command names a DR pair, and the run of a pair a command acts on.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Inventory } from '../inventory';
import { resolvePairRef, type PairRef } from '../drills/pair-ref';
import { workflowIds } from '../shared/constants';
import { UsageError } from './command';

/** The option spec of `--pair`, and of the older `--project`/`--dr` that failover, switchover, recover, precheck keep. */
export const PAIR_OPTION = { pair: { type: 'string' } } as const;
export const PROJECT_DR_OPTIONS = { project: { type: 'string' }, dr: { type: 'string' } } as const;

/** The `Options:` line of `--pair`, its description starting at column `width` like the help's other lines. */
export const pairHelpLine = (width: number): string =>
  `${'--pair <p>'.padEnd(width)}The DR pair: its inventory name, or <project id>/<DR id>`;

/** What a command line may name a pair with. */
export interface PairFlags {
  pair?: string | undefined;
  project?: string | undefined;
  dr?: string | undefined;
}

export interface PairSources {
  /** The inventory, read only when `--pair` is a name: commands on a run by id never need it. */
  inventory: () => Inventory | null;
  /** `HUAWEICLOUD_SDK_PROJECT_ID`: the project of `--dr` given without `--project`. */
  defaultProjectId?: string | null | undefined;
}

/**
 * The pair a command line names: `--pair <inventory name>` or `--pair <project id>/<DR id>` (preferred), or the
 * older `--project <id> --dr <id>` (`--project` defaulting to HUAWEICLOUD_SDK_PROJECT_ID). A cross-region pair of the
 * inventory named by either side's project resolves to its `project_id`, as every front end does.
 * @returns null when the command line names no pair at all (the caller decides whether that is an error).
 * @throws UsageError naming `--pair` and the closest inventory names, or the flag that is missing or contradicts.
 */
export function resolvePairFlags(command: string, flags: PairFlags, sources: PairSources): PairRef | null {
  const { pair, project, dr } = flags;
  if (pair !== undefined) {
    if (project !== undefined || dr !== undefined)
      throw new UsageError(`${command}: give the pair once: --pair <name|project/dr>, or --project with --dr`);
    if (pair.trim() === '') throw new UsageError(`${command}: --pair needs a pair name or <project id>/<DR id>`);
    try {
      return resolvePairRef(pair, pair.includes('/') ? null : sources.inventory());
    } catch (err) {
      throw new UsageError(`${command}: ${(err as Error).message}`);
    }
  }
  if (dr === undefined && project === undefined) return null;
  if (dr === undefined || dr.trim() === '')
    throw new UsageError(`${command}: --dr is required with --project (or give --pair <name|project/dr>)`);
  const projectId = project ?? sources.defaultProjectId ?? undefined;
  if (projectId === undefined || projectId.trim() === '')
    throw new UsageError(
      `${command}: --project is required (or set HUAWEICLOUD_SDK_PROJECT_ID, or give --pair <name|project/dr>)`
    );
  try {
    return resolvePairRef(`${projectId}/${dr}`, sources.inventory());
  } catch (err) {
    throw new UsageError(`${command}: ${(err as Error).message.replace(/^--pair '[^']*'/, `--project/--dr`)}`);
  }
}

/** Like `resolvePairFlags`, for commands that need a pair. @throws UsageError when none is named. */
export function requirePair(command: string, flags: PairFlags, sources: PairSources): PairRef {
  const pair = resolvePairFlags(command, flags, sources);
  if (!pair) throw new UsageError(`${command}: --pair is required: an inventory name, or <project id>/<DR id>`);
  return pair;
}

/** The operations a pair's failover, switchover and recovery run as, one workflow id each (DESIGN §3). */
const OPERATIONS = ['failover', 'switchover', 'recovery'] as const;

/** `--pair p/dr`, the form that needs no inventory: what the CLI prints in commands to copy. */
export const pairArg = (p: { projectId: string; drId: string }): string => `--pair ${p.projectId}/${p.drId}`;

/** Whether `workflowId` is the business-key id of one of its pair's operations (not a drill's leg). */
export const isPairOperationId = (workflowId: string, p: { projectId: string; drId: string }): boolean =>
  OPERATIONS.some((op) => workflowIds[op](p.projectId, p.drId) === workflowId);

/**
 * The workflow id of the pair's failover, switchover or recovery running now: the run approve, reject and cancel act
 * on. (status, report and watch find a pair's runs through visibility: run-target.ts.)
 * @throws Error when the pair has no such run, or several run at once (naming their ids, to pass instead).
 */
export async function runningPairRunId(client: Client, pair: PairRef): Promise<string> {
  const found = await Promise.all(
    OPERATIONS.map(async (op) => {
      const id = workflowIds[op](pair.projectId, pair.drId);
      try {
        const d = await client.workflow.getHandle(id).describe();
        return d.status.name === 'RUNNING' ? id : null;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return null;
        throw err;
      }
    })
  );
  const running = found.filter((id) => id !== null);
  if (running.length > 1)
    throw new Error(`${pair.name} has ${running.length} runs going on: ${running.join(', ')}; give one id`);
  if (!running[0])
    throw new Error(
      `${pair.name} (${pair.projectId}/${pair.drId}) has no failover, switchover or recovery running (workflow ids dws-<operation>:<project>:<dr>)`
    );
  return running[0];
}

/** The run an approve, reject, cancel or drill status command line names: by workflow id or by pair. */
export type RunSelector = { workflowId: string } | { pair: PairRef };

/**
 * Reads `<workflow-id>` or `--pair` (preferred; exactly one of them) before anything connects.
 * @throws UsageError when neither or both are given, or the pair is unknown.
 */
export function runSelector(
  command: string,
  workflowId: string | undefined,
  flags: PairFlags,
  inventory: () => Inventory | null
): RunSelector {
  const pair = resolvePairFlags(command, flags, { inventory });
  if (pair && workflowId !== undefined)
    throw new UsageError(`${command}: give --pair or a workflow id, not both (got '${workflowId}')`);
  if (pair) return { pair };
  if (workflowId === undefined || workflowId.trim() === '')
    throw new UsageError(
      `${command}: the run is required: --pair <name|project/dr>, or its workflow id (dws-failover:<project>:<dr>)`
    );
  return { workflowId };
}

/** The workflow id `selector` names; for a pair, its running operation. */
export function selectedRunId(client: Client, selector: RunSelector): Promise<string> {
  return 'workflowId' in selector ? Promise.resolve(selector.workflowId) : runningPairRunId(client, selector.pair);
}
