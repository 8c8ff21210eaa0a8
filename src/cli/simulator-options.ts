/**
 * How `dws-failover simulator` reads the simulator's options from its flags and `DWS_SIM_*` environment variables (a
 * flag wins over its variable). Durations use the project's one grammar (shared/duration.ts): a bare number is
 * seconds, `500ms` is milliseconds.
 */
import { parseDurationMs } from '../shared/duration';
import {
  applyConfigPatch,
  DEFAULT_SIMULATOR_CONFIG,
  DEMO_AK,
  DEMO_IAM_USER,
  DEMO_SK,
  resolveSimulatorOptions,
  SimInputError,
  type SimulatorConfig,
  type SimulatorIamUser,
  type SimulatorOptions,
} from '../simulator';
import { parseCommandArgs, UsageError } from './command';

/** Flags of `dws-failover simulator`; each also reads `DWS_SIM_<FLAG>` (e.g. `DWS_SIM_FAILOVER_DURATION`). */
const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  seed: { type: 'string' },
  'project-id': { type: 'string' },
  region: { type: 'string' },
  ak: { type: 'string' },
  sk: { type: 'string' },
  'no-auth': { type: 'boolean' },
  'iam-user': { type: 'string', multiple: true },
  'failover-duration': { type: 'string' },
  'switchover-duration': { type: 'string' },
  'recovery-duration': { type: 'string' },
  'start-duration': { type: 'string' },
  'pause-duration': { type: 'string' },
  'delete-duration': { type: 'string' },
  'read-after-write': { type: 'string' },
  'read-lag-detail': { type: 'string' },
  'read-lag-list': { type: 'string' },
  'read-lag-cluster': { type: 'string' },
  'read-lag-progress': { type: 'string' },
  'read-lag-jitter': { type: 'boolean' },
  'commit-delay': { type: 'string' },
  'replication-lag': { type: 'string' },
  'hide-cluster-tasks': { type: 'boolean' },
  'random-seed': { type: 'string' },
  'switchover-status': { type: 'string' },
  'sync-interval': { type: 'string' },
  'failover-status': { type: 'string' },
  'recovery-status': { type: 'string' },
  'failover-allowed-statuses': { type: 'string' },
  'wrong-state-status': { type: 'string' },
  'fail-actions': { type: 'string' },
  'no-auto-resume': { type: 'boolean' },
  'token-ttl': { type: 'string' },
  'max-clock-skew': { type: 'string' },
  'request-log-limit': { type: 'string' },
  verbose: { type: 'boolean' },
} as const;

/** Port of `dws-failover simulator` when neither `--port` nor `DWS_SIM_PORT` is given. */
export const DEFAULT_COMMAND_PORT = 8090;

/** Result of {@link parseSimulatorArgs}. */
export interface ParsedSimulatorArgs {
  help: boolean;
  verbose: boolean;
  options: SimulatorOptions;
}

/**
 * Parses `dws-failover simulator` flags and environment. Command defaults differ from the programmatic ones
 * where a person running it expects them to: port 8090, `--seed demo`, and the demo AK/SK and IAM user unless
 * `--ak/--sk` (or `HUAWEICLOUD_SDK_AK`/`HUAWEICLOUD_SDK_SK`) or `--no-auth` say otherwise.
 * @throws UsageError naming the flag (or variable) and what it accepts.
 */
export function parseSimulatorArgs(argv: string[], env: NodeJS.ProcessEnv): ParsedSimulatorArgs {
  const { values } = parseCommandArgs('simulator', argv, FLAGS);
  if (values.help === true) return { help: true, verbose: false, options: {} };
  const read = (flag: keyof typeof FLAGS): string | undefined => {
    const v = (values as Record<string, unknown>)[flag];
    if (typeof v === 'string') return v;
    const fromEnv = env[`DWS_SIM_${flag.toUpperCase().replace(/-/g, '_')}`];
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
  };
  const flagOn = (flag: keyof typeof FLAGS): boolean =>
    (values as Record<string, unknown>)[flag] === true || /^(1|true|yes|on)$/i.test(read(flag) ?? '');
  const name = (flag: string): string => `--${flag} (DWS_SIM_${flag.toUpperCase().replace(/-/g, '_')})`;
  const ms = (flag: keyof typeof FLAGS): number | undefined => {
    const raw = read(flag);
    if (raw === undefined) return undefined;
    const parsed = parseDurationMs(raw);
    if (parsed === undefined) {
      throw new UsageError(
        `simulator: ${name(flag)} must be a duration like 500ms, 5s or 2m (a bare number is seconds), got '${raw}'`
      );
    }
    return parsed;
  };
  const list = (flag: keyof typeof FLAGS): string[] | undefined =>
    read(flag)
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');

  const readLag = (): Record<string, number> | undefined => {
    const lags = Object.fromEntries(
      (['detail', 'list', 'cluster', 'progress'] as const).flatMap((path) => {
        const lag = ms(`read-lag-${path}`);
        return lag === undefined ? [] : [[path, lag]];
      })
    );
    return Object.keys(lags).length > 0 ? lags : undefined;
  };

  const options: SimulatorOptions = {};
  const port = read('port');
  options.port = port === undefined ? DEFAULT_COMMAND_PORT : Number(port);
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new UsageError(`simulator: ${name('port')} must be a whole number from 0 to 65535, got '${port}'`);
  }
  options.host = read('host') ?? '127.0.0.1';
  const seed = read('seed') ?? 'demo';
  if (seed !== 'demo' && seed !== 'none') throw new UsageError(`simulator: ${name('seed')} must be demo or none`);
  options.seed = seed;
  options.projectId = read('project-id');
  options.region = read('region');

  const noAuth = flagOn('no-auth');
  const ak = read('ak') ?? env.HUAWEICLOUD_SDK_AK;
  const sk = read('sk') ?? env.HUAWEICLOUD_SDK_SK;
  if ((ak === undefined) !== (sk === undefined)) {
    throw new UsageError('simulator: give both --ak and --sk (or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK)');
  }
  options.credentials = noAuth ? [] : [{ ak: ak ?? DEMO_AK, sk: sk ?? DEMO_SK }];
  options.iamUsers = noAuth ? [] : iamUsersFrom(values['iam-user'] ?? list('iam-user'), env);

  const knobs: Partial<Record<keyof SimulatorConfig, unknown>> = {
    failoverDurationMs: ms('failover-duration'),
    switchoverDurationMs: ms('switchover-duration'),
    recoveryDurationMs: ms('recovery-duration'),
    startDurationMs: ms('start-duration'),
    pauseDurationMs: ms('pause-duration'),
    deleteDurationMs: ms('delete-duration'),
    readAfterWriteMs: ms('read-after-write'),
    readLagMs: readLag(),
    readLagJitter: flagOn('read-lag-jitter') ? true : undefined,
    commitDelayMs: ms('commit-delay'),
    replicationLagMs: ms('replication-lag'),
    hideClusterTasks: flagOn('hide-cluster-tasks') ? true : undefined,
    switchoverStatus: read('switchover-status'),
    syncIntervalMs: ms('sync-interval'),
    failoverStatus: read('failover-status'),
    recoveryStatus: read('recovery-status'),
    failoverAllowedStatuses: list('failover-allowed-statuses'),
    wrongStateHttpStatus: read('wrong-state-status') === undefined ? undefined : Number(read('wrong-state-status')),
    failActions: list('fail-actions'),
    tokenTtlMs: ms('token-ttl'),
    maxClockSkewMs: ms('max-clock-skew'),
    resumeAfterRestore: flagOn('no-auto-resume') ? false : undefined,
  };
  const seedText = read('random-seed');
  if (seedText !== undefined) {
    options.randomSeed = Number(seedText);
    if (!/^\d+$/.test(seedText) || options.randomSeed > 0xffffffff) {
      throw new UsageError(`simulator: ${name('random-seed')} must be a whole number from 0 to 4294967295`);
    }
  }
  const limit = read('request-log-limit');
  if (limit !== undefined) {
    options.requestLogLimit = Number(limit);
    if (!Number.isInteger(options.requestLogLimit) || options.requestLogLimit < 1) {
      throw new UsageError(`simulator: ${name('request-log-limit')} must be a positive whole number`);
    }
  }
  const flagOf: Record<string, string> = {
    switchoverStatus: 'switchover-status',
    commitDelayMs: 'commit-delay',
    replicationLagMs: 'replication-lag',
    'readLagMs.detail': 'read-lag-detail',
    'readLagMs.list': 'read-lag-list',
    'readLagMs.cluster': 'read-lag-cluster',
    'readLagMs.progress': 'read-lag-progress',
    failoverStatus: 'failover-status',
    recoveryStatus: 'recovery-status',
    failoverAllowedStatuses: 'failover-allowed-statuses',
    wrongStateHttpStatus: 'wrong-state-status',
    failActions: 'fail-actions',
    syncIntervalMs: 'sync-interval',
    tokenTtlMs: 'token-ttl',
  };
  try {
    // Validated by the same rules as the control API; only the error is re-worded to name the flag.
    const config = applyConfigPatch(DEFAULT_SIMULATOR_CONFIG, knobs);
    Object.assign(options, pickDefined(knobs, config));
    resolveSimulatorOptions(options);
  } catch (err) {
    if (!(err instanceof SimInputError)) throw err;
    const key = err.field.split('.')[0] ?? err.field;
    const flag = flagOf[err.field] ?? flagOf[key] ?? key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new UsageError(`simulator: ${name(flag)} ${err.message.slice(err.field.length + 2)}`);
  }
  return { help: false, verbose: flagOn('verbose'), options };
}

/** {@link parseSimulatorArgs} without the command-only parts. @throws UsageError naming the flag. */
export function simulatorOptionsFromArgs(argv: string[], env: NodeJS.ProcessEnv): SimulatorOptions {
  return parseSimulatorArgs(argv, env).options;
}

function pickDefined(knobs: Partial<Record<keyof SimulatorConfig, unknown>>, config: SimulatorConfig) {
  const out: Partial<SimulatorConfig> = {};
  for (const key of Object.keys(knobs) as (keyof SimulatorConfig)[]) {
    if (knobs[key] !== undefined) (out as Record<string, unknown>)[key] = config[key];
  }
  return out;
}

/** `domain/name:password` entries, else the HUAWEICLOUD_IAM_* triple, else the demo user. */
function iamUsersFrom(entries: string[] | undefined, env: NodeJS.ProcessEnv): SimulatorIamUser[] {
  if (entries && entries.length > 0) {
    return entries.map((entry) => {
      const match = /^([^/]+)\/([^:]+):(.+)$/.exec(entry);
      if (!match) throw new UsageError(`simulator: --iam-user must look like domain/name:password, got '${entry}'`);
      return { domain: match[1] ?? '', name: match[2] ?? '', password: match[3] ?? '' };
    });
  }
  const { HUAWEICLOUD_IAM_DOMAIN: domain, HUAWEICLOUD_IAM_USER: name, HUAWEICLOUD_IAM_PASSWORD: password } = env;
  if (domain && name && password) return [{ domain, name, password }];
  return [{ ...DEMO_IAM_USER }];
}
