/**
 * `dws-failover simulator`: runs the DWS DR API simulator in the foreground until interrupted. The command line is
 * the CLI's; the simulator (src/simulator) takes typed options and knows nothing of it.
 */
import { createLogger } from '../logger';
import { formatDurationMs } from '../shared/duration';
import {
  createSimulator,
  DEFAULT_SIMULATOR_CONFIG,
  DEMO_AK,
  DEMO_IAM_USER,
  DEMO_SK,
  type Simulator,
} from '../simulator';
import { println, type Command, type CommandContext } from './command';
import { DEFAULT_COMMAND_PORT, parseSimulatorArgs } from './simulator-options';

const d = DEFAULT_SIMULATOR_CONFIG;
const HELP = `Usage: dws-failover simulator [options]

A stand-in for the GaussDB(DWS) disaster-recovery API (paths, field names, status strings, error bodies and
AK/SK signature checks as the real service), with fault injection and a control API under /_sim/.
Every option can also be set with an environment variable DWS_SIM_<OPTION>, e.g. DWS_SIM_FAILOVER_DURATION=5s;
a flag wins over its variable. Durations: 500ms, 5s, 2m, 1h30m; a bare number is seconds, as everywhere in
dws-failover.

Options:
  -h, --help                     this help

Server:
  --port N                       port; 0 picks a free one (default ${DEFAULT_COMMAND_PORT})
  --host ADDR                    address to bind (default 127.0.0.1)
  --seed demo|none               seed the demo pair dws-prod-dr (default demo)
  --project-id HEX32             project of the demo pair and of pairs added without one
  --region NAME                  region of the demo pair and of pairs added without one; requests without a
                                 /regions/{region} path prefix are served as this region (default cn-north-4)
  --request-log-limit N          requests kept in GET /_sim/requests (default 10000)
  --random-seed N                seed probabilistic faults and read-lag jitter so a run repeats exactly
                                 (default: unseeded)
  --verbose                      log every request

Authentication (AK/SK signatures SDK-HMAC-SHA256, and IAM tokens from POST /v3/auth/tokens):
  --ak AK --sk SK                accepted credentials (default: HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK, else
                                 the demo pair ${DEMO_AK} / ${DEMO_SK})
  --iam-user DOMAIN/NAME:PASS    IAM user allowed to get a token; repeatable (default: HUAWEICLOUD_IAM_DOMAIN,
                                 _USER and _PASSWORD, else ${DEMO_IAM_USER.domain}/${DEMO_IAM_USER.name}:${DEMO_IAM_USER.password})
  --no-auth                      accept every request without checking signatures or tokens

Timing (can be changed at run time with POST /_sim/config):
  --failover-duration D          failover until the roles swap (default ${formatDurationMs(d.failoverDurationMs)})
  --switchover-duration D        planned switchover (default ${formatDurationMs(d.switchoverDurationMs)})
  --recovery-duration D          recovery of the old primary after a failover (default ${formatDurationMs(d.recoveryDurationMs)})
  --start-duration D             start (default ${formatDurationMs(d.startDurationMs)})
  --pause-duration D             pause (default ${formatDurationMs(d.pauseDurationMs)})
  --delete-duration D            delete (default ${formatDurationMs(d.deleteDurationMs)})
  --read-after-write D           after a committed POST, detail and list show the old state this long
                                 (default ${formatDurationMs(d.readAfterWriteMs)}; 0 turns it off)
  --read-lag-detail D            per read path lag; detail and list default to --read-after-write,
  --read-lag-list D              cluster detail and show-progress to 0
  --read-lag-cluster D
  --read-lag-progress D
  --read-lag-jitter              each commit draws each path's lag uniformly from 0 to its maximum
  --commit-delay D               an accepted action answers 200 at once but changes the state only this
                                 much later; an identical POST meanwhile is accepted too
                                 (default ${formatDurationMs(d.commitDelayMs)})
  --replication-lag D            a cross-region pair's change reaches the other region's copy this much later
                                 (default ${formatDurationMs(d.replicationLagMs)}; 0 keeps the copies equal)
  --sync-interval D              DR sync cycle of every pair (default: each pair's dr_sync_period)
  --max-clock-skew D             accepted X-Sdk-Date distance (default ${formatDurationMs(d.maxClockSkewMs)})
  --token-ttl D                  IAM token lifetime (default ${formatDurationMs(d.tokenTtlMs)})

Behaviour where the public API record is silent (reference "Project decisions"):
  --switchover-status S          DR status while a switchover runs (default ${d.switchoverStatus})
  --failover-status S            DR status while a failover runs (default ${d.failoverStatus})
  --recovery-status S            DR status while a recovery runs (default ${d.recoveryStatus})
  --failover-allowed-statuses L  comma list of statuses that accept /failover (default ${d.failoverAllowedStatuses.join(',')})
  --wrong-state-status 400|403   HTTP status of the DWS.7023 refusal (default ${d.wrongStateHttpStatus})
  --fail-actions L               comma list of actions that are accepted and then fail
                                 (failover, switchover, recovery, start, pause, delete; default none)
  --no-auto-resume               a pair that turned abnormal in an outage stays abnormal when the cluster is
                                 restored (default: it resumes running)
  --hide-cluster-tasks           clusters show no ACTIVE_STANDY_SWITCHOVER / DR_RECOVERING task during an
                                 operation: only the role swap witnesses a switchover or failover

Regions: one port serves every region. <url>/regions/{region} is that region's DWS and IAM endpoint, <url> the
default region's. A project lives in the region of its clusters; a dr_type region pair is read through both.

Control API (no authentication; a "...Ms" field takes a number of milliseconds or a string with its unit, "2s"):
  GET /_sim/state · POST /_sim/disaster-recoveries · POST /_sim/clusters/{id}/outage · /restore {"delayMs"}
  POST /_sim/api-outage {"durationMs"} (the whole port refuses connections, then listens again)
  POST /_sim/regions/{region}/outage {"durationMs", "mode": "reset"|"unavailable"} · /restore (one region's
    endpoint is down: connections reset, or HTML 503; default until restored)
  GET|POST|DELETE /_sim/faults · GET|DELETE /_sim/requests?region= · POST /_sim/reset · GET|POST /_sim/config

Examples:
  dws-failover simulator --failover-duration 5s
  curl -s localhost:${DEFAULT_COMMAND_PORT}/_sim/state
  curl -s -X POST localhost:${DEFAULT_COMMAND_PORT}/_sim/faults -d '{"method":"POST","path":"/v2/*/disaster-recovery/*/failover","status":503,"count":2}'

Exit codes:
  0    stopped by SIGINT/SIGTERM
  1    error (e.g. the port is in use)
  2    usage (unknown flag, a malformed value)`;

/** `dws-failover simulator`. */
export const simulatorCommand: Command = {
  name: 'simulator',
  summary: 'Run the DWS disaster-recovery API simulator (fault injection, control API under /_sim/)',
  help: HELP,
  async run(argv: string[], ctx: CommandContext): Promise<number> {
    const parsed = parseSimulatorArgs(argv, ctx.env);
    if (parsed.help) {
      ctx.stdout.write(HELP);
      return 0;
    }
    const logger = createLogger({
      component: 'simulator',
      level: parsed.verbose ? 'info' : 'warn',
      stream: ctx.stderr,
    });
    const sim = await createSimulator({ ...parsed.options, logger });
    try {
      printBanner(sim, ctx);
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) return resolve();
        ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      println(ctx.stdout, 'Stopping the simulator.');
    } finally {
      await sim.close();
    }
    return 0;
  },
};

function printBanner(sim: Simulator, ctx: CommandContext): void {
  const out = (line = ''): void => println(ctx.stdout, line);
  const { config, disasterRecoveries, clusters } = sim.state();
  const name = (id: string): string => clusters.find((c) => c.id === id)?.name ?? '?';
  out(`DWS simulator listening on ${sim.url}  (state: ${sim.url}/_sim/state)`);
  out(
    `  timings      failover ${formatDurationMs(config.failoverDurationMs)}, switchover ${formatDurationMs(config.switchoverDurationMs)}, ` +
      `recovery ${formatDurationMs(config.recoveryDurationMs)}, read-after-write ${formatDurationMs(config.readAfterWriteMs)}; ` +
      `failover status '${config.failoverStatus}'`
  );
  if (disasterRecoveries.length === 0) out('  pairs        none (add one with POST /_sim/disaster-recoveries)');
  for (const dr of disasterRecoveries) {
    out(`  pair         ${dr.name}  ${dr.id}  ${dr.status}  project ${dr.projectId}`);
    out(`               primary ${name(dr.primaryClusterId)} ${dr.primaryClusterId}`);
    out(`               standby ${name(dr.standbyClusterId)} ${dr.standbyClusterId}`);
  }
  out();
  if (config.authentication === 'off') {
    out('Authentication is OFF (--no-auth): every request is served, no signature is checked.');
  } else {
    const demo = config.accessKeys.length === 1 && config.accessKeys[0] === DEMO_AK;
    out('Point the worker or the CLI at it:');
    out(`  export DWS_ENDPOINT=${sim.url}`);
    if (disasterRecoveries[0]) out(`  export HUAWEICLOUD_SDK_PROJECT_ID=${disasterRecoveries[0].projectId}`);
    out(
      demo
        ? `  export HUAWEICLOUD_SDK_AK=${DEMO_AK} HUAWEICLOUD_SDK_SK=${DEMO_SK}   # demo values, not secrets`
        : `  export HUAWEICLOUD_SDK_AK=${config.accessKeys.join('|')} HUAWEICLOUD_SDK_SK=<the SK you configured>`
    );
    if (config.iamUsers.length > 0)
      out(`  IAM tokens: POST ${sim.url}/v3/auth/tokens as ${config.iamUsers.join(', ')}`);
  }
  const first = disasterRecoveries[0];
  if (first) out(`Simulate an outage: curl -X POST ${sim.url}/_sim/clusters/${first.primaryClusterId}/outage`);
  out('Stop with Ctrl-C.');
}
