/**
 * Namespaces of their own for tests of a Temporal that is still coming up: registered through the operator API on the
 * shared server (dev server or real), with nothing else (no search attributes); deleted when the test finishes.
 */
import { randomUUID } from 'node:crypto';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { inject, onTestFinished } from 'vitest';

/** A namespace name nobody has registered. */
export const unusedNamespace = (): string => `test-${randomUUID()}`;

/** Registers `namespace` (default: a fresh name) with a one-day retention; returns its name. */
export async function createNamespace(namespace = unusedNamespace()): Promise<string> {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
  } finally {
    await connection.close();
  }
  onTestFinished(async () => {
    const cleanup = await Connection.connect({ address: inject('temporalAddress') });
    await cleanup.operatorService.deleteNamespace({ namespace }).catch(() => undefined);
    await cleanup.close();
  });
  return namespace;
}
