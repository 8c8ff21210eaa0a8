/**
 * The `real-server` profile's global setup: a self-hosted Temporal server v1.29.1 on PostgreSQL with SQL visibility
 * instead of the dev server; the test files get the same `temporalAddress`, `temporalCliPath`, `workflowBundlePath`.
 */
import type { TestProject } from 'vitest/node' with { 'resolution-mode': 'import' };
import { startRealServer } from '../../src/devstack/real-server';
import { provideServer } from './global-setup';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  return provideServer(project, (log) => startRealServer({ log }));
}
