/**
 * The Temporal connection settings, read with `@temporalio/envconfig` (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TEMPORAL_TLS*, a TOML profile chosen by TEMPORAL_CONFIG_FILE and TEMPORAL_PROFILE), plus the checks
 * envconfig leaves out: it ignores a missing TEMPORAL_CONFIG_FILE, a client certificate without its key, and
 * TEMPORAL_TLS_DISABLE_HOST_VERIFICATION; it reads `TEMPORAL_TLS=yes` as "off" and an empty TEMPORAL_API_KEY as a key.
 */
import { accessSync, constants } from 'node:fs';
import { loadClientConfigProfile, toClientOptions } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';

/** Where the worker and the CLI connect when nothing says otherwise (DESIGN §6). */
export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';

export interface TemporalConnectionSettings {
  /**
   * Address, TLS, API key and gRPC metadata in the SDK's `TLSConfig` shape (certificates as bytes), which both the
   * worker's `NativeConnection` and the client's `Connection` take (see `clientConnectionOptions`).
   */
  connectionOptions: NativeConnectionOptions;
  address: string;
  namespace: string;
}

/** The connection variables envconfig reads whose empty value should mean "unset" (compose's `${VAR:-}`). */
const CONNECTION_VARIABLES = [
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS',
  'TEMPORAL_TLS_CLIENT_CERT_PATH',
  'TEMPORAL_TLS_CLIENT_CERT_DATA',
  'TEMPORAL_TLS_CLIENT_KEY_PATH',
  'TEMPORAL_TLS_CLIENT_KEY_DATA',
  'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  'TEMPORAL_TLS_SERVER_CA_CERT_DATA',
  'TEMPORAL_TLS_SERVER_NAME',
  'TEMPORAL_TLS_DISABLE_HOST_VERIFICATION',
  'TEMPORAL_PROFILE',
  'TEMPORAL_CONFIG_FILE',
];

const BOOLEANS = ['true', 'false', '1', '0'];
const FILE_PAIRS = ['CLIENT_CERT', 'CLIENT_KEY', 'SERVER_CA_CERT'].map((part) => ({
  path: `TEMPORAL_TLS_${part}_PATH`,
  data: `TEMPORAL_TLS_${part}_DATA`,
}));

function unreadable(file: string): string | null {
  try {
    accessSync(file, constants.R_OK);
    return null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  }
}

/** The variables' own mistakes, before envconfig sees them. */
function variableProblems(env: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const name of ['TEMPORAL_TLS', 'TEMPORAL_TLS_DISABLE_HOST_VERIFICATION']) {
    const v = env[name];
    if (v !== undefined && !BOOLEANS.includes(v)) problems.push(`${name}='${v}' must be true or false.`);
  }
  if (env.TEMPORAL_TLS_DISABLE_HOST_VERIFICATION === 'true' || env.TEMPORAL_TLS_DISABLE_HOST_VERIFICATION === '1') {
    problems.push(
      'TEMPORAL_TLS_DISABLE_HOST_VERIFICATION=true is not supported by the Temporal TypeScript SDK (the worker cannot ' +
        "skip the host-name check); set TEMPORAL_TLS_SERVER_NAME to a name in the server's certificate instead."
    );
  }
  for (const { path, data } of FILE_PAIRS) {
    if (env[path] !== undefined && env[data] !== undefined) {
      problems.push(`Both ${path} and ${data} are set; keep one (a file path or the PEM text).`);
    } else if (env[path] !== undefined) {
      const why = unreadable(env[path]);
      if (why) problems.push(`${path}='${env[path]}' cannot be read (${why}); mount the file there or fix the path.`);
    }
  }
  const file = env.TEMPORAL_CONFIG_FILE;
  const why = file === undefined ? null : unreadable(file);
  if (file !== undefined && why) {
    problems.push(`TEMPORAL_CONFIG_FILE='${file}' cannot be read (${why}); mount the profile file there or unset it.`);
  }
  return problems;
}

/** Where the profile came from, for messages. */
function profileSource(env: Record<string, string>): string {
  const name = env.TEMPORAL_PROFILE ?? 'default';
  return `profile '${name}' of ${env.TEMPORAL_CONFIG_FILE ?? 'the default temporal.toml'}`;
}

/**
 * Reads the Temporal connection from `env` (the profile file, then the variables over it, as envconfig does).
 * An API key alone turns TLS on with the system's roots (Temporal Cloud); `TEMPORAL_TLS=false` turns it off.
 * @returns the settings, and every problem found, each naming the variable or profile key and the fix.
 */
export function loadTemporalConnection(env: NodeJS.ProcessEnv): {
  settings: TemporalConnectionSettings;
  problems: string[];
} {
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if (CONNECTION_VARIABLES.includes(k) && v.trim() === '') continue;
    vars[k] = CONNECTION_VARIABLES.includes(k) && !k.endsWith('_DATA') ? v.trim() : v;
  }
  const problems = variableProblems(vars);
  let connectionOptions: NativeConnectionOptions = {};
  let namespace: string | undefined;
  if (problems.length === 0) {
    try {
      const profile = loadClientConfigProfile({ overrideEnvVars: vars });
      if ((profile.tls?.clientCert === undefined) !== (profile.tls?.clientKey === undefined)) {
        const missing = profile.tls?.clientCert === undefined ? 'CERT' : 'KEY';
        problems.push(
          `A client ${missing === 'KEY' ? 'certificate' : 'key'} is set without its ${missing === 'KEY' ? 'key' : 'certificate'}: ` +
            `set TEMPORAL_TLS_CLIENT_${missing}_PATH (or _DATA, or client_${missing.toLowerCase()}_path in the profile) too.`
        );
      }
      const loaded = toClientOptions(profile);
      connectionOptions = loaded.connectionOptions;
      namespace = loaded.namespace;
    } catch (err) {
      problems.push(
        `Temporal connection settings (TEMPORAL_* variables, ${profileSource(vars)}): ${(err as Error).message}`
      );
    }
  }
  const address = connectionOptions.address || DEFAULT_TEMPORAL_ADDRESS;
  return {
    settings: { connectionOptions: { ...connectionOptions, address }, address, namespace: namespace || 'default' },
    problems,
  };
}
