import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = path.join(__dirname, 'fixtures', 'close-then-exit.ts');

describe('simulator close()', () => {
  it('leaves no timer or connection behind: the process exits on its own', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // Generous: starting tsx on a loaded machine takes seconds; a leaked 60 s timer would take far longer.
    const killer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(killer);

    expect(stderr).toBe('');
    expect(stdout).toBe('failover 200; delayed request: connection closed; closed\n');
    expect(code).toBe(0);
  });
});
