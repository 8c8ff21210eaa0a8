import { describe, expect, it } from 'vitest';
import type { OperationReport } from '../../src/shared/operation-model';
import { cli, failoverArgs } from '../helpers/cli';
import { createNamespace, unusedNamespace } from '../helpers/namespace';
import { scenario, type Scenario } from '../helpers/scenario';
import { spawnWorker, until } from '../helpers/worker-process';

/** A scenario whose worker and CLI use `namespace`, with no worker yet (the test starts one as a process). */
async function inNamespace(namespace: string, env: Record<string, string> = {}): Promise<Scenario> {
  const t = await scenario({ noWorker: true, env: { TEMPORAL_NAMESPACE: namespace, ...env } });
  t.sim.outage(t.primaryId);
  return t;
}

describe('start-up while Temporal is still coming up', () => {
  it('starts a failover from the CLI at once after a worker registered the search attributes of a new namespace', async () => {
    const t = await inNamespace(await createNamespace());
    const worker = spawnWorker(t.workerEnv);
    await until('the worker registering the search attributes', () =>
      worker.output().includes('Registered search attributes') ? true : undefined
    );
    // At once: a self-hosted server accepts new attributes only a moment later, and the CLI waits instead of failing.
    const run = await cli(failoverArgs(t, '--wait', '--json'), t.workerEnv);
    expect(run.code, `${run.stderr}\n${worker.output()}`).toBe(0);
    expect((JSON.parse(run.stdout) as OperationReport).outcome).toBe('failed-over');
    expect(t.failoverPosts()).toHaveLength(1);
  });

  it('a worker started before its namespace exists says what it waits for, and serves once it is created', async () => {
    const namespace = unusedNamespace();
    const t = await inNamespace(namespace);
    const worker = spawnWorker(t.workerEnv);
    await until('the worker waiting for its namespace', () =>
      worker.output().includes(`Waiting for the namespace '${namespace}' to exist`) ? true : undefined
    );
    await new Promise((r) => setTimeout(r, 3000));
    expect(worker.child.exitCode, worker.output()).toBeNull();

    await createNamespace(namespace);
    await until('the worker serving', () => (worker.output().includes('Worker started') ? true : undefined));
    const run = await cli(failoverArgs(t, '--wait', '--json'), t.workerEnv);
    expect(run.code, `${run.stderr}\n${worker.output()}`).toBe(0);
    expect((JSON.parse(run.stdout) as OperationReport).outcome).toBe('failed-over');
  });

  it('a worker whose namespace never comes exits after its wait, naming the cause and the fix', async () => {
    const namespace = unusedNamespace();
    const t = await inNamespace(namespace, { DWS_FAILOVER_STARTUP_WAIT: '2s' });
    const worker = spawnWorker(t.workerEnv);
    const code = await new Promise((resolve) => worker.child.once('exit', resolve));
    expect(code).toBe(1);
    expect(worker.output()).toMatch(
      new RegExp(
        `Waited \\d+s for the namespace '${namespace}' to exist\\. The namespace '${namespace}' does not exist`
      )
    );
    expect(worker.output()).toContain(`Create it (temporal operator namespace create --namespace ${namespace})`);
  });

  it('the CLI waits a few seconds for a namespace that does not exist, then names the cause and the fix', async () => {
    const namespace = unusedNamespace();
    const t = await inNamespace(namespace);
    const run = await cli(failoverArgs(t), t.workerEnv);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`Waiting up to \\d+s for the namespace '${namespace}' to exist`));
    expect(run.stderr).toContain(
      `The namespace '${namespace}' does not exist on Temporal at ${t.config.temporal.address}`
    );
    expect(run.stderr).toContain(`temporal operator namespace create --namespace ${namespace}`);
  });
});
