/**
 * The chaos run's command line: `npm run chaos -- --runs N --seed S [--concurrency C] [--run K] …`.
 */
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';

/** A bad command line; the message names the flag and what it accepts. */
export class ChaosUsageError extends Error {
  override readonly name = 'ChaosUsageError';
}

export interface ChaosArgs {
  help: boolean;
  /** How many runs. @default 20 */
  runs: number;
  /** Master seed (0 … 2^32−1). @default random, printed */
  seed: number;
  /** Whether the seed was given (false: drawn at random). */
  seedGiven: boolean;
  /** Runs at a time. @default 6 */
  concurrency: number;
  /** Replay only this run (1-based) of `seed`, alone. @default null */
  run: number | null;
  /** Restart the Temporal dev server at random times. @default true */
  temporalRestarts: boolean;
  /** With `run`: restart Temporal at these offsets (seconds from the run's start), as the original run saw them. */
  restartAt: number[];
  /** Print a machine-readable summary on stdout instead of the table. @default false */
  json: boolean;
}

export const USAGE = `Usage: npm run chaos -- [options]

Runs random fault schedules against real failover, switchover and recovery workflows on a Temporal dev server and
checks the exactly-once guarantee against the simulator's ground truth. Exits 0 only when every invariant holds.

Options:
  --runs N                 number of runs (default 20)
  --seed S                 master seed, 0 to 4294967295 (default: random, printed)
  --concurrency C          runs at a time, 1 to 32 (default 6)
  --run K                  replay only run K (1-based) of --seed S, alone
  --restart-at T1,T2,…     with --run: restart Temporal at these seconds after the run's start
  --temporal-restarts      restart the Temporal dev server every 40–90 s (default)
  --no-temporal-restarts   never restart it
  --json                   print a JSON summary on stdout instead of the table
  --help                   this text`;

const OPTIONS = {
  runs: { type: 'string' },
  seed: { type: 'string' },
  concurrency: { type: 'string' },
  run: { type: 'string' },
  'restart-at': { type: 'string' },
  'temporal-restarts': { type: 'boolean' },
  'no-temporal-restarts': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function wholeNumber(flag: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new ChaosUsageError(`--${flag} must be a whole number from ${min} to ${max}, got '${raw}'`);
  }
  return n;
}

/**
 * Parses the chaos run's flags. `drawSeed` supplies the seed when none is given.
 * @throws ChaosUsageError naming the flag, for unknown flags, missing values and out-of-range numbers.
 */
export function parseChaosArgs(argv: string[], drawSeed: () => number = () => randomInt(2 ** 32)): ChaosArgs {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true }>>['values'];
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new ChaosUsageError(explainParseError(err as Error));
  }
  const none: ChaosArgs = {
    help: true,
    runs: 20,
    seed: 0,
    seedGiven: false,
    concurrency: 6,
    run: null,
    temporalRestarts: true,
    restartAt: [],
    json: false,
  };
  if (values.help) return none;
  if (values['temporal-restarts'] && values['no-temporal-restarts']) {
    throw new ChaosUsageError('--temporal-restarts and --no-temporal-restarts contradict each other; give one');
  }
  const run = wholeNumber('run', values.run, 1, 1_000_000) ?? null;
  const restartAt = parseOffsets(values['restart-at']);
  if (restartAt.length > 0 && run === null) {
    throw new ChaosUsageError('--restart-at only applies with --run K (a replay of one run)');
  }
  const seed = wholeNumber('seed', values.seed, 0, 2 ** 32 - 1);
  return {
    help: false,
    runs: wholeNumber('runs', values.runs, 1, 10_000) ?? 20,
    seed: seed ?? drawSeed(),
    seedGiven: seed !== undefined,
    concurrency: wholeNumber('concurrency', values.concurrency, 1, 32) ?? 6,
    run,
    temporalRestarts: !values['no-temporal-restarts'],
    restartAt,
    json: values.json === true,
  };
}

function parseOffsets(raw: string | undefined): number[] {
  if (raw === undefined) return [];
  return raw.split(',').map((part) => {
    const n = Number(part);
    if (part.trim() === '' || !Number.isFinite(n) || n < 0 || n > 3600) {
      throw new ChaosUsageError(
        `--restart-at must be a comma-separated list of seconds from 0 to 3600 (e.g. 12.5,40), got '${raw}'`
      );
    }
    return n;
  });
}

/** node:util's messages name the flag already; only the wording of the common ones is made plainer. */
function explainParseError(err: Error): string {
  const unknown = /Unknown option '([^']+)'/.exec(err.message);
  if (unknown) return `unknown flag ${unknown[1]}; see --help`;
  const missing = /Option '(--[a-z-]+)[^']*' argument missing/.exec(err.message);
  if (missing) return `${missing[1]} needs a value`;
  const ambiguous = /Option '(--[a-z-]+)' argument is ambiguous/.exec(err.message);
  if (ambiguous) return `${ambiguous[1]} needs a value (write ${ambiguous[1]}=-1 for one that starts with '-')`;
  const positional = /Unexpected argument '([^']+)'/.exec(err.message);
  if (positional) return `unexpected argument '${positional[1]}': every option is a --flag; see --help`;
  return err.message;
}
