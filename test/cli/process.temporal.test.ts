import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenario } from '../helpers/scenario';

const ROOT = path.resolve(__dirname, '../..');

/** Runs the CLI as its own process, as an operator does: nothing but its own work keeps it alive. */
function runProcess(
  args: string[],
  env: Record<string, string>
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the CLI as a separate process', () => {
  it('prints the pre-check verdict under the DWS rate limit instead of exiting silently', async () => {
    const t = await scenario({ noWorker: true });
    // One request a second: every read after the first waits on the rate limiter.
    const run = await runProcess(['precheck', '--project', t.projectId, '--dr', t.drId], {
      ...t.workerEnv,
      DWS_RATE_LIMIT: '1',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/Pre-checks of DR .* READY/);
    expect(run.code).toBe(0);
  });
});
