import { describe, expect, it } from 'vitest';
import { createNamespace, unusedNamespace } from '../helpers/namespace';
import { scenario, type Scenario } from '../helpers/scenario';
import { until } from '../helpers/worker-process';
import { startIntake, type Intake } from './harness';

/** An intake whose Temporal namespace is `namespace`, listing the scenario's pair. */
function intakeIn(t: Scenario, namespace: string): Promise<Intake> {
  return startIntake({
    env: { TEMPORAL_ADDRESS: t.config.temporal.address, TEMPORAL_NAMESPACE: namespace },
    inventory: `pairs: [{ name: p, project_id: ${t.projectId}, dr_id: ${t.drId}, clusters: [{ id: ${t.primaryId} }, { id: ${t.standbyId} }] }]`,
    temporalTimeoutMs: 1500,
  });
}

const request = (t: Scenario) => ({
  project_id: t.projectId,
  disaster_recovery_id: t.drId,
  reason: 'primary unreachable',
});

describe('intake while its namespace is not ready', () => {
  it('answers 503 naming a namespace that does not exist and how to create it, and keeps serving', async () => {
    const t = await scenario({ noWorker: true });
    const namespace = unusedNamespace();
    const intake = await intakeIn(t, namespace);

    const refused = await intake.post('/v1/failovers', request(t));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.body).toMatchObject({ error: 'temporal_unavailable', not_ready: 'namespace' });
    expect(refused.body.message).toContain(
      `could not start or join the failover of p: The namespace '${namespace}' does not exist on Temporal at ${t.config.temporal.address}`
    );
    expect(refused.body.message).toContain(`Create it (temporal operator namespace create --namespace ${namespace})`);
    const ready = await intake.get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.reason).toContain(`The namespace '${namespace}' does not exist`);
    expect((await intake.get('/healthz')).status).toBe(200);
  });

  it('answers 503 naming the search attributes a new namespace does not know yet, and how to register them', async () => {
    const t = await scenario({ noWorker: true });
    const namespace = await createNamespace();
    const intake = await intakeIn(t, namespace);

    // A namespace just registered may take a moment to reach the frontend's cache: until then it "does not exist".
    const refused = await until('the namespace known to the frontend', async () => {
      const answer = await intake.post('/v1/failovers', request(t));
      return answer.body.not_ready === 'namespace' ? undefined : answer;
    });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ error: 'temporal_unavailable', not_ready: 'search-attributes' });
    expect(refused.body.message).toContain(
      `The namespace '${namespace}' does not know the search attributes of dws-failover yet`
    );
    expect(refused.body.message).toContain(
      `Start a worker (it registers them), or register them: temporal operator search-attribute create --namespace ${namespace}`
    );
  });
});
