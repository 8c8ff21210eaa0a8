/**
 * One Temporal server and one workflow bundle per test run, shared by every test file: the dev server by default,
 * a self-hosted server on PostgreSQL in the `real-server` profile (global-setup-real-server.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node' with { 'resolution-mode': 'import' };
import { startDevServer } from '../../src/devstack/dev-server';
import { writeWorkflowBundle } from '../../src/devstack/bundle';
import { ensureAlertmanager } from '../../src/devstack/alertmanager';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
    temporalCliPath: string;
    /** Alertmanager and amtool v0.28.1 (found or built once, cached outside the repo). */
    alertmanagerPath: string;
    amtoolPath: string;
  }
}

export interface TestServer {
  address: string;
  cliPath: string;
  stop(): Promise<void>;
}

/** Starts a server with `start` while bundling the workflows, and provides both to the test files. */
export async function provideServer(
  project: TestProject,
  start: (log: (line: string) => void) => Promise<TestServer>
): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'dws-failover-test-'));
  const log = (line: string): void => console.log(`[global-setup] ${line}`);
  const [server, alertmanager] = await Promise.all([
    start(log),
    ensureAlertmanager(log),
    writeWorkflowBundle(join(dir, 'workflow-bundle.js')),
  ]);
  project.provide('alertmanagerPath', alertmanager.alertmanager);
  project.provide('amtoolPath', alertmanager.amtool);
  project.provide('temporalAddress', server.address);
  project.provide('temporalCliPath', server.cliPath);
  project.provide('workflowBundlePath', join(dir, 'workflow-bundle.js'));
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  return provideServer(project, (log) => startDevServer({ readyTimeoutMs: 120_000, log }));
}
