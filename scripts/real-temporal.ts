/**
 * Starts a self-hosted Temporal server v1.29.1 on a throwaway PostgreSQL (SQL visibility), as the `real-server` test
 * profile does, prints its address and keeps it up until Ctrl-C: `npm run real-temporal -- [--port N]`.
 */
import { parseArgs } from 'node:util';
import { startRealServer } from '../src/devstack/real-server';

const HELP = `Usage: npm run real-temporal -- [--port N]

Builds (first run only, about 2–3 minutes) and starts a Temporal server v1.29.1 on PostgreSQL with SQL visibility:
a fresh PostgreSQL cluster in a temp folder, the schemas through temporal-sql-tool, the server, the namespace
\`default\` and the project's search attributes. Prints the address, then runs until Ctrl-C and removes everything.

  --port N   frontend gRPC port, below 32768 (default: a free one)
  --help     this text

Environment: TEMPORAL_SERVER_PATH, TEMPORAL_SQL_TOOL_PATH and TEMPORAL_CLI_PATH use prebuilt binaries;
POSTGRES_BIN_DIR points at PostgreSQL's initdb/postgres; DWS_FAILOVER_CACHE_DIR moves the build cache.`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 32_767)
    throw new Error(`--port must be 1–32767, not ${values.port}`);
  const server = await startRealServer({ port, log: (line) => console.error(`[real-temporal] ${line}`) });
  console.log(`TEMPORAL_ADDRESS=${server.address}`);
  console.error(
    `[real-temporal] server log: ${server.logPath}; PostgreSQL on ${server.postgres.host}:${server.postgres.port}`
  );
  console.error('[real-temporal] Ctrl-C stops the server and PostgreSQL and removes their files.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.stop();
}

main().catch((err: unknown) => {
  console.error(`real-temporal: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
