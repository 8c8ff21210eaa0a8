/**
 * Finds or builds the Temporal CLI (which contains the dev server) so that tests, `dev` and `demo` run on a
 * fresh machine with no hand step. Order: TEMPORAL_CLI_PATH, `temporal` on PATH, the cache outside the repo,
 * else `go install` of v1.5.1 into that cache (later versions cannot be go-installed), else — without Go, or with
 * DWS_FAILOVER_TEMPORAL_CLI_DOWNLOAD=1 — the v1.5.1 release archive, checked against its published SHA-256.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { goInstall, isExecutable, onPath } from './go-install';
import { downloadTemporalCli } from './temporal-cli-download';

export const TEMPORAL_CLI_VERSION = '1.5.1';
const GO_PACKAGE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;
/** The GitHub release of that version; DWS_FAILOVER_TEMPORAL_CLI_BASE_URL points at a mirror of it instead. */
export const TEMPORAL_CLI_RELEASE_URL = `https://github.com/temporalio/cli/releases/download/v${TEMPORAL_CLI_VERSION}`;

export interface TemporalCliLocation {
  path: string;
  source: 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'go install' | 'download';
}

/** The cache folder: `$DWS_FAILOVER_CACHE_DIR` or `$XDG_CACHE_HOME/dws-failover` or `~/.cache/dws-failover`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DWS_FAILOVER_CACHE_DIR) return env.DWS_FAILOVER_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dws-failover');
}

/** Where a usable CLI already is, without building anything. */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): TemporalCliLocation | undefined {
  if (env.TEMPORAL_CLI_PATH) {
    if (!isExecutable(env.TEMPORAL_CLI_PATH)) {
      throw new Error(`TEMPORAL_CLI_PATH=${env.TEMPORAL_CLI_PATH} is not an executable file; fix or unset it.`);
    }
    return { path: env.TEMPORAL_CLI_PATH, source: 'TEMPORAL_CLI_PATH' };
  }
  const fromPath = onPath('temporal', env);
  if (fromPath) return { path: fromPath, source: 'PATH' };
  const cached = join(cacheDir(env), `temporal-${TEMPORAL_CLI_VERSION}`, 'temporal');
  if (isExecutable(cached)) return { path: cached, source: 'cache' };
  return undefined;
}

/** Whether DWS_FAILOVER_TEMPORAL_CLI_DOWNLOAD asks for the release archive even when Go is installed. */
function downloadForced(env: NodeJS.ProcessEnv): boolean {
  const value = env.DWS_FAILOVER_TEMPORAL_CLI_DOWNLOAD ?? '';
  if (value === '' || value === '0') return false;
  if (value === '1') return true;
  throw new Error(
    `DWS_FAILOVER_TEMPORAL_CLI_DOWNLOAD=${value} is not valid: set it to 1 (download) or 0, or unset it.`
  );
}

function releaseBaseUrl(env: NodeJS.ProcessEnv): string {
  const value = env.DWS_FAILOVER_TEMPORAL_CLI_BASE_URL || TEMPORAL_CLI_RELEASE_URL;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new Error(
      `DWS_FAILOVER_TEMPORAL_CLI_BASE_URL=${value} is not an http(s) URL: set it to the folder holding ` +
        `checksums.txt and the v${TEMPORAL_CLI_VERSION} archives, or unset it for ${TEMPORAL_CLI_RELEASE_URL}.`
    );
  }
  return value;
}

/**
 * Returns a usable Temporal CLI: builds it with `go install` into the cache when none is found, or, without Go (or
 * with DWS_FAILOVER_TEMPORAL_CLI_DOWNLOAD=1), downloads the release archive and verifies its SHA-256 first.
 * The first build compiles the Temporal server and takes minutes; `log` receives progress lines.
 * @throws Error saying what failed and how to provide the CLI by hand.
 */
export async function ensureTemporalCli(
  log: (line: string) => void = () => {},
  env: NodeJS.ProcessEnv = process.env
): Promise<TemporalCliLocation> {
  const found = findTemporalCli(env);
  if (found) return found;

  const binDir = join(cacheDir(env), `temporal-${TEMPORAL_CLI_VERSION}`);
  const forced = downloadForced(env);
  const go = onPath('go', env);
  if (!go || forced) {
    log(go ? 'DWS_FAILOVER_TEMPORAL_CLI_DOWNLOAD=1: downloading instead of building.' : 'Go not found: downloading.');
    const baseUrl = releaseBaseUrl(env);
    const path = await downloadTemporalCli({ version: TEMPORAL_CLI_VERSION, baseUrl, binDir, env, log });
    return { path, source: 'download' };
  }
  mkdirSync(binDir, { recursive: true });
  log(
    `Building the Temporal CLI v${TEMPORAL_CLI_VERSION} with Go into ${binDir} (first run only; takes several minutes)…`
  );
  const started = Date.now();
  await goInstall({
    go,
    packages: [GO_PACKAGE],
    binDir,
    ldflags: `-s -w -X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`,
    env,
    log,
  });
  const built = join(binDir, 'temporal');
  if (!isExecutable(built)) throw new Error(`go install reported success but ${built} is missing`);
  log(`Built the Temporal CLI in ${Math.round((Date.now() - started) / 1000)} s: ${built}`);
  return { path: built, source: 'go install' };
}

/** The version line of a CLI binary, for diagnostics. */
export function temporalCliVersion(path: string): string {
  const out = spawnSync(path, ['--version'], { encoding: 'utf8' });
  return (out.stdout || out.stderr || '').trim();
}
