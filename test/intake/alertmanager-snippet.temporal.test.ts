/**
 * The Alertmanager configuration docs/intake.md tells users to write, checked by a real amtool (v0.28.1, found or
 * built by the global setup) as a user would check it before deploying: it loads, and it routes the docs' alert to
 * the intake's receiver and everything else to the existing one.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { docBlock } from './docs';

/** Runs amtool with the arguments `args` gives for the docs' configuration file, written as a user would save it. */
function amtool(args: (file: string) => string[]): { status: number | null; output: string; stdout: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'dws-am-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'alertmanager.yml');
  writeFileSync(file, docBlock('Alertmanager', 'yaml'));
  const run = spawnSync(inject('amtoolPath'), args(file), { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}`, stdout: run.stdout };
}

/** `amtool config routes test` of the docs' configuration for an alert with `labels`. */
const routeOf = (...labels: string[]) =>
  amtool((file) => ['config', 'routes', 'test', `--config.file=${file}`, ...labels]);

describe("docs/intake.md's Alertmanager configuration", () => {
  it('passes amtool check-config as written', () => {
    const checked = amtool((file) => ['check-config', file]);
    expect(checked.status, checked.output).toBe(0);
    expect(checked.stdout).toContain('SUCCESS');
    expect(checked.stdout).toContain('2 receivers');
  });

  it("routes the docs' alert (a dws_cluster_id label) to dws-failover and an unrelated alert to the default receiver", () => {
    const pairAlert = routeOf('alertname=DwsClusterUnavailable', 'dws_cluster_id=c-1');
    expect(pairAlert.status, pairAlert.output).toBe(0);
    expect(pairAlert.stdout.trim()).toBe('dws-failover');

    const other = routeOf('alertname=DiskFull', 'instance=db-7');
    expect(other.status, other.output).toBe(0);
    expect(other.stdout.trim()).toBe('default');
  });
});
