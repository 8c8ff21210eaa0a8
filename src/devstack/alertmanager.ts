/**
 * Finds or builds Prometheus Alertmanager and amtool v0.28.1 for the end-to-end intake tests, the same way as the
 * Temporal CLI: ALERTMANAGER_PATH / AMTOOL_PATH, both on PATH, the cache outside the repo, else `go install` of
 * v0.28.1 into that cache (later versions cannot be go-installed: their web UI assets are missing from the module).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { goInstall, isExecutable, onPath } from './go-install';
import { cacheDir } from './temporal-cli';

export const ALERTMANAGER_VERSION = '0.28.1';
const MODULE = 'github.com/prometheus/alertmanager';

export interface AlertmanagerLocation {
  alertmanager: string;
  amtool: string;
  source: 'ALERTMANAGER_PATH' | 'PATH' | 'cache' | 'go install';
}

/** Where both binaries already are, without building anything. @throws Error for a variable naming no executable. */
export function findAlertmanager(env: NodeJS.ProcessEnv = process.env): AlertmanagerLocation | undefined {
  if (env.ALERTMANAGER_PATH || env.AMTOOL_PATH) {
    for (const name of ['ALERTMANAGER_PATH', 'AMTOOL_PATH'] as const) {
      const path = env[name];
      if (!path || !isExecutable(path)) {
        throw new Error(
          `${name}=${path ?? ''} is not an executable file; set both ALERTMANAGER_PATH and AMTOOL_PATH, or neither.`
        );
      }
    }
    return { alertmanager: env.ALERTMANAGER_PATH ?? '', amtool: env.AMTOOL_PATH ?? '', source: 'ALERTMANAGER_PATH' };
  }
  const am = onPath('alertmanager', env);
  const tool = onPath('amtool', env);
  if (am && tool) return { alertmanager: am, amtool: tool, source: 'PATH' };
  const dir = join(cacheDir(env), `alertmanager-${ALERTMANAGER_VERSION}`);
  const cached = { alertmanager: join(dir, 'alertmanager'), amtool: join(dir, 'amtool') };
  if (isExecutable(cached.alertmanager) && isExecutable(cached.amtool)) return { ...cached, source: 'cache' };
  return undefined;
}

/**
 * Returns Alertmanager and amtool, building them with `go install` into the cache when they are not found (first run
 * only: 94 s here with an empty Go cache, 23 s with a warm one). @throws Error saying what failed and how to provide
 * them by hand.
 */
export async function ensureAlertmanager(
  log: (line: string) => void = () => {},
  env: NodeJS.ProcessEnv = process.env
): Promise<AlertmanagerLocation> {
  const found = findAlertmanager(env);
  if (found) return found;
  const go = onPath('go', env);
  if (!go) {
    throw new Error(
      `No Alertmanager found (ALERTMANAGER_PATH/AMTOOL_PATH, PATH, or the cache) and Go is not installed to build it. ` +
        `Install Go ≥ 1.25, or Alertmanager and amtool v${ALERTMANAGER_VERSION} and set ALERTMANAGER_PATH and AMTOOL_PATH.`
    );
  }
  const binDir = join(cacheDir(env), `alertmanager-${ALERTMANAGER_VERSION}`);
  mkdirSync(binDir, { recursive: true });
  log(`Building Alertmanager and amtool v${ALERTMANAGER_VERSION} with Go into ${binDir} (first run only)…`);
  const started = Date.now();
  await goInstall({
    go,
    packages: [`${MODULE}/cmd/alertmanager@v${ALERTMANAGER_VERSION}`, `${MODULE}/cmd/amtool@v${ALERTMANAGER_VERSION}`],
    binDir,
    env,
    log,
  });
  const built = { alertmanager: join(binDir, 'alertmanager'), amtool: join(binDir, 'amtool') };
  for (const path of Object.values(built)) {
    if (!isExecutable(path)) throw new Error(`go install reported success but ${path} is missing`);
  }
  log(`Built Alertmanager and amtool in ${Math.round((Date.now() - started) / 1000)} s.`);
  return { ...built, source: 'go install' };
}
