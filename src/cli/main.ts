/**
 * `dws-failover`: the runbook front end. Dispatches to one command per file.
 */
import { println, USAGE_EXIT_CODE, UsageError, type Command, type CommandContext } from './command';
import { didYouMean } from '../shared/suggest';

/**
 * One line of the command list: what `--help` shows, and how to load the command. Only the chosen command's module
 * (and what it imports) is loaded, so `status` and `report` start fast: no worker, webpack or simulator code.
 * The summary is the command's own, repeated so that listing the commands loads none of them.
 */
export interface CommandEntry extends Pick<Command, 'name' | 'summary'> {
  load(): Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'failover',
    summary: 'Start (or join) the failover of a DR pair',
    load: async () => (await import('./failover-command.js')).failoverCommand,
  },
  {
    name: 'switchover',
    summary: 'Start (or join) a planned switchover of a DR pair (no data loss)',
    load: async () => (await import('./planned-commands.js')).switchoverCommand,
  },
  {
    name: 'recover',
    summary: 'Recover DR after a failover (approval required; optional switch back)',
    load: async () => (await import('./planned-commands.js')).recoverCommand,
  },
  {
    name: 'precheck',
    summary: 'Run the failover pre-checks of a pair (read-only)',
    load: async () => (await import('./precheck-command.js')).precheckCommand,
  },
  {
    name: 'status',
    summary: 'Show the state of a failover',
    load: async () => (await import('./status-command.js')).statusCommand,
  },
  {
    name: 'watch',
    summary: 'Watch the live progress of a run until it ends, then print its report',
    load: async () => (await import('./watch-command.js')).watchCommand,
  },
  {
    name: 'approve',
    summary: 'Approve a run waiting at the approval gate',
    load: async () => (await import('./decision-commands.js')).approveCommand,
  },
  {
    name: 'reject',
    summary: 'Reject a run waiting at the approval gate',
    load: async () => (await import('./decision-commands.js')).rejectCommand,
  },
  {
    name: 'cancel',
    summary: 'Cancel a run (cleanly before its request; after it, stop waiting)',
    load: async () => (await import('./decision-commands.js')).cancelCommand,
  },
  {
    name: 'keys',
    summary: 'Generate or show the key that signs your decisions, and its line for the worker',
    load: async () => (await import('./keys-command.js')).keysCommand,
  },
  {
    name: 'report',
    summary: 'Print the report of a run as text, JSON or a self-contained HTML page',
    load: async () => (await import('./status-command.js')).reportCommand,
  },
  {
    name: 'runs',
    summary: 'List past operations (pair, kind, outcome, RTO, who decided) newest first',
    load: async () => (await import('./runs-command.js')).runsCommand,
  },
  {
    name: 'drill',
    summary: 'Run a DR drill now (precheck, switchover round trip, failover) or show one',
    load: async () => (await import('./drill-command.js')).drillCommand,
  },
  {
    name: 'schedule',
    summary: 'Create, list, pause, unpause, trigger or delete drill schedules',
    load: async () => (await import('./schedule-command.js')).scheduleCommand,
  },
  {
    name: 'readiness',
    summary: 'Show whether every inventory pair could fail over now, and its drills; schedule the check',
    load: async () => (await import('./readiness-command.js')).readinessCommand,
  },
  {
    name: 'worker',
    summary: 'Run the Temporal worker',
    load: async () => (await import('./worker-command.js')).workerCommand,
  },
  {
    name: 'intake',
    summary: 'Serve the HTTP intake for Alertmanager, Grafana, PagerDuty and automation',
    load: async () => (await import('./intake-command.js')).intakeCommand,
  },
  {
    name: 'simulator',
    summary: 'Run the DWS disaster-recovery API simulator (fault injection, control API under /_sim/)',
    load: async () => (await import('./simulator-command.js')).simulatorCommand,
  },
  {
    name: 'dev',
    summary: 'Run Temporal, the DWS simulator and a worker locally',
    load: async () => (await import('./dev-command.js')).devCommand,
  },
  {
    name: 'demo',
    summary: 'Fail over a simulated DR pair end to end, with injected faults',
    load: async () => (await import('./demo-command.js')).demoCommand,
  },
  {
    name: 'temporal-cli',
    summary: 'Find or build the Temporal CLI used by dev, demo and tests',
    load: async () => (await import('./temporal-cli-command.js')).temporalCliCommand,
  },
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

/**
 * An error as one line. The SDK's `ServiceError` only says which call failed (`Failed to signalWithStart Workflow`):
 * the server's words are in its cause.
 */
function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.name === 'ServiceError' && err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}

/** Runs one command line; resolves to the exit code. Errors are printed as one clear line. */
export async function runCli(argv: string[], ctx: CommandContext): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    println(ctx.stdout, usage());
    return name ? 0 : USAGE_EXIT_CODE;
  }
  if (name === '--version' || name === '-v') {
    println(ctx.stdout, (await import('../version.js')).TOOL_VERSION);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    const close = didYouMean(
      name,
      COMMANDS.map((c) => c.name)
    );
    println(ctx.stderr, `dws-failover: unknown command '${name}'.${close} See 'dws-failover --help' for the list.`);
    return USAGE_EXIT_CODE;
  }
  try {
    const command = await entry.load();
    return await command.run(rest, ctx);
  } catch (err) {
    if (err instanceof UsageError) {
      println(
        ctx.stderr,
        err.pointsToHelp ? err.message : `${err.message}\nRun \`dws-failover ${name} --help\` for usage.`
      );
      return USAGE_EXIT_CODE;
    }
    // Loaded here, not up front: the configuration module pulls in the DWS client and the inventory parser.
    const { ConfigError } = await import('../config.js');
    if (err instanceof ConfigError) {
      println(ctx.stderr, err.message);
      return USAGE_EXIT_CODE;
    }
    println(ctx.stderr, `dws-failover ${name}: ${errorText(err)}`);
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
  // The command has closed what it opened; exit once the output is flushed instead of when the last handle goes
  // (a gRPC channel winding down, a library's timer), so a script or a shell gets its prompt back with the report.
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise((flushed) => s.write('', flushed))));
  process.exit(code);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`dws-failover: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  });
}
