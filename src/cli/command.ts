/**
 * The shape of a CLI command and the small argument parser every command uses.
 */
import { parseArgs } from 'node:util';
import { didYouMean } from '../shared/suggest';

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
  /** The message is a whole line that already points to the command's `--help`; printed as is. */
  readonly pointsToHelp: boolean;

  constructor(message: string, options: { pointsToHelp?: boolean } = {}) {
    super(message);
    this.pointsToHelp = options.pointsToHelp ?? false;
  }
}

/** The exit code of every usage error (unknown command or flag, missing or malformed value). */
export const USAGE_EXIT_CODE = 2;

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
    throw parseError(command, err as Error & { code?: string }, Object.keys(options));
  }
  if (!(parsed.values as { help?: boolean }).help && parsed.positionals.length > positionals) {
    throw new UsageError(`${command}: unexpected argument '${parsed.positionals[positionals]}'`);
  }
  return parsed as never;
}

/**
 * Node's parser error as one line of ours: the flag and the command named, the closest known flags suggested, and a
 * pointer to the command's help (not Node's own advice about positionals starting with '-').
 */
function parseError(command: string, err: Error & { code?: string }, flags: string[]): UsageError {
  const flag = /option '([^' ]+)/i.exec(err.message)?.[1];
  const see = ` See 'dws-failover ${command} --help'.`;
  const line = (text: string): UsageError => new UsageError(`dws-failover: ${text}${see}`, { pointsToHelp: true });
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
    const close = didYouMean(flag.replace(/^-+/, ''), [...flags, 'help'], (f) => `--${f}`);
    return line(`unknown option ${flag} for '${command}'.${close}`);
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
    const name = flag.replace(/^-+/, '');
    return flags.includes(name) && /argument missing/.test(err.message)
      ? line(`option --${name} for '${command}' needs a value: --${name} <value>.`)
      : line(`option --${name} for '${command}' takes no value.`);
  }
  if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const arg = /argument '([^']*)'/.exec(err.message)?.[1] ?? '';
    return line(`unexpected argument '${arg}' for '${command}': it takes options only.`);
  }
  return line(`${command}: ${err.message.replace(/^TypeError \[[A-Z_]+\]: /, '')}.`);
}

/** A subcommand that `command` does not have, with the closest ones suggested. */
export function unknownSubcommand(command: string, sub: string, subcommands: readonly string[]): UsageError {
  const close = didYouMean(sub, subcommands) || ` Its subcommands: ${subcommands.join(', ')}.`;
  return new UsageError(
    `dws-failover: unknown subcommand '${sub}' for '${command}'.${close} See 'dws-failover ${command} --help'.`,
    { pointsToHelp: true }
  );
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
