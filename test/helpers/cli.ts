/**
 * Runs `dws-failover` in-process through `runCli`, as `bin/dws-failover.js` does, with captured output; or the built
 * binary itself as a child process.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { runCli } from '../../src/cli/main';

export interface CliRun {
  /** The exit code the process would end with. */
  code: number;
  stdout: string;
  stderr: string;
}

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

let configHome: string | null = null;
/**
 * An empty XDG_CONFIG_HOME for this test process: the CLI's default signing key lives under it, and the key of the
 * person running the tests (~/.config/dws-failover) must not sign their starts and decisions.
 */
function emptyConfigHome(): string {
  if (configHome) return configHome;
  const dir = mkdtempSync(path.join(tmpdir(), 'dws-cli-config-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  configHome = dir;
  return dir;
}

/**
 * Runs one command line with exactly `env` as its environment (nothing leaks in from the test process; the config
 * home is an empty folder unless `env` names one).
 * @param signal aborts like Ctrl-C does; never aborted by default.
 */
export async function cli(argv: string[], env: NodeJS.ProcessEnv = {}, signal?: AbortSignal): Promise<CliRun> {
  const stdout = capture();
  const stderr = capture();
  const code = await runCli(argv, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: { XDG_CONFIG_HOME: emptyConfigHome(), ...env },
    signal: signal ?? new AbortController().signal,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** `failover --project … --dr … --reason …` for a scenario's pair, then `more`. */
export const failoverArgs = (t: { projectId: string; drId: string }, ...more: string[]): string[] => [
  'failover',
  '--project',
  t.projectId,
  '--dr',
  t.drId,
  '--reason',
  'primary warehouse unreachable',
  ...more,
];

const ROOT = path.resolve(__dirname, '../..');

/** Runs the built `bin/dws-failover.js` as a child process, as a person at a shell does, with only PATH set. */
export async function binary(argv: string[]): Promise<CliRun> {
  return promisify(execFile)(process.execPath, [path.join(ROOT, 'bin/dws-failover.js'), ...argv], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '' },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: CliRun) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr })
  );
}
