/**
 * Region scale: with many pairs of one project in flight, their reads are served by shared project-wide list calls
 * and each pair costs about its one POST, with the exactly-once rules intact.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { OperationReport } from '../../src/shared/operation-model';
import { startFailover } from '../../src/operations/start-failover';
import { scenario } from '../helpers/scenario';

describe('shared reads', () => {
  it('fail over twelve pairs of one project with one POST each and no per-pair reads', async () => {
    const t = await scenario({
      env: { DWS_FAILOVER_SHARED_READS_FROM: '1', DWS_RATE_LIMIT: '0' },
      simulator: { failoverDurationMs: 3000, readLagMs: { list: 600 } },
    });
    const pairs = [{ drId: t.drId, primaryId: t.primaryId }];
    for (let i = 1; i < 12; i++) {
      const pair = t.sim.addPair({
        id: randomUUID(),
        projectId: t.projectId,
        status: 'running',
        version: '8.2.1',
        primary: { id: randomUUID() },
        standby: { id: randomUUID() },
      });
      pairs.push({ drId: pair.id, primaryId: pair.primaryClusterId });
    }
    for (const p of pairs) t.sim.outage(p.primaryId);

    const reports = await Promise.all(
      pairs.map(async (p) => {
        const started = await startFailover(t.client, t.config, {
          projectId: t.projectId,
          drId: p.drId,
          reason: 'region outage',
          trigger: { source: 'api', ref: 'test', receivedAt: new Date().toISOString(), actor: 'vitest' },
          policy: { pollIntervalSeconds: 0.3, heartbeatTimeoutSeconds: 5, readAfterWriteWindowSeconds: 1.5 },
        });
        return (await t.handle(started).result()) as OperationReport;
      })
    );

    const state = t.sim.state();
    for (const [i, report] of reports.entries()) {
      expect(report.outcome, report.summary).toBe('failed-over');
      expect(report.completion?.confirmedBy?.[1]).toBe('list (a later call)');
      const dr = state.disasterRecoveries.find((d) => d.id === pairs[i]!.drId);
      expect(dr?.roleSwaps).toBe(1);
    }
    const requests = t.sim.requests();
    const posts = requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(12);
    // Every read went through a project-wide list: no DR detail, no single-cluster read.
    const perPair = requests.filter(
      (r) => r.method === 'GET' && /\/disaster-recovery\/[^/]+$|\/clusters\/[^/]+$/.test(r.path)
    );
    expect(perPair.map((r) => r.path)).toEqual([]);
    const lists = requests.filter((r) => r.method === 'GET' && /\/(disaster-recoveries|clusters)$/.test(r.path));
    expect(lists.length).toBeGreaterThan(0);
    // Far fewer reads than the three per pair (detail and two clusters) a pre-check alone takes without sharing.
    expect(lists.length).toBeLessThan(12 * 3);
  });
});
