/**
 * `dws-failover`: the runbook front end. Dispatches to one command per file.
 */
import { ConfigError } from '../config';
import { simulatorCommand } from '../simulator/command';
import { println, UsageError, type Command, type CommandContext } from './command';
import { approveCommand, cancelCommand, rejectCommand } from './decision-commands';
import { demoCommand } from './demo-command';
import { devCommand } from './dev-command';
import { drillCommand } from './drill-command';
import { failoverCommand } from './failover-command';
import { intakeCommand } from './intake-command';
import { recoverCommand, switchoverCommand } from './planned-commands';
import { precheckCommand } from './precheck-command';
import { readinessCommand } from './readiness-command';
import { scheduleCommand } from './schedule-command';
import { reportCommand, statusCommand } from './status-command';
import { temporalCliCommand } from './temporal-cli-command';
import { watchCommand } from './watch-command';
import { workerCommand } from './worker-command';

export const COMMANDS: readonly Command[] = [
  failoverCommand,
  switchoverCommand,
  recoverCommand,
  precheckCommand,
  statusCommand,
  watchCommand,
  approveCommand,
  rejectCommand,
  cancelCommand,
  reportCommand,
  drillCommand,
  scheduleCommand,
  readinessCommand,
  workerCommand,
  intakeCommand,
  simulatorCommand,
  devCommand,
  demoCommand,
  temporalCliCommand,
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: dws-failover <command> [options]',
    '',
    'Durable, exactly-once failover of Huawei Cloud GaussDB(DWS) disaster-recovery pairs, on Temporal.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run `dws-failover <command> --help` for a command's options. Configuration: README § Configuration.",
  ].join('\n');
}

/** Runs one command line; resolves to the exit code. Errors are printed as one clear line. */
export async function runCli(argv: string[], ctx: CommandContext): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    println(ctx.stdout, usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    println(ctx.stdout, (require('../../package.json') as { version: string }).version);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    println(ctx.stderr, `dws-failover: unknown command '${name}'. Run \`dws-failover --help\` for the list.`);
    return 2;
  }
  try {
    return await command.run(rest, ctx);
  } catch (err) {
    if (err instanceof UsageError) {
      println(ctx.stderr, `${err.message}\nRun \`dws-failover ${name} --help\` for usage.`);
      return 2;
    }
    if (err instanceof ConfigError) {
      println(ctx.stderr, err.message);
      return 2;
    }
    println(ctx.stderr, `dws-failover ${name}: ${(err as Error).message ?? String(err)}`);
    return 1;
  }
}

/** Process entry: wires signals to an AbortSignal and exits with the command's code. */
export async function main(): Promise<void> {
  // `dws-failover report … | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: controller.signal,
  });
  process.exitCode = code;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`dws-failover: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  });
}
