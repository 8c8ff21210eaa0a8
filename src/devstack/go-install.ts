/**
 * What the find-or-build helpers of the Temporal CLI and the Temporal server share: executable checks, PATH lookup
 * and a `go install` into a folder of the cache with progress lines.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` on `env.PATH`. */
export function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

export interface GoInstallOptions {
  go: string;
  /** `module/path/cmd@vX.Y.Z`, one or more of the same module version. */
  packages: string[];
  /** Where the binaries go (GOBIN). */
  binDir: string;
  ldflags?: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

/**
 * Runs `go install` with GOBIN=`binDir`, CGO off and the local toolchain, logging Go's output and a line every 30 s.
 * @throws Error with the last 4 kB of Go's output when it fails.
 */
export async function goInstall(options: GoInstallOptions): Promise<void> {
  const { go, packages, binDir, env, log } = options;
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(go, ['install', ...(options.ldflags ? ['-ldflags', options.ldflags] : []), ...packages], {
      env: { ...env, GOBIN: binDir, GOTOOLCHAIN: 'local', CGO_ENABLED: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      for (const line of text.split('\n')) {
        // Go starts most of its lines with "go: " itself.
        if (line.trim()) log(`  go: ${line.trim().replace(/^go: /, '')}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const ticker = setInterval(() => log(`  still building… ${Math.round((Date.now() - started) / 1000)} s`), 30_000);
    child.on('error', (err) => {
      clearInterval(ticker);
      reject(new Error(`could not run ${go}: ${err.message}`));
    });
    child.on('close', (code) => {
      clearInterval(ticker);
      if (code === 0) resolve();
      else reject(new Error(`go install ${packages.join(' ')} failed (exit ${code}). Last output:\n${tail}`));
    });
  });
}
