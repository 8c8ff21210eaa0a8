/**
 * Real Prometheus Alertmanagers (v0.28.1, found or built by the global setup) for the end-to-end intake tests, and
 * the configuration docs/intake.md tells users to write, read from the doc itself so the two cannot drift apart.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject, onTestFinished } from 'vitest';
import { freePort } from '../../src/devstack/dev-server';
import { until } from '../helpers/worker-process';
import { docBlock } from './docs';

/** Replaces each `from` of `text` by its `to`, failing loudly when the doc no longer has it. */
function substitute(text: string, replacements: [from: string, to: string][]): string {
  let out = text;
  for (const [from, to] of replacements) {
    if (!out.includes(from)) throw new Error(`docs/intake.md's Alertmanager snippet no longer contains "${from}"`);
    out = out.split(from).join(to);
  }
  return out;
}

/** A temporary folder, removed at the end of the test. */
function scratch(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dws-am-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * docs/intake.md's `alertmanager.yml`, pointed at `intakeUrl` with `token` in its credentials file (written with
 * the trailing newline a secret file usually has), and with group timings short enough for a test.
 * @returns the configuration file's path.
 */
export function docsAlertmanagerConfig(intakeUrl: string, token: string): string {
  const dir = scratch();
  const tokenFile = path.join(dir, 'dws-failover-token');
  writeFileSync(tokenFile, `${token}\n`);
  const file = path.join(dir, 'alertmanager.yml');
  writeFileSync(
    file,
    substitute(docBlock('Alertmanager', 'yaml'), [
      ['https://dws-failover.example.internal', intakeUrl],
      ['/etc/alertmanager/secrets/dws-failover-token', tokenFile],
      ['group_wait: 30s', 'group_wait: 1s'],
      ['group_interval: 1m', 'group_interval: 2s'],
    ])
  );
  return file;
}

export interface RealAlertmanager {
  /** Its API, `http://127.0.0.1:{port}`. */
  url: string;
  /** The `--web.external-url` it puts in every notification (its identity in the evidence). */
  externalUrl: string;
  /** Everything it logged so far. */
  output(): string;
}

export interface AlertmanagerOptions {
  config: string;
  /** Gossip addresses of the other members; omitted: a member alone (no HA, no gossip). */
  peers?: string[];
  /** Its gossip address; with `peers`, given by the caller so members can name each other before they start. */
  clusterAddress?: string;
}

/** Starts an Alertmanager (killed at the end of the test) and waits until it is ready. */
export async function startAlertmanager(options: AlertmanagerOptions): Promise<RealAlertmanager> {
  const dir = scratch();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Its own name, as an operator gives each member one (`alertmanager-0…`); notifications carry it.
  const externalUrl = `http://alertmanager-${port}.example:9093`;
  const clustered = options.clusterAddress !== undefined;
  const args = [
    `--config.file=${options.config}`,
    `--storage.path=${path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    `--web.external-url=${externalUrl}`,
    `--cluster.listen-address=${options.clusterAddress ?? ''}`,
    ...(options.peers ?? []).map((peer) => `--cluster.peer=${peer}`),
    // Gossip settles in about ten intervals before the first notification: 50 ms instead of 200 ms keeps it short.
    ...(clustered ? ['--cluster.gossip-interval=50ms', '--cluster.peer-timeout=2s'] : []),
    '--log.level=debug',
  ];
  const child = spawn(inject('alertmanagerPath'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  onTestFinished(() => void child.kill('SIGKILL'));
  await until(`Alertmanager on ${url} to be ready (${output})`, async () => {
    if (child.exitCode !== null) throw new Error(`Alertmanager exited with ${child.exitCode}: ${output}`);
    return (await fetch(`${url}/-/ready`).catch(() => null))?.ok ? true : undefined;
  });
  return { url, externalUrl, output: () => output };
}

/** Two clustered members that gossip, as the Alertmanager docs deploy an HA pair. */
export async function startClusteredPair(config: string): Promise<[RealAlertmanager, RealAlertmanager]> {
  const [a, b] = [`127.0.0.1:${await freePort()}`, `127.0.0.1:${await freePort()}`];
  return Promise.all([
    startAlertmanager({ config, clusterAddress: a, peers: [b] }),
    startAlertmanager({ config, clusterAddress: b, peers: [a] }),
  ]);
}

export interface FiredAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  /** When it started firing; Prometheus gives every Alertmanager the same. */
  startsAt?: string;
  /** Set to end (resolve) the alert. */
  endsAt?: string;
}

/** Sends alerts to every member's API, as Prometheus does with all the Alertmanagers it knows. */
export async function fire(members: RealAlertmanager[], alerts: FiredAlert[]): Promise<void> {
  await Promise.all(
    members.map(async (m) => {
      const res = await fetch(`${m.url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts),
      });
      if (!res.ok) throw new Error(`Alertmanager ${m.url} refused the alerts: ${res.status} ${await res.text()}`);
    })
  );
}
