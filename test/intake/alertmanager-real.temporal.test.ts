/**
 * Real Prometheus Alertmanagers (v0.28.1) in front of the intake, configured with docs/intake.md's own
 * `alertmanager.yml` (only the URL, the token file and the group timings changed): alerts fired through their API reach
 * the intake, a worker and the simulator. One alert, one workflow, one failover POST, whatever the members do.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { workflowIds } from '../../src/shared/constants';
import type { EvidenceEntry, OperationReport } from '../../src/shared/operation-model';
import { until } from '../helpers/worker-process';
import { TOKEN } from './harness';
import {
  docsAlertmanagerConfig,
  fire,
  startAlertmanager,
  startClusteredPair,
  type FiredAlert,
  type RealAlertmanager,
} from './real-alertmanager';
import { intakeStack, type IntakeStack } from './stack';

/**
 * The docs' Prometheus rule's alert about the pair's primary, as Prometheus sends it to every Alertmanager: with the
 * time it started firing (the same for each member), and `endsAt` once it is resolved.
 */
const primaryDown = (s: IntakeStack, startsAt: string, endsAt?: string): FiredAlert => ({
  labels: { alertname: 'DwsClusterUnavailable', severity: 'critical', dws_cluster_id: s.t.primaryId },
  annotations: { summary: 'DWS production cluster unavailable' },
  startsAt,
  ...(endsAt ? { endsAt } : {}),
});

/** A counter of the intake's /metrics, summed over the series whose labels include `match`. */
async function metric(s: IntakeStack, name: string, match: string): Promise<number> {
  const text = String((await s.intake.get('/metrics')).body);
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && line.includes(match))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** The run the alert started, once it ended. */
async function failoverReport(s: IntakeStack): Promise<OperationReport> {
  const handle = s.t.client.workflow.getHandle(workflowIds.failover(s.t.projectId, s.t.drId));
  return (await until('the failover workflow to end', () => handle.result(), 120_000)) as OperationReport;
}

/** Asserts the run failed over with one failover POST and one piece of evidence; returns that evidence. */
async function oneRunOneRequest(s: IntakeStack): Promise<EvidenceEntry> {
  const report = await failoverReport(s);
  expect(report.outcome, report.summary).toBe('failed-over');
  expect(s.t.failoverPosts()).toHaveLength(1);
  expect(report.evidence).toHaveLength(1);
  return report.evidence[0] as EvidenceEntry;
}

/** What each member puts in its notifications as the sender: `receiver (external URL)`. */
const senderOf = (m: RealAlertmanager): string => `dws-failover (${m.externalUrl})`;

describe('real Alertmanagers in front of the intake, configured as docs/intake.md says', () => {
  it('turns one alert into one workflow and one failover request, then records its resolve without sending anything', async () => {
    const s = await intakeStack({ pair: { primary: { status: 'UNAVAILABLE' } } });
    const am = await startAlertmanager({ config: docsAlertmanagerConfig(s.intake.url, TOKEN) });
    const firedAt = Date.now();
    const startsAt = new Date(firedAt).toISOString();
    await fire([am], [primaryDown(s, startsAt)]);

    const report = await failoverReport(s);
    expect(report.outcome, report.summary).toBe('failed-over');
    const posts = s.t.failoverPosts();
    expect(posts).toHaveLength(1);
    expect(report.evidence).toEqual([
      expect.objectContaining({ source: 'alertmanager', status: 'firing', senders: [senderOf(am)] }),
    ]);
    expect(report.evidence[0]?.ref).toContain('groupKey {}/{dws_cluster_id=~".+"}:');
    expect(report.reason).toContain('DWS production cluster unavailable');
    // A figure for the docs, not a bound: group_wait (1 s here) plus the intake, the worker's checks and the POST.
    console.info(`alert fired → failover POST: ${Date.parse(posts[0]?.time ?? '') - firedAt} ms`);

    // The alert ends: Alertmanager sends the resolve at its next group_interval; the run is over, so it is only
    // recorded as such, and nothing more is sent to DWS.
    await fire([am], [primaryDown(s, startsAt, new Date().toISOString())]);
    await until('the intake to receive the resolve', async () =>
      (await metric(s, 'dws_failover_intake_workflows_total', 'result="no-running-failover"')) >= 1 ? true : undefined
    );
    expect(s.t.failoverPosts()).toHaveLength(1);
  });

  it('starts nothing when Alertmanager holds a wrong token: the intake answers 401 and Alertmanager logs it', async () => {
    const s = await intakeStack({ pair: { primary: { status: 'UNAVAILABLE' } } });
    const am = await startAlertmanager({ config: docsAlertmanagerConfig(s.intake.url, 'not-the-intake-token') });
    await fire([am], [primaryDown(s, new Date().toISOString())]);

    await until('the intake to refuse the notification', async () =>
      (await metric(s, 'dws_failover_intake_errors_total', 'kind="unauthorized"')) >= 1 ? true : undefined
    );
    await until('Alertmanager to log the refusal', async () => (/401/.test(am.output()) ? true : undefined));
    const handle = s.t.client.workflow.getHandle(workflowIds.failover(s.t.projectId, s.t.drId));
    await expect(handle.describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect(s.t.sim.requests().filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('gives one workflow and one failover request for a clustered HA pair that both receive the alert', async () => {
    const s = await intakeStack({ pair: { primary: { status: 'UNAVAILABLE' } } });
    const members = await startClusteredPair(docsAlertmanagerConfig(s.intake.url, TOKEN));
    await fire(members, [primaryDown(s, new Date().toISOString())]);

    const evidence = await oneRunOneRequest(s);
    // Gossip normally lets one member send and the other stand down; whoever sent is named.
    for (const sender of evidence.senders) expect(members.map(senderOf)).toContain(sender);
    console.info(`clustered pair: ${evidence.deliveries} delivery(ies) from ${evidence.senders.join(', ')}`);
  });

  it('records both members as senders of one piece of evidence when their gossip is cut and each sends its copy', async () => {
    const s = await intakeStack({ pair: { primary: { status: 'UNAVAILABLE' } } });
    const config = docsAlertmanagerConfig(s.intake.url, TOKEN);
    // An HA pair that cannot gossip (partitioned, or one member restarting): each sends every notification itself.
    const members = await Promise.all([startAlertmanager({ config }), startAlertmanager({ config })]);
    await fire(members, [primaryDown(s, new Date().toISOString())]);

    const evidence = await oneRunOneRequest(s);
    expect(evidence.deliveries).toBe(2);
    expect([...evidence.senders].sort()).toEqual(members.map(senderOf).sort());
  });
});
