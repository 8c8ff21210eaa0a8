/**
 * The shape of a CLI command and the small argument parser every command uses.
 */
import { parseArgs } from 'node:util';

export interface CommandContext {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM: long-running commands stop cleanly when it fires. */
  signal: AbortSignal;
}

/** One `dws-failover <name>` command. `run` resolves to the process exit code. */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full `--help` text. */
  help: string;
  run(argv: string[], ctx: CommandContext): Promise<number>;
}

/** A mistake in the command line; the CLI prints it with a pointer to `--help` and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/**
 * Parses `argv` strictly against `options` (plus `--help`/`-h`).
 * @throws UsageError naming the unknown or malformed option.
 */
export function parseCommandArgs<T extends OptionSpec>(
  command: string,
  argv: string[],
  options: T,
  { positionals = 0 }: { positionals?: number } = {}
): {
  values: {
    [K in keyof T]?: T[K]['multiple'] extends true ? string[] : T[K]['type'] extends 'boolean' ? boolean : string;
  } & { help?: boolean };
  positionals: string[];
} {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: positionals > 0,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(`${command}: ${(err as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '')}`);
  }
  if (!(parsed.values as { help?: boolean }).help && parsed.positionals.length > positionals) {
    throw new UsageError(`${command}: unexpected argument '${parsed.positionals[positionals]}'`);
  }
  return parsed as never;
}

/** Reads a required string flag. @throws UsageError naming the flag. */
export function requireFlag(command: string, flag: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${command}: --${flag} is required`);
  return value;
}

/** Parses an integer flag within bounds. @throws UsageError naming the flag and the allowed range. */
export function intFlag(
  command: string,
  flag: string,
  value: string | undefined,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${command}: --${flag} must be a whole number from ${min} to ${max}, got '${value}'`);
  }
  return n;
}

/** Writes one line. */
export function println(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(`${line}\n`);
}
