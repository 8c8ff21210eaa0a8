/**
 * Finds a Chromium for the browser tests, so that `npm test` needs no browser installed by hand. Order:
 * `CHROMIUM_PATH`, a system browser (by name on PATH, then at the usual install paths), then the binary shipped by
 * the `@sparticuz/chromium` dev dependency (Linux x64; extracted to /tmp on first use, about 2 s).
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface ChromiumLocation {
  path: string;
  source: 'CHROMIUM_PATH' | 'PATH' | 'system path' | 'npm package';
}

/** Browser names looked up on PATH, in order. */
export const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** Where distributions and vendors install a Chromium-based browser, looked at after PATH. */
export const SYSTEM_CHROMIUM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/snap/bin/chromium',
  '/opt/google/chrome/chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

export const CHROMIUM_PACKAGE = '@sparticuz/chromium';

export interface FindChromiumOptions {
  env?: NodeJS.ProcessEnv;
  /** Defaults to {@link SYSTEM_CHROMIUM_PATHS}. */
  systemPaths?: readonly string[];
  /** The npm package shipping a binary; defaults to {@link CHROMIUM_PACKAGE}. */
  packageName?: string;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The first Chromium found, in the order above.
 * @throws Error when `CHROMIUM_PATH` is set but not an executable file, or when nothing is found; the message lists
 *   every place tried and how to provide a browser.
 */
export async function findChromium(options: FindChromiumOptions = {}): Promise<ChromiumLocation> {
  const env = options.env ?? process.env;
  if (env.CHROMIUM_PATH) {
    if (!isExecutable(env.CHROMIUM_PATH)) {
      throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file; fix or unset it.`);
    }
    return { path: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' };
  }
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of CHROMIUM_NAMES) {
    for (const dir of dirs) {
      if (isExecutable(join(dir, name))) return { path: join(dir, name), source: 'PATH' };
    }
  }
  const systemPaths = options.systemPaths ?? SYSTEM_CHROMIUM_PATHS;
  const installed = systemPaths.find(isExecutable);
  if (installed) return { path: installed, source: 'system path' };

  const packageName = options.packageName ?? CHROMIUM_PACKAGE;
  let packageFailure: string;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    packageFailure = `not tried: it ships a Linux x64 binary and this is ${process.platform} ${process.arch}`;
  } else {
    try {
      const loaded = (await import(packageName)) as { default: { executablePath(): Promise<string> } };
      return { path: await loaded.default.executablePath(), source: 'npm package' };
    } catch (err) {
      packageFailure = (err as Error).message.split('\n')[0] ?? String(err);
    }
  }
  throw new Error(
    'No Chromium found. Tried: CHROMIUM_PATH (unset); ' +
      `${CHROMIUM_NAMES.join(', ')} on PATH; ${systemPaths.length ? systemPaths.join(', ') : 'no system paths'}; ` +
      `the npm package ${packageName} (${packageFailure}). ` +
      `Run \`npm ci\` (it installs ${CHROMIUM_PACKAGE}), install a Chromium, or set CHROMIUM_PATH.`
  );
}
