/**
 * Options of a simulator instance and their defaults. `dws-failover simulator` reads them from its flags and
 * `DWS_SIM_*` variables on the CLI side (src/cli/simulator-options.ts): the simulator itself knows no command line.
 */
import { createLogger, type Logger } from '../logger';
import { applyConfigPatch, DEFAULT_SIMULATOR_CONFIG, type SimulatorConfig } from './config';
import { SimInputError } from './input-error';
import { REGION_ID_PATTERN, REGION_ID_RULE } from './regions';
import { DEMO_PROJECT_ID, DEMO_REGION } from './seed';

/** An AK/SK pair the simulator accepts signatures from. */
export interface SimulatorCredential {
  ak: string;
  sk: string;
}

/** An IAM user that may get a token from `POST /v3/auth/tokens` (password method). */
export interface SimulatorIamUser {
  /** Account (domain) name. */
  domain: string;
  name: string;
  password: string;
}

/** Options of {@link createSimulator}; every run-time knob of {@link SimulatorConfig} may be given too. */
export interface SimulatorOptions extends Partial<SimulatorConfig> {
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /**
   * Accepted AK/SK pairs. With none (and no `iamUsers`) authentication is off: every request is served and
   * `signatureValid` is logged as null. @default []
   */
  credentials?: SimulatorCredential[];
  /** Users that may get IAM tokens. @default [] */
  iamUsers?: SimulatorIamUser[];
  /** `demo` seeds the demo pair of seed.ts (also on `reset()`). @default 'none' */
  seed?: 'demo' | 'none';
  /** Project of the demo pair and the default project of added pairs. @default DEMO_PROJECT_ID */
  projectId?: string;
  /**
   * Region of the demo pair and the default region of added pairs; requests without a `/regions/{region}` path
   * prefix are served as this region. @default 'cn-north-4'
   */
  region?: string;
  /** Requests kept in the request log (oldest dropped first). @default 10000 */
  requestLogLimit?: number;
  /**
   * Seed of the random source: probabilistic faults and read-lag jitter then repeat exactly, run after run (and
   * again after a reset). Ignored when `random` is given. @default unseeded (Math.random)
   */
  randomSeed?: number;
  /** Random source of probabilistic faults and read-lag jitter (tests pass a fixed sequence). @default Math.random */
  random?: () => number;
  /** Where notable events go (auth off, requests when verbose). @default warnings and errors to stderr */
  logger?: Logger;
}

/** {@link SimulatorOptions} with every default applied. */
export interface ResolvedSimulatorOptions {
  port: number;
  host: string;
  credentials: SimulatorCredential[];
  iamUsers: SimulatorIamUser[];
  seed: 'demo' | 'none';
  projectId: string;
  region: string;
  requestLogLimit: number;
  /** Used when `randomSeed` is null. */
  random: () => number;
  /** Null when none was given, or when an explicit `random` overrides it. */
  randomSeed: number | null;
  logger: Logger;
  config: SimulatorConfig;
}

/** Applies defaults and validates. @throws SimInputError naming the bad option. */
export function resolveSimulatorOptions(options: SimulatorOptions = {}): ResolvedSimulatorOptions {
  const {
    port,
    host,
    credentials,
    iamUsers,
    seed,
    projectId,
    region,
    requestLogLimit,
    random,
    randomSeed,
    logger,
    ...knobs
  } = options;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new SimInputError('port', `must be a whole number from 0 to 65535, got ${port}`);
  }
  if (projectId !== undefined && !/^[0-9a-f]{32}$/.test(projectId)) {
    throw new SimInputError('projectId', `must be a 32-character lowercase hex project id, got '${projectId}'`);
  }
  if (region !== undefined && !REGION_ID_PATTERN.test(region)) {
    throw new SimInputError('region', `${REGION_ID_RULE}, got '${region}'`);
  }
  if (randomSeed !== undefined && (!Number.isInteger(randomSeed) || randomSeed < 0 || randomSeed > 0xffffffff)) {
    throw new SimInputError('randomSeed', `must be a whole number from 0 to 4294967295, got ${randomSeed}`);
  }
  for (const [i, c] of (credentials ?? []).entries()) {
    if (!c.ak || !c.sk) throw new SimInputError(`credentials.${i}`, 'needs both ak and sk');
  }
  return {
    port: port ?? 0,
    host: host ?? '127.0.0.1',
    credentials: [...(credentials ?? [])],
    iamUsers: [...(iamUsers ?? [])],
    seed: seed ?? 'none',
    projectId: projectId ?? DEMO_PROJECT_ID,
    region: region ?? DEMO_REGION,
    requestLogLimit: requestLogLimit ?? 10_000,
    random: random ?? Math.random,
    randomSeed: random === undefined ? (randomSeed ?? null) : null,
    logger: logger ?? createLogger({ component: 'simulator', level: 'warn' }),
    config: applyConfigPatch(DEFAULT_SIMULATOR_CONFIG, knobs),
  };
}
