/**
 * Shared project-wide reads against the simulator over loopback: many callers, one list call; and never an answer
 * from a call that left before the caller asked.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { AkSkAuthenticator } from '../../src/dws/auth';
import { DwsClient } from '../../src/dws/client';
import { RateLimiter } from '../../src/dws/rate-limiter';
import { SharedReads } from '../../src/dws/shared-reads';
import { addTestPair, startSimulator, TEST_AK, TEST_SK } from '../simulator/support';

async function setup(pairs: number, options: { rate?: number; minGapMs?: number; shareFrom?: number } = {}) {
  const sim = await startSimulator();
  const first = addTestPair(sim);
  for (let i = 1; i < pairs; i++) addTestPair(sim, { projectId: first.projectId });
  const client = new DwsClient({
    endpoint: sim.url,
    auth: new AkSkAuthenticator({ ak: TEST_AK, sk: TEST_SK }),
    ...(options.rate ? { rateLimiter: new RateLimiter({ ratePerSecond: options.rate }) } : {}),
  });
  const shared = new SharedReads(client, { minGapMs: options.minGapMs ?? 0, shareFrom: options.shareFrom ?? 2 });
  const calls = (path: string) => sim.requests().filter((r) => r.path === path);
  return { sim, client, shared, projectId: first.projectId, calls };
}

describe('SharedReads', () => {
  it('serves 200 concurrent readers of one project with one DR list call and one cluster list call', async () => {
    const { shared, projectId, calls } = await setup(50);
    const [drs, clusters] = await Promise.all([
      Promise.all(Array.from({ length: 200 }, () => shared.drs(projectId))),
      Promise.all(Array.from({ length: 200 }, () => shared.clusters(projectId))),
    ]);

    expect(calls(`/v2/${projectId}/disaster-recoveries`)).toHaveLength(1);
    expect(calls(`/v1.0/${projectId}/clusters`)).toHaveLength(1);
    expect(drs.every((r) => r.items.length === 50)).toBe(true);
    expect(clusters.every((r) => r.items.length === 100)).toBe(true);
  });

  it('never answers a reader from a call that left before it asked', async () => {
    // A rate limit of 5/s makes calls wait in the limiter, so readers keep arriving before and after calls leave.
    const { shared, projectId, calls } = await setup(5, { rate: 5, minGapMs: 100 });
    const answers: { askedAt: number; sentAt: number }[] = [];
    const readers = Array.from({ length: 40 }, (_, i) =>
      new Promise((r) => setTimeout(r, i * 37)).then(async () => {
        const askedAt = performance.now();
        const { sentAt } = await shared.drs(projectId);
        answers.push({ askedAt, sentAt });
      })
    );
    await Promise.all(readers);

    expect(answers).toHaveLength(40);
    for (const a of answers) expect(a.sentAt).toBeGreaterThan(a.askedAt);
    // Shared, yet more than one call: readers that came after a call left waited for the next one.
    const made = calls(`/v2/${projectId}/disaster-recoveries`).length;
    expect(made).toBeGreaterThan(1);
    expect(made).toBeLessThan(40);
    expect(shared.calls).toBe(made);
  });

  it('waits at least the gap between two calls of one kind, and drops a call nobody waits for any more', async () => {
    const { shared, projectId, calls } = await setup(3, { minGapMs: 300 });
    const first = await shared.drs(projectId);
    const second = await shared.drs(projectId);
    expect(second.sentAt - first.sentAt).toBeGreaterThanOrEqual(300);

    const gone = new AbortController();
    const abandoned = shared.drs(projectId, { signal: gone.signal });
    gone.abort(new Error('the activity was cancelled'));
    await expect(abandoned).rejects.toThrow('the activity was cancelled');
    await new Promise((r) => setTimeout(r, 400));
    expect(calls(`/v2/${projectId}/disaster-recoveries`)).toHaveLength(2);
  });

  it("leaves no listener on the reader's signal once a read is answered", async () => {
    const { shared, projectId } = await setup(1);
    const alive = new AbortController();
    for (let i = 0; i < 20; i++) await shared.drs(projectId, { signal: alive.signal });
    expect(getEventListeners(alive.signal, 'abort')).toHaveLength(0);
  });

  it('gives every reader of a failed call its error', async () => {
    const { sim, shared, projectId } = await setup(2);
    sim.addFaults([{ method: 'GET', path: `/v2/${projectId}/disaster-recoveries`, status: 503, count: 1 }]);
    const results = await Promise.allSettled([shared.drs(projectId), shared.drs(projectId)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(shared.drs(projectId)).resolves.toMatchObject({ items: expect.any(Array) });
  });

  it('shares a project only while enough of its pairs are active, counting a pair for a while after it read', () => {
    let now = 0;
    const lists = { listDisasterRecoveries: () => Promise.resolve([]), listClusters: () => Promise.resolve([]) };
    const shared = new SharedReads(lists, { shareFrom: 3, activeForMs: 30_000, now: () => now });
    const leave = [shared.enter('p1', 'a'), shared.enter('p1', 'a'), shared.enter('p1', 'b')];
    expect(shared.shares('p1')).toBe(false); // two pairs, however many activities
    leave.push(shared.enter('p1', 'c'));
    expect(shared.shares('p1')).toBe(true);
    expect(shared.shares('p2')).toBe(false);
    for (const l of leave) l();
    leave[0]!(); // leaving twice counts once
    now = 29_000;
    expect(shared.shares('p1')).toBe(true); // pre-checks are short: the pairs are still in flight
    now = 31_000;
    expect(shared.shares('p1')).toBe(false);
    const again = shared.enter('p1', 'a');
    expect(shared.shares('p1')).toBe(false); // the others were forgotten
    again();
  });
});
