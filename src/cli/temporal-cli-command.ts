/**
 * `dws-failover temporal-cli`: find or build the Temporal CLI the dev stack and tests use, and print its path.
 */
import { ensureTemporalCli, temporalCliVersion } from '../devstack/temporal-cli';
import { parseCommandArgs, println, type Command } from './command';

const HELP = `Usage: dws-failover temporal-cli [--quiet] [--json]

Finds the Temporal CLI (TEMPORAL_CLI_PATH, \`temporal\` on PATH, or the cache in
~/.cache/dws-failover), or builds v1.5.1 with \`go install\` into that cache. The first build takes
several minutes. Without Go (or with DWS_FAILOVER_TEMPORAL_CLI_DOWNLOAD=1) it downloads the v1.5.1
release archive from GitHub (or DWS_FAILOVER_TEMPORAL_CLI_BASE_URL) into the cache, after checking
its SHA-256 against the release's checksums.txt. Prints the path.

Options:
  --quiet      Print the path only when it had to be built
  --json       Print {path, source, version, seconds} as JSON
  -h, --help   This help

Exit codes:
  0    found or built; the path is printed
  1    error (e.g. not found and no Go to build it, the build failed)
  2    usage (unknown flag)`;

export const temporalCliCommand: Command = {
  name: 'temporal-cli',
  summary: 'Find or build the Temporal CLI used by dev, demo and tests',
  help: HELP,
  async run(argv, ctx) {
    const { values } = parseCommandArgs('temporal-cli', argv, {
      quiet: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (values.help) return (println(ctx.stdout, HELP), 0);
    const started = Date.now();
    const found = await ensureTemporalCli((line) => println(ctx.stderr, line), ctx.env);
    const seconds = Math.round((Date.now() - started) / 1000);
    if (values.json)
      println(ctx.stdout, JSON.stringify({ ...found, version: temporalCliVersion(found.path), seconds }));
    else if (!values.quiet || found.source === 'go install' || found.source === 'download')
      println(ctx.stdout, `${found.path} (${found.source}; ${temporalCliVersion(found.path)})`);
    return 0;
  },
};
