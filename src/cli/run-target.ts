/**
 * Which run `status`, `report` and `watch` open: a workflow id (its latest run), `--run <run id|workflow id>`, or
 * `--pair`, whose runs after a failover may only have found it already failed over (an alert that kept firing).
 */
import type { Client } from '@temporalio/client';
import type { Inventory } from '../inventory';
import type { PairRef } from '../drills/pair-ref';
import { findRun, latestRealRun, type RunRef } from '../operations/runs';
import { UsageError } from './command';
import { resolvePairFlags } from './pair-option';
import { when } from '../report/text';

/** The flags every run-reading command takes. */
export const RUN_TARGET_OPTIONS = { run: { type: 'string' }, pair: { type: 'string' } } as const;

/** The help lines of those flags. */
export const RUN_TARGET_HELP = `  --run <id>        One run: a run id (from dws-failover runs) or a workflow id (its latest run)
  --pair <p>        A pair named in the inventory, or <project id>/<DR id>: its latest failover,
                    switchover or recovery`;

/** What the command line named. */
export interface RunTargetArgs {
  workflowId?: string;
  run?: string;
  pair?: string;
}

/** The run to open, and sentences for stderr that say why it is this one and how to open the other. */
export interface RunTarget extends RunRef {
  notes: string[];
}

/**
 * `latest`: a pair's newest run (status, watch). `acted`: a pair's newest run that did something, skipping the runs
 * that found it already failed over (report: after an incident, people want the failover's report).
 */
export type PairChoice = 'latest' | 'acted';

/**
 * Checks the command line before anything connects, and resolves `--pair` (the inventory read only for a name).
 * @returns the pair `--pair` names, else null.
 * @throws UsageError unless exactly one of the three forms is given, or naming the closest pairs for an unknown one.
 */
export function checkRunTarget(
  command: string,
  args: RunTargetArgs,
  inventory: () => Inventory | null
): PairRef | null {
  const given = [args.workflowId, args.run, args.pair].filter((v) => v !== undefined).length;
  if (given !== 1)
    throw new UsageError(
      `${command}: give one run: a workflow id (e.g. dws-failover:<project>:<dr>), --run <run id> or --pair <name|project/dr>`
    );
  return resolvePairFlags(command, { pair: args.pair }, { inventory });
}

/**
 * Resolves the run a command opens.
 * @throws UsageError for an unknown pair; Error when the run or the pair's runs cannot be found.
 */
export async function resolveRunTarget(
  command: string,
  client: Client,
  args: RunTargetArgs,
  pair: PairRef | null,
  choice: PairChoice
): Promise<RunTarget> {
  if (args.workflowId !== undefined) return { workflowId: args.workflowId, notes: [] };
  if (args.run !== undefined || !pair) return { ...(await findRun(client, args.run ?? '')), notes: [] };
  const found = await latestRealRun(client, pair);
  if (!found) throw new Error(`No failover, switchover or recovery has run for ${pair.name} (${pair.drId}).`);
  const { latest, real, newer } = found;
  const open = (runId: string) => `dws-failover ${command === 'watch' ? 'report' : command} --run ${runId}`;
  if (choice === 'acted' && real && newer.length > 0) {
    return {
      workflowId: real.workflowId,
      runId: real.runId,
      notes: [
        `${newer.length} newer run(s) of ${pair.name} found it already failed over (the latest at ${when(latest.startTime)}, run ${latest.runId}); this is the run that acted, started ${when(real.startTime)}.`,
        `The latest run: ${open(latest.runId)}`,
      ],
    };
  }
  const notes =
    latest.outcome === 'already-failed-over' && real
      ? [
          `This run found ${pair.name} already failed over; the ${real.kind} that did it (${real.outcome ?? real.status.toLowerCase()}, started ${when(real.startTime)}): dws-failover report --run ${real.runId}`,
        ]
      : [];
  return { workflowId: latest.workflowId, runId: latest.runId, notes };
}
