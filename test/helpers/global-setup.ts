/**
 * One Temporal dev server and one workflow bundle per test run, shared by every test file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node' with { 'resolution-mode': 'import' };
import { startDevServer } from '../../src/devserver/dev-server';
import { writeWorkflowBundle } from '../../src/devserver/bundle';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
    temporalCliPath: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'dws-failover-test-'));
  const log = (line: string): void => console.log(`[global-setup] ${line}`);
  const [server] = await Promise.all([
    startDevServer({ readyTimeoutMs: 120_000, log }),
    writeWorkflowBundle(join(dir, 'workflow-bundle.js')),
  ]);
  project.provide('temporalAddress', server.address);
  project.provide('temporalCliPath', server.cliPath);
  project.provide('workflowBundlePath', join(dir, 'workflow-bundle.js'));
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
