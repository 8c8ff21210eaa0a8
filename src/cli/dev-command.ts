/**
 * `dws-failover dev`: the local stack for trying things by hand, until Ctrl-C.
 */
import path from 'node:path';
import { operatorKey } from '../devstack/operator-key';
import { startDevStack } from '../devstack/stack';
import { createLogger } from '../logger';
import { installSdkLogger } from '../temporal/sdk-logger';
import { DEMO_DR_ID, DEMO_PRIMARY_CLUSTER_ID, DEMO_PROJECT_ID } from '../simulator/seed';
import { intFlag, parseCommandArgs, println, type Command } from './command';

/**
 * This installation's CLI, by absolute path so the line works from any shell (`npx dws-failover` outside the
 * project would fetch whatever package of that name the npm registry has).
 */
const CLI = `node ${path.join(__dirname, '..', '..', 'bin', 'dws-failover.js')}`;

const HELP = `Usage: dws-failover dev [--temporal-port N] [--ui-port N] [--simulator-port N] [--db-file F]

Starts an embedded Temporal dev server (with the Web UI), the DWS simulator seeded with a demo pair,
a worker and the alert intake, then prints the addresses and a command to try. Runs until Ctrl-C, then stops everything.

The worker trusts your signing key for decisions, the one dws-failover approve, reject and cancel sign
with: DWS_FAILOVER_SIGNING_KEY, DWS_FAILOVER_SIGNING_KEY_FILE or ~/.config/dws-failover/signing-key.pem
(under $XDG_CONFIG_HOME when set). Without one, dev generates it there, named after $USER, and says so.

Options:
  --temporal-port N    Temporal gRPC port (default 7233)
  --ui-port N          Temporal Web UI port (default 8233; 0 = no UI)
  --simulator-port N   DWS simulator port (default 8090)
  --intake-port N      alert intake port (default 8080); its bearer token is printed
  --db-file F          Keep Temporal's state in this SQLite file across restarts (default: in memory)
  -h, --help           This help

Exit codes:
  0    stopped by Ctrl-C, everything stopped
  1    error (e.g. a port in use, the Temporal CLI not found or built, an unusable signing key)
  2    usage (unknown flag, bad port)`;

export const devCommand: Command = {
  name: 'dev',
  summary: 'Run Temporal, the DWS simulator and a worker locally',
  help: HELP,
  async run(argv, ctx) {
    const { values } = parseCommandArgs('dev', argv, {
      'temporal-port': { type: 'string' },
      'ui-port': { type: 'string' },
      'simulator-port': { type: 'string' },
      'intake-port': { type: 'string' },
      'db-file': { type: 'string' },
    });
    if (values.help) return (println(ctx.stdout, HELP), 0);
    installSdkLogger(createLogger({ component: 'worker' }), 'WARN');
    const operator = operatorKey(ctx.env);
    if (operator.generated)
      println(
        ctx.stderr,
        `Generated your signing key at ${operator.source} (name ${operator.key.name}, mode 0600): dws-failover approve, reject and cancel sign with it.`
      );
    const stack = await startDevStack({
      approvers: [operator.key],
      temporalPort: intFlag('dev', 'temporal-port', values['temporal-port'], 7233, 1, 65535),
      uiPort: intFlag('dev', 'ui-port', values['ui-port'], 8233, 0, 65535),
      simulatorPort: intFlag('dev', 'simulator-port', values['simulator-port'], 8090, 0, 65535),
      intakePort: intFlag('dev', 'intake-port', values['intake-port'], 8080, 0, 65535),
      ...(values['db-file'] ? { dbFilename: values['db-file'] } : {}),
      env: ctx.env,
      log: (line) => println(ctx.stderr, line),
    });
    try {
      const out = (line = ''): void => println(ctx.stdout, line);
      out();
      out('dws-failover dev stack is running:');
      out(`  Temporal        ${stack.devServer.address}`);
      if (stack.devServer.uiUrl) out(`  Temporal Web UI ${stack.devServer.uiUrl}`);
      out(`  DWS simulator   ${stack.simulator.url}   (state: ${stack.simulator.url}/_sim/state)`);
      out(`  Worker          task queue ${stack.config.temporal.taskQueue}`);
      out(`  Decisions       signed by ${operator.key.name} (key from ${operator.source})`);
      if (stack.intake)
        out(`  Alert intake    ${stack.intake.url}   (bearer token: see DWS_FAILOVER_INTAKE_TOKEN below)`);
      out();
      out('In another shell:');
      for (const [k, v] of Object.entries(stack.env)) out(`  export ${k}=${v}`);
      out(`  curl -X POST ${stack.simulator.url}/_sim/clusters/${DEMO_PRIMARY_CLUSTER_ID}/outage`);
      out(`  ${CLI} failover --project ${DEMO_PROJECT_ID} --dr ${DEMO_DR_ID} --reason "trying it" --wait`);
      out(
        `  ${CLI} approve --pair ${DEMO_PROJECT_ID}/${DEMO_DR_ID} --comment "looked at it"   (if it waits for approval)`
      );
      out();
      out('Ctrl-C stops everything.');
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
      println(ctx.stderr, 'Stopping the dev stack…');
    } finally {
      await stack.stop();
    }
    return 0;
  },
};
