import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { ActivityDeps } from '../../src/activities/deps';
import { followDrAction, type FollowInput, type FollowOutcome } from '../../src/activities/operations/dr-follow';
import { createOperationDurations } from '../../src/activities/operations/operation-durations';
import { AkSkAuthenticator } from '../../src/dws/auth';
import { DwsClient } from '../../src/dws/client';
import { addTestPair, startSimulator, TEST_AK, TEST_SK } from '../simulator/support';

/** The simulator's switchover here takes this long. */
const SWITCHOVER_MS = 2_000;

describe('the cadence of a follow', () => {
  it("learns how long the pair's switchover took, and asks the service's estimate only while it knows none", async () => {
    const sim = await startSimulator({ switchoverDurationMs: SWITCHOVER_MS });
    const dws = new DwsClient({ endpoint: sim.url, auth: new AkSkAuthenticator({ ak: TEST_AK, sk: TEST_SK }) });
    onTestFinished(() => dws.close());
    const durations = createOperationDurations();
    const deps: ActivityDeps = { dws, history: { lastFailoverAt: () => Promise.resolve(null) }, durations };
    const pair = addTestPair(sim, { status: 'running' });
    const key = { projectId: pair.projectId, drId: pair.drId, operation: 'switchover' as const };

    const switchover = async (from: string, to: string) => {
      await dws.switchover(pair.projectId, pair.drId);
      const acceptedAt = new Date();
      const input: FollowInput = {
        ...key,
        oldPrimaryId: from,
        newPrimaryId: to,
        pollIntervalMs: 1_000,
        acceptedAt: acceptedAt.toISOString(),
        deadline: new Date(acceptedAt.getTime() + 30_000).toISOString(),
        known: 'in-progress',
        settleMs: 200,
      };
      const since = sim.requests().at(-1)?.seq ?? 0;
      const outcome = (await new MockActivityEnvironment().run(followDrAction, deps, input)) as FollowOutcome;
      return { outcome, progressReads: sim.requests({ path: pair.progress, since }).length };
    };

    const first = await switchover(pair.primaryId, pair.standbyId);
    expect(first.outcome.completed).toBe(true);
    expect(first.progressReads).toBe(1);
    const learned = durations.expectedMs(key);
    // Seen within one poll interval (1 s) of the end, and taken at the middle of the gap.
    expect(learned).toBeGreaterThan(SWITCHOVER_MS - 1_000);
    expect(learned).toBeLessThan(SWITCHOVER_MS + 1_500);

    const back = await switchover(pair.standbyId, pair.primaryId);
    expect(back.outcome.completed).toBe(true);
    expect(back.progressReads).toBe(0);
    expect(durations.expectedMs(key)).not.toBeNull();
  });
});
