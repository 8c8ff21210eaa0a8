/**
 * An intake in front of a failover scenario (test/helpers/scenario.ts): the real dev server, the simulator, a worker,
 * and an intake whose inventory lists the scenario's pair. Payloads come from the real fixtures, retargeted. As in
 * production, the intake signs what it attests (resolved alerts' cancels) with its key, which the worker trusts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { onTestFinished } from 'vitest';
import { approverKeyLine, generateSigningKey } from '../../src/identity/keys';
import { hmacHex } from '../../src/intake';
import type { OperationReport } from '../../src/shared/operation-model';
import { TEST_HARNESS, testKey } from '../helpers/decisions';
import { scenario, type Scenario, type ScenarioOptions } from '../helpers/scenario';
import { PD_SECRET, startIntake, type Answer, type Intake } from './harness';
import { alertmanagerPayload, pagerdutyPayload, type AlertOptions, type IncidentOptions } from './payloads';

export interface IntakeStack {
  t: Scenario;
  intake: Intake;
  /** The PagerDuty service id the inventory maps to the pair. */
  pagerdutyService: string;
  /** A groupKey of this test's own, so its deliveries never meet another test's. */
  groupKey: string;
  /** POSTs an Alertmanager notification for the pair's primary (overridable). */
  alertmanager(o?: Partial<AlertOptions>): Promise<Answer>;
  /** POSTs a signed PagerDuty incident event for the pair's service. */
  pagerduty(o?: IncidentOptions): Promise<Answer>;
  handle(answer: Answer, index?: number): WorkflowHandle;
  report(answer: Answer, index?: number): Promise<OperationReport>;
}

export interface IntakeStackOptions extends ScenarioOptions {
  /** The pair's policy block in the inventory (YAML flow map). @default '{ cooldown: 1h }' */
  policy?: string;
  temporalTimeoutMs?: number;
}

/** Policy timings of the scenario (FAST_POLICY), as the intake's configuration gives them to every start. */
export const FAST_ENV = {
  DWS_FAILOVER_POLL_INTERVAL: '0.3s',
  DWS_FAILOVER_READ_AFTER_WRITE_WINDOW: '1.5s',
  DWS_FAILOVER_COMPLETION_TIMEOUT: '60s',
};

/** Sets up the scenario and its intake. */
export async function intakeStack(options: IntakeStackOptions = {}): Promise<IntakeStack> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dws-intake-stack-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const { pem, key } = generateSigningKey('intake');
  const signingKey = path.join(dir, 'intake.pem');
  const approverKeys = path.join(dir, 'approver-keys');
  writeFileSync(signingKey, pem);
  // The intake's key, and the test harness's that signs the scenario's own starts.
  const harness = approverKeyLine(testKey(TEST_HARNESS).key, 'service');
  writeFileSync(approverKeys, `${approverKeyLine(key, 'service')}\n${harness}\n`);
  const t = await scenario({ ...options, env: { DWS_FAILOVER_APPROVER_KEYS: approverKeys, ...options.env } });
  const pagerdutyService = `P${randomBytes(4).toString('hex').toUpperCase()}`;
  const groupKey = `{}:{alertname="DwsClusterUnavailable", test="${randomBytes(6).toString('hex')}"}`;
  const inventory = `pairs:
  - name: pair-${t.drId.slice(0, 8)}
    project_id: ${t.projectId}
    dr_id: ${t.drId}
    clusters:
      - { id: ${t.primaryId}, name: primary }
      - { id: ${t.standbyId}, name: standby }
    alert_labels: { pagerduty_service_id: ${pagerdutyService} }
    policy: ${options.policy ?? '{ cooldown: 1h }'}
`;
  const intake = await startIntake({
    env: { ...t.workerEnv, ...FAST_ENV, DWS_FAILOVER_INTAKE_SIGNING_KEY_FILE: signingKey },
    inventory,
    ...(options.temporalTimeoutMs ? { temporalTimeoutMs: options.temporalTimeoutMs } : {}),
  });
  const handle = (answer: Answer, index = 0): WorkflowHandle => {
    const w = answer.body.workflows?.[index] ?? answer.body;
    return t.client.workflow.getHandle(w.workflow_id, w.run_id);
  };
  return {
    t,
    intake,
    pagerdutyService,
    groupKey,
    alertmanager: (o = {}) =>
      intake.post(
        '/v1/alerts/alertmanager',
        alertmanagerPayload({ labels: { dws_cluster_id: t.primaryId }, groupKey, ...o })
      ),
    pagerduty: (o = {}) => {
      const body = JSON.stringify(pagerdutyPayload({ serviceId: pagerdutyService, title: 'DWS prod down', ...o }));
      return intake.post('/v1/alerts/pagerduty', body, {
        'x-pagerduty-signature': `v1=${hmacHex(PD_SECRET, body)}`,
        'x-webhook-id': `wh-${randomBytes(4).toString('hex')}`,
      });
    },
    handle,
    report: (answer, index) => handle(answer, index).result() as Promise<OperationReport>,
  };
}
