import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findChromium } from './chromium';

const root = mkdtempSync(path.join(tmpdir(), 'dws-chromium-finder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** An executable stand-in for a browser at `dir/name`. */
function fakeBrowser(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, '#!/bin/sh\necho fake\n');
  chmodSync(file, 0o755);
  return file;
}

describe('findChromium', () => {
  const explicit = fakeBrowser(path.join(root, 'explicit'), 'my-chrome');
  const onPath = fakeBrowser(path.join(root, 'bin'), 'chromium-browser');
  const installed = fakeBrowser(path.join(root, 'opt'), 'chrome');
  const emptyDir = path.join(root, 'empty');
  mkdirSync(emptyDir, { recursive: true });

  it('takes CHROMIUM_PATH before a browser on PATH or at a system path', async () => {
    const found = await findChromium({
      env: { CHROMIUM_PATH: explicit, PATH: path.dirname(onPath) },
      systemPaths: [installed],
    });
    expect(found).toEqual({ path: explicit, source: 'CHROMIUM_PATH' });
  });

  it('refuses a CHROMIUM_PATH that is not an executable file instead of looking elsewhere', async () => {
    const missing = path.join(root, 'nowhere', 'chromium');
    await expect(
      findChromium({ env: { CHROMIUM_PATH: missing, PATH: path.dirname(onPath) }, systemPaths: [installed] })
    ).rejects.toThrow(`CHROMIUM_PATH=${missing} is not an executable file; fix or unset it.`);
  });

  it('takes a browser on PATH before one at a system path', async () => {
    const found = await findChromium({
      env: { PATH: `${emptyDir}:${path.dirname(onPath)}` },
      systemPaths: [installed],
    });
    expect(found).toEqual({ path: onPath, source: 'PATH' });
  });

  it('takes a system path when nothing is on PATH', async () => {
    const found = await findChromium({ env: { PATH: emptyDir }, systemPaths: [path.join(emptyDir, 'x'), installed] });
    expect(found).toEqual({ path: installed, source: 'system path' });
  });

  it.runIf(process.platform === 'linux' && process.arch === 'x64')(
    'falls back to the binary of the @sparticuz/chromium package, which runs',
    async () => {
      const found = await findChromium({ env: { PATH: emptyDir }, systemPaths: [] });
      expect(found.source).toBe('npm package');
      const version = spawnSync(found.path, ['--version', '--no-sandbox'], { encoding: 'utf8' });
      expect(version.stdout).toMatch(/Chromium \d+\./);
    },
    60_000
  );

  it('lists every place it tried when there is no browser at all', async () => {
    const absent = path.join(emptyDir, 'no-such-browser');
    const error = await findChromium({
      env: { PATH: emptyDir },
      systemPaths: [absent],
      packageName: '@dws-failover-test/no-such-chromium-package',
    }).then(
      () => undefined,
      (err: Error) => err.message
    );
    expect(error).toContain('No Chromium found. Tried: CHROMIUM_PATH (unset); chromium, chromium-browser');
    expect(error).toContain(absent);
    expect(error).toContain('the npm package @dws-failover-test/no-such-chromium-package (');
    expect(error).toContain('install a Chromium, or set CHROMIUM_PATH');
  });
});
