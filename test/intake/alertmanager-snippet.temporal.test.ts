/**
 * The Alertmanager configuration docs/intake.md tells users to paste, checked by a real `amtool check-config`
 * (v0.28.1, found or built by the global setup), as a user would before deploying it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';

/** The first YAML block after a heading of docs/intake.md. */
function snippetAfter(heading: string): string {
  const doc = readFileSync(path.resolve(__dirname, '../../docs/intake.md'), 'utf8');
  const section = doc.slice(doc.indexOf(`\n## ${heading}\n`));
  const match = /```yaml\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error(`no YAML block under "## ${heading}" in docs/intake.md`);
  return match[1];
}

describe("docs/intake.md's Alertmanager configuration", () => {
  it('passes amtool check-config as written', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dws-am-')), 'alertmanager.yml');
    writeFileSync(file, snippetAfter('Alertmanager'));
    const checked = spawnSync(inject('amtoolPath'), ['check-config', file], { encoding: 'utf8' });
    expect(checked.status, `${checked.stdout}${checked.stderr}`).toBe(0);
    expect(checked.stdout).toContain('SUCCESS');
    expect(checked.stdout).toContain('2 receivers');
  });
});
