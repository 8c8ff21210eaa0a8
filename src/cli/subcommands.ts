/**
 * The dispatch of a command made of subcommands (`drill`, `keys`, `schedule`): the one list of its subcommands both
 * runs them and names them in the "did you mean" of a mistyped one.
 */
import { println, unknownSubcommand, type CommandContext } from './command';

/** One subcommand: it gets the arguments after its name. */
export type Subcommand = (argv: string[], ctx: CommandContext) => Promise<number>;

/**
 * Runs the subcommand `argv[0]` names. No subcommand prints the help and exits 2 (usage); `--help` or `-h` prints it
 * and exits 0.
 * @throws UsageError for an unknown subcommand, naming the closest ones (in the order `subcommands` lists them).
 */
export async function runSubcommand(
  command: string,
  help: string,
  subcommands: Record<string, Subcommand>,
  argv: string[],
  ctx: CommandContext
): Promise<number> {
  const [sub, ...rest] = argv;
  // Own keys only: `keys constructor` is a mistake, not Object.prototype.constructor.
  if (sub !== undefined && Object.hasOwn(subcommands, sub)) return subcommands[sub]!(rest, ctx);
  if (sub === undefined || sub === '--help' || sub === '-h') return (println(ctx.stdout, help), sub ? 0 : 2);
  throw unknownSubcommand(command, sub, Object.keys(subcommands));
}
