/**
 * Which run `status`, `report` and `watch` open: a workflow id (its latest run), `--run <run id|workflow id>`, or
 * `--pair`, whose runs after a failover may only have found it already failed over (an alert that kept firing).
 */
import type { Client } from '@temporalio/client';
import { loadConfig, type Config } from '../config';
import type { PairRef } from '../drills/pair-ref';
import { findRun, latestRealRun, type RunRef } from '../operations/runs';
import { println, UsageError, type CommandContext } from './command';
import { resolvePairFlags } from './pair-option';
import { withRunClient } from './session';
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

/** A command line's run, checked; `withRunTarget` opens it. */
export interface CheckedRunTarget {
  command: string;
  args: RunTargetArgs;
  /** The pair `--pair` names, else null. */
  pair: PairRef | null;
}

/**
 * Checks the command line before anything connects, and resolves `--pair` (the inventory read only for a name).
 * @throws UsageError unless exactly one of the three forms is given, or naming the closest pairs for an unknown one.
 */
export function checkRunTarget(command: string, args: RunTargetArgs, env: NodeJS.ProcessEnv): CheckedRunTarget {
  const given = [args.workflowId, args.run, args.pair].filter((v) => v !== undefined).length;
  if (given !== 1)
    throw new UsageError(
      `${command}: give one run: a workflow id (e.g. dws-failover:<project>:<dr>), --run <run id> or --pair <name|project/dr>`
    );
  const pair = resolvePairFlags(command, { pair: args.pair }, { inventory: () => loadConfig(env).inventory });
  return { command, args, pair };
}

/**
 * Connects (reading the inventory only when `--pair` named a pair: a broken inventory file must not block a look at a
 * run during an incident), resolves the run, prints on stderr why it is this one, and runs `fn` on it; closes after.
 * @throws UsageError for an unknown pair; Error when the run or the pair's runs cannot be found.
 */
export function withRunTarget<T>(
  ctx: CommandContext,
  checked: CheckedRunTarget,
  choice: PairChoice,
  fn: (client: Client, target: RunTarget, config: Config) => Promise<T>
): Promise<T> {
  return withRunClient(
    ctx,
    async (client, config) => {
      const target = await resolveRunTarget(client, checked, choice);
      for (const note of target.notes) println(ctx.stderr, note);
      return fn(client, target, config);
    },
    { inventory: checked.args.pair !== undefined }
  );
}

/** The run a checked command line names, with the notes that say why it is this one. */
async function resolveRunTarget(
  client: Client,
  { command, args, pair }: CheckedRunTarget,
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
