/**
 * The only reader of `process.env`. Builds a typed `Config` and reports every problem at once.
 */
import type { NativeConnectionOptions } from '@temporalio/worker';
import { DEFAULT_TASK_QUEUE } from './shared/constants';
import { WORKER_STARTUP_WAIT_MS } from './temporal/startup';
import { parseDurationMs } from './shared/duration';
import { PROJECT_ID_FORMAT } from './shared/ids';
import type { LogLevel } from './logger';
import { DEFAULT_POLICY, type OperationPolicy } from './shared/policy';
import { regionalEndpoint } from './dws/endpoint';
import { MIN_INTAKE_TOKEN_LENGTH, weakSecretProblem } from './intake/secret-strength';
import { resolveSecretFiles } from './secret-files';
import { loadTemporalConnection } from './temporal/connection-config';
import { formatProblem, loadInventoryFile, reachProblems, type DwsCredentials, type Inventory } from './inventory';
import { loadApproverKeys, type SigningKey } from './identity/keys';
import { loadIdentitySettings } from './intake/identity-config';
import type { OidcSettings } from './intake/oidc';
import type { NamedToken } from './intake/people-tokens';
import type { TrustedKey } from './shared/identity';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
/** The largest read-after-write lag the project plans for by default (README § The guarantee). */
export const DEFAULT_MAX_READ_LAG_SECONDS = 45;

export type { DwsCredentials } from './inventory';

export interface Config {
  temporal: {
    connectionOptions: NativeConnectionOptions;
    address: string;
    namespace: string;
    taskQueue: string;
    /** `TEMPORAL_UI_URL`: the Temporal Web UI's base URL, for links to runs in reports; null when unset. */
    uiUrl: string | null;
  };
  dws: {
    /**
     * Base URL of the DWS API; null when neither DWS_ENDPOINT nor DWS_REGION is set. The endpoint of every project
     * the inventory does not list under `projects`.
     */
    endpoint: string | null;
    region: string | null;
    defaultProjectId: string | null;
    /** The environment's credentials: those of every project without an inventory `account`. */
    credentials: DwsCredentials | null;
    /** Per-request timeout. @default 15000 */
    timeoutMs: number;
    /** DWS requests per second the account allows, all workers together; 0 = unlimited. @default 10 */
    rateLimitPerSecond: number;
    /** Workers sharing that limit (`DWS_FAILOVER_WORKERS`); each takes an equal part. @default 1 */
    workersSharingLimit: number;
    /**
     * Runs of one project in flight on a worker from which their reads are served by shared project-wide list
     * calls (`DWS_FAILOVER_SHARED_READS_FROM`); 0 = never. @default 4
     */
    sharedReadsFrom: number;
  };
  policy: OperationPolicy;
  inventoryPath: string | null;
  /**
   * The validated inventory of `DWS_FAILOVER_INVENTORY`, its accounts' variables read from the environment; null when
   * the variable is not set.
   */
  inventory: Inventory | null;
  /**
   * `DWS_FAILOVER_APPROVER_KEYS`: the keys whose signatures the worker's runs accept for decisions (people, the
   * intake, break-glass). Without it every decision is refused (docs/decisions.md).
   */
  approverKeys: { path: string | null; keys: TrustedKey[] };
  /** `DWS_FAILOVER_LOG_FORMAT` (text|json, default text) and `DWS_FAILOVER_LOG_LEVEL` (default info). */
  log: { format: 'text' | 'json'; level: LogLevel };
  intake: {
    port: number;
    token: string | null;
    hmacSecret: string | null;
    /** The PagerDuty v3 webhook subscription's signing secret (`DWS_FAILOVER_PAGERDUTY_SECRET`). */
    pagerdutySecret: string | null;
    /** How far an HMAC timestamp may be from now (`DWS_FAILOVER_INTAKE_HMAC_WINDOW`). @default 300 */
    hmacWindowSeconds: number;
    /** Largest request body (`DWS_FAILOVER_INTAKE_MAX_BODY`, bytes); larger ones get 413. @default 1048576 */
    maxBodyBytes: number;
    /** Alerts per delivery (`DWS_FAILOVER_INTAKE_MAX_ALERTS`); more get 413. @default 2000 */
    maxAlerts: number;
    /** Labels per alert (`DWS_FAILOVER_INTAKE_MAX_LABELS`); more get 422. @default 128 */
    maxLabels: number;
    /** UTF-8 bytes of one label name or value (`DWS_FAILOVER_INTAKE_MAX_LABEL_BYTES`); more get 422. @default 2048 */
    maxLabelBytes: number;
    /** DR pairs one delivery may name (`DWS_FAILOVER_INTAKE_MAX_PAIRS`, 1–5000). @default 1000 */
    maxPairs: number;
    /** `DWS_FAILOVER_OIDC_*`: people decide with their identity provider's tokens; null when no issuer is set. */
    oidc: OidcSettings | null;
    /** `DWS_FAILOVER_INTAKE_PEOPLE_TOKENS`: named tokens (their SHA-256) for people and automation; null when unset. */
    peopleTokens: { path: string; tokens: NamedToken[] } | null;
    /**
     * `DWS_FAILOVER_INTAKE_SIGNING_KEY` (or `_FILE`): the key the intake signs verified decisions and resolved-alert
     * cancels with; workers trust it as a `service` key. null: decisions through the intake answer 503.
     */
    signingKey: SigningKey | null;
  };
  worker: {
    /** How long running activities may finish on SIGTERM before they are cancelled. @default 30 */
    shutdownGraceSeconds: number;
    /**
     * Concurrent activities per worker. A region-wide outage means a thousand pairs, each following its operation in
     * one long activity that mostly sleeps; the slots must not run out before the pre-checks get theirs. @default 2000
     */
    maxConcurrentActivities: number;
    /** A prebuilt workflow bundle (faster start, what production runs); null = bundle at start. */
    workflowBundlePath: string | null;
    /**
     * How long the worker waits at start for Temporal to serve, its namespace to exist and its search attributes to
     * be accepted (`DWS_FAILOVER_STARTUP_WAIT`), logging what it waits for. @default 60
     */
    startupWaitSeconds: number;
    /**
     * The worker's HTTP endpoint (`/healthz`, `/readyz`, `/metrics`): `DWS_FAILOVER_WORKER_HTTP_HOST` (default
     * 127.0.0.1) and `DWS_FAILOVER_WORKER_HTTP_PORT` (default 9464; 0 = a free port, logged; `off` = none).
     */
    http: { host: string; port: number } | null;
  };
  /**
   * OpenTelemetry tracing through the Temporal interceptors; null (off) unless `OTEL_TRACES_EXPORTER=otlp` or an
   * OTLP endpoint variable is set, and never with `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`.
   */
  tracing: { url: string; serviceName: string } | null;
}

/** Thrown when configuration is invalid; `problems` lists every one, each naming the variable and the fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export interface LoadConfigOptions {
  /**
   * The DWS endpoint and credentials are required (worker, precheck, readiness): DWS_REGION or DWS_ENDPOINT and the
   * environment's credentials, unless the inventory lists projects; then every project of its pairs needs an endpoint
   * (listed, or the environment's) and credentials (its account's, or the environment's), and every account of a
   * listed project its variables. Without it, an account's unset variables are no problem: the process never uses them.
   */
  requireDws?: boolean;
  /**
   * Read and validate the inventory. Commands that only talk to a running workflow (status, watch, approve, reject,
   * cancel, report) skip it, so a broken inventory file cannot block them during an incident. @default true
   */
  inventory?: boolean;
}

/**
 * Reads the configuration from `env`. Every secret may come from a file instead: `<VAR>_FILE` (see `SECRET_VARIABLES`).
 * @throws ConfigError listing every invalid or missing variable.
 */
export function loadConfig(givenEnv: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}): Config {
  const secrets = resolveSecretFiles(givenEnv);
  const env = secrets.env;
  const problems: string[] = [...secrets.problems];
  const str = (name: string): string | null => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? null : v.trim();
  };
  const seconds = (name: string, fallback: number, min = 0): number => {
    const v = str(name);
    if (v === null) return fallback;
    const ms = parseDurationMs(v);
    if (ms === undefined || ms / 1000 < min) {
      problems.push(`${name}='${v}' is not a duration ≥ ${min}s; use e.g. 900, 90s, 15m or 1h.`);
      return fallback;
    }
    return ms / 1000;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const v = str(name);
    if (v === null) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}='${v}' must be a whole number from ${min} to ${max}.`);
      return fallback;
    }
    return n;
  };

  // Temporal: the @temporalio/envconfig conventions (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS…).
  const temporal = loadTemporalConnection(env);
  problems.push(...temporal.problems);
  const { connectionOptions, address, namespace } = temporal.settings;
  let uiUrl = str('TEMPORAL_UI_URL');
  if (uiUrl !== null) {
    const protocol = URL.canParse(uiUrl) ? new URL(uiUrl).protocol : null;
    if (protocol !== 'https:' && protocol !== 'http:') {
      problems.push(`TEMPORAL_UI_URL='${uiUrl}' must be the Web UI's http(s) base URL, e.g. http://127.0.0.1:8233.`);
    }
    uiUrl = uiUrl.replace(/\/+$/, '');
  }

  // DWS endpoint and credentials.
  const region = str('DWS_REGION');
  let endpoint = str('DWS_ENDPOINT');
  if (endpoint !== null) {
    try {
      const u = new URL(endpoint);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('not http(s)');
      endpoint = endpoint.replace(/\/+$/, '');
    } catch {
      problems.push(
        `DWS_ENDPOINT='${endpoint}' is not an http(s) URL; use e.g. https://dws.cn-north-4.myhuaweicloud.com.`
      );
    }
  } else if (region !== null) {
    try {
      endpoint = regionalEndpoint(region);
    } catch {
      problems.push(`DWS_REGION='${region}' does not look like a region id such as cn-north-4.`);
    }
  }

  const ak = str('HUAWEICLOUD_SDK_AK');
  const sk = str('HUAWEICLOUD_SDK_SK');
  const token = str('HUAWEICLOUD_SDK_SECURITY_TOKEN');
  const iamUser = str('HUAWEICLOUD_IAM_USER');
  const iamPassword = str('HUAWEICLOUD_IAM_PASSWORD');
  const iamDomain = str('HUAWEICLOUD_IAM_DOMAIN');
  let credentials: DwsCredentials | null = null;
  if (ak !== null || sk !== null) {
    if (ak === null) problems.push('HUAWEICLOUD_SDK_SK is set but HUAWEICLOUD_SDK_AK is missing; set both.');
    if (sk === null) problems.push('HUAWEICLOUD_SDK_AK is set but HUAWEICLOUD_SDK_SK is missing; set both.');
    if (ak !== null && sk !== null) credentials = { kind: 'aksk', ak, sk, ...(token ? { securityToken: token } : {}) };
  } else if (iamUser !== null || iamPassword !== null) {
    const iamEndpoint =
      str('HUAWEICLOUD_IAM_ENDPOINT') ??
      (region ? `https://iam.${region}.myhuaweicloud.com` : 'https://iam.myhuaweicloud.com');
    if (iamUser === null) problems.push('HUAWEICLOUD_IAM_PASSWORD is set but HUAWEICLOUD_IAM_USER is missing.');
    if (iamPassword === null) problems.push('HUAWEICLOUD_IAM_USER is set but HUAWEICLOUD_IAM_PASSWORD is missing.');
    if (iamDomain === null) problems.push('IAM-token auth needs HUAWEICLOUD_IAM_DOMAIN (the account name).');
    if (iamUser && iamPassword && iamDomain) {
      credentials = { kind: 'iam', iamEndpoint, domain: iamDomain, user: iamUser, password: iamPassword };
    }
  }
  const defaultProjectId = str('HUAWEICLOUD_SDK_PROJECT_ID');
  if (defaultProjectId !== null && !PROJECT_ID_FORMAT.test(defaultProjectId)) {
    problems.push(`HUAWEICLOUD_SDK_PROJECT_ID='${defaultProjectId}' must be the 32-hex IAM project id of the region.`);
  }
  const inventoryPath = str('DWS_FAILOVER_INVENTORY');
  let inventory: Inventory | null = null;
  if (inventoryPath !== null && options.inventory !== false) {
    const loaded = loadInventoryFile(inventoryPath, env);
    inventory = loaded.inventory;
    for (const p of loaded.problems) problems.push(`DWS_FAILOVER_INVENTORY (${inventoryPath}): ${p}`);
  }
  // An inventory that lists projects says where its pairs are and with which credentials; without one, every pair
  // uses the environment's endpoint and credentials, which a process that calls DWS then needs.
  const inventoryRoutes = inventory !== null && inventory.projects.size > 0;
  if (inventory !== null) {
    const envEndpointBroken = problems.some((p) => /^DWS_(ENDPOINT|REGION)=/.test(p));
    const envCredentialsBroken = problems.some((p) => /HUAWEICLOUD_(SDK_(AK|SK)|IAM_)/.test(p));
    const reach = reachProblems(
      inventory,
      {
        endpoint: envEndpointBroken ? null : endpoint,
        endpointSet: endpoint !== null || region !== null,
        credentials: credentials !== null || envCredentialsBroken,
      },
      (options.requireDws ?? false) && inventoryRoutes
    );
    for (const p of reach) problems.push(`DWS_FAILOVER_INVENTORY (${inventoryPath}): ${formatProblem(p, 'inventory')}`);
  }
  if (options.requireDws && !inventoryRoutes) {
    if (endpoint === null && region === null && !problems.some((p) => p.startsWith('DWS_ENDPOINT'))) {
      problems.push('Set DWS_REGION (e.g. cn-north-4) or DWS_ENDPOINT (the DWS API base URL).');
    }
    if (credentials === null && !problems.some((p) => /HUAWEICLOUD_(SDK_(AK|SK)|IAM_)/.test(p))) {
      problems.push(
        'No DWS credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (plus HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary ones), or HUAWEICLOUD_IAM_USER/PASSWORD/DOMAIN.'
      );
    }
  }

  const logFormat = str('DWS_FAILOVER_LOG_FORMAT') ?? 'text';
  if (logFormat !== 'text' && logFormat !== 'json')
    problems.push(`DWS_FAILOVER_LOG_FORMAT='${logFormat}' must be 'text' or 'json'.`);
  const logLevel = str('DWS_FAILOVER_LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`DWS_FAILOVER_LOG_LEVEL='${logLevel}' must be one of ${LOG_LEVELS.join(', ')}.`);
  }

  const approval = str('DWS_FAILOVER_APPROVAL') ?? DEFAULT_POLICY.approval;
  if (approval !== 'auto' && approval !== 'always') {
    problems.push(`DWS_FAILOVER_APPROVAL='${approval}' must be 'auto' or 'always'.`);
  }
  const intakeSecret = (name: string, minLength: number): string | null => {
    const v = str(name);
    const weak = v === null ? null : weakSecretProblem(name, v, minLength);
    if (weak !== null) problems.push(weak);
    return v;
  };

  const requestTimeoutSeconds = seconds('DWS_REQUEST_TIMEOUT', 15, 1);
  const policy: OperationPolicy = {
    ...DEFAULT_POLICY,
    approval: approval === 'always' ? 'always' : 'auto',
    dataLossBudgetSeconds: seconds('DWS_FAILOVER_DATA_LOSS_BUDGET', DEFAULT_POLICY.dataLossBudgetSeconds),
    approvalTimeoutSeconds: seconds('DWS_FAILOVER_APPROVAL_TIMEOUT', DEFAULT_POLICY.approvalTimeoutSeconds, 1),
    completionTimeoutSeconds: seconds('DWS_FAILOVER_COMPLETION_TIMEOUT', DEFAULT_POLICY.completionTimeoutSeconds, 1),
    pollIntervalSeconds: seconds('DWS_FAILOVER_POLL_INTERVAL', DEFAULT_POLICY.pollIntervalSeconds, 0.1),
    cooldownSeconds: seconds('DWS_FAILOVER_COOLDOWN', DEFAULT_POLICY.cooldownSeconds),
    // The resend fence is derived: a request may be committed up to a request timeout after it left, and reads
    // may lag that commit by up to the planned lag (README § The guarantee).
    readAfterWriteWindowSeconds: seconds(
      'DWS_FAILOVER_READ_AFTER_WRITE_WINDOW',
      requestTimeoutSeconds + seconds('DWS_FAILOVER_MAX_READ_LAG', DEFAULT_MAX_READ_LAG_SECONDS)
    ),
    readOutageAllowanceSeconds: seconds(
      'DWS_FAILOVER_READ_OUTAGE_ALLOWANCE',
      DEFAULT_POLICY.readOutageAllowanceSeconds,
      1
    ),
    requestMaxAttempts: integer('DWS_FAILOVER_REQUEST_MAX_ATTEMPTS', DEFAULT_POLICY.requestMaxAttempts, 1, 100),
  };

  const approverKeysPath = str('DWS_FAILOVER_APPROVER_KEYS');
  const approverKeys = { path: approverKeysPath, keys: [] as TrustedKey[] };
  if (approverKeysPath !== null) {
    const loaded = loadApproverKeys(approverKeysPath);
    approverKeys.keys = loaded.keys;
    for (const p of loaded.problems) problems.push(`DWS_FAILOVER_APPROVER_KEYS: ${p}`);
  }

  const workerHttpPort = str('DWS_FAILOVER_WORKER_HTTP_PORT');
  const workerHttp =
    workerHttpPort === 'off'
      ? null
      : {
          host: str('DWS_FAILOVER_WORKER_HTTP_HOST') ?? '127.0.0.1',
          port: integer('DWS_FAILOVER_WORKER_HTTP_PORT', 9464, 0, 65535),
        };
  const tracing = tracingConfig(str, problems);
  const intakeToken = intakeSecret('DWS_FAILOVER_INTAKE_TOKEN', MIN_INTAKE_TOKEN_LENGTH);
  const { problems: identityProblems, ...identity } = loadIdentitySettings(str, seconds, intakeToken);
  problems.push(...identityProblems);

  const config: Config = {
    temporal: {
      connectionOptions,
      address,
      namespace,
      taskQueue: str('DWS_FAILOVER_TASK_QUEUE') ?? DEFAULT_TASK_QUEUE,
      uiUrl,
    },
    dws: {
      endpoint,
      region,
      defaultProjectId,
      credentials,
      timeoutMs: requestTimeoutSeconds * 1000,
      rateLimitPerSecond: integer('DWS_RATE_LIMIT', 10, 0, 10_000),
      workersSharingLimit: integer('DWS_FAILOVER_WORKERS', 1, 1, 1_000),
      sharedReadsFrom: integer('DWS_FAILOVER_SHARED_READS_FROM', 4, 0, 1_000_000),
    },
    policy,
    inventoryPath,
    inventory,
    approverKeys,
    log: {
      format: logFormat === 'json' ? 'json' : 'text',
      level: (LOG_LEVELS as readonly string[]).includes(logLevel) ? (logLevel as LogLevel) : 'info',
    },
    intake: {
      port: integer('DWS_FAILOVER_INTAKE_PORT', 8080, 0, 65535),
      token: intakeToken,
      hmacSecret: intakeSecret('DWS_FAILOVER_INTAKE_HMAC_SECRET', 16),
      pagerdutySecret: str('DWS_FAILOVER_PAGERDUTY_SECRET'),
      hmacWindowSeconds: seconds('DWS_FAILOVER_INTAKE_HMAC_WINDOW', 300, 1),
      maxBodyBytes: integer('DWS_FAILOVER_INTAKE_MAX_BODY', 1_048_576, 1024, 64 * 1_048_576),
      maxAlerts: integer('DWS_FAILOVER_INTAKE_MAX_ALERTS', 2000, 1, 100_000),
      maxLabels: integer('DWS_FAILOVER_INTAKE_MAX_LABELS', 128, 1, 10_000),
      maxLabelBytes: integer('DWS_FAILOVER_INTAKE_MAX_LABEL_BYTES', 2048, 64, 1_048_576),
      maxPairs: integer('DWS_FAILOVER_INTAKE_MAX_PAIRS', 1000, 1, 5000),
      ...identity,
    },
    worker: {
      shutdownGraceSeconds: seconds('DWS_FAILOVER_SHUTDOWN_GRACE', 30),
      maxConcurrentActivities: integer('DWS_FAILOVER_MAX_CONCURRENT_ACTIVITIES', 2000, 1, 100_000),
      workflowBundlePath: str('DWS_FAILOVER_WORKFLOW_BUNDLE'),
      startupWaitSeconds: seconds('DWS_FAILOVER_STARTUP_WAIT', WORKER_STARTUP_WAIT_MS / 1000),
      http: workerHttp,
    },
    tracing,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * The standard OpenTelemetry variables, as far as this project uses them: OTEL_SDK_DISABLED, OTEL_TRACES_EXPORTER
 * (otlp or none), OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (the full URL) or OTEL_EXPORTER_OTLP_ENDPOINT (+ /v1/traces),
 * OTEL_SERVICE_NAME (default dws-failover-worker). The exporter reads OTEL_EXPORTER_OTLP_HEADERS itself.
 */
function tracingConfig(str: (name: string) => string | null, problems: string[]): Config['tracing'] {
  if (str('OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return null;
  const exporter = str('OTEL_TRACES_EXPORTER');
  if (exporter !== null && exporter !== 'otlp' && exporter !== 'none') {
    problems.push(`OTEL_TRACES_EXPORTER='${exporter}' is not supported; use otlp (OTLP over HTTP) or none.`);
    return null;
  }
  const tracesEndpoint = str('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const baseEndpoint = str('OTEL_EXPORTER_OTLP_ENDPOINT');
  if (exporter === 'none' || (exporter === null && tracesEndpoint === null && baseEndpoint === null)) return null;
  const url = tracesEndpoint ?? `${(baseEndpoint ?? 'http://localhost:4318').replace(/\/+$/, '')}/v1/traces`;
  try {
    if (!/^https?:$/.test(new URL(url).protocol)) throw new Error('not http(s)');
  } catch {
    const name = tracesEndpoint !== null ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
    problems.push(`${name}='${url}' is not an http(s) URL; use e.g. http://otel-collector:4318.`);
    return null;
  }
  return { url, serviceName: str('OTEL_SERVICE_NAME') ?? 'dws-failover-worker' };
}
