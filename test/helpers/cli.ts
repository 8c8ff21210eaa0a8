/**
 * Runs `dws-failover` in-process through `runCli`, as `bin/dws-failover.js` does, with captured output.
 */
import { Writable } from 'node:stream';
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

/**
 * Runs one command line with exactly `env` as its environment (nothing leaks in from the test process).
 * @param signal aborts like Ctrl-C does; never aborted by default.
 */
export async function cli(argv: string[], env: NodeJS.ProcessEnv = {}, signal?: AbortSignal): Promise<CliRun> {
  const stdout = capture();
  const stderr = capture();
  const code = await runCli(argv, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    env,
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
