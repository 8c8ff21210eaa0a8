import { describe, expect, it, onTestFinished } from 'vitest';
import {
  createOperationDurations,
  serviceEstimateMs,
  type DurationKey,
} from '../../src/activities/operations/operation-durations';
import { AkSkAuthenticator } from '../../src/dws/auth';
import { DwsClient } from '../../src/dws/client';
import { addTestPair, startSimulator, TEST_AK, TEST_SK } from '../simulator/support';

const FAILOVER: DurationKey = { projectId: 'p1', drId: 'd1', operation: 'failover' };

describe('the operation durations a worker learns', () => {
  it('knows nothing of a pair it has not seen operate', () => {
    expect(createOperationDurations().expectedMs(FAILOVER)).toBeNull();
  });

  it("expects the pair's last operation after one, and the median of the last five after more", () => {
    const durations = createOperationDurations();
    durations.record(FAILOVER, 24_000);
    expect(durations.expectedMs(FAILOVER)).toBe(24_000);
    durations.record(FAILOVER, 30_000);
    expect(durations.expectedMs(FAILOVER)).toBe(27_000);
    for (const ms of [90_000, 26_000, 28_000, 25_000]) durations.record(FAILOVER, ms);
    // 24 s has fallen out; the 90 s outlier does not move the median of 30, 90, 26, 28, 25.
    expect(durations.expectedMs(FAILOVER)).toBe(28_000);
  });

  it('keeps each pair and each kind of operation apart', () => {
    const durations = createOperationDurations();
    durations.record(FAILOVER, 24_000);
    expect(durations.expectedMs({ ...FAILOVER, operation: 'switchover' })).toBeNull();
    expect(durations.expectedMs({ ...FAILOVER, drId: 'd2' })).toBeNull();
    expect(durations.expectedMs({ ...FAILOVER, projectId: 'p2' })).toBeNull();
  });

  it('ignores durations that cannot be durations', () => {
    const durations = createOperationDurations();
    for (const ms of [0, -5_000, Number.NaN, Number.POSITIVE_INFINITY, 7 * 3_600_000]) durations.record(FAILOVER, ms);
    expect(durations.expectedMs(FAILOVER)).toBeNull();
  });

  it('forgets the pair recorded least recently beyond 1,000 pairs', () => {
    const durations = createOperationDurations();
    const pair = (i: number): DurationKey => ({ ...FAILOVER, drId: `d${i}` });
    for (let i = 0; i < 1_000; i += 1) durations.record(pair(i), 20_000 + i);
    durations.record(pair(0), 20_000); // recorded again: now the most recent
    durations.record(pair(1_000), 21_000);
    expect(durations.expectedMs(pair(0))).toBe(20_000);
    expect(durations.expectedMs(pair(1))).toBeNull();
    expect(durations.expectedMs(pair(2))).toBe(20_002);
    expect(durations.expectedMs(pair(1_000))).toBe(21_000);
  });
});

describe("the service's estimate of an operation", () => {
  async function client() {
    const sim = await startSimulator();
    const dws = new DwsClient({ endpoint: sim.url, auth: new AkSkAuthenticator({ ak: TEST_AK, sk: TEST_SK }) });
    onTestFinished(() => dws.close());
    return { sim, dws };
  }

  it('is recovery_time_object of the DR progress read, in ms', async () => {
    const { sim, dws } = await client();
    const pair = addTestPair(sim, { status: 'running' });
    const key = { projectId: pair.projectId, drId: pair.drId, operation: 'switchover' as const };
    expect(await serviceEstimateMs(dws, key)).toBe(30_000);
  });

  it('is null when the pair has never synced (no recovery_time_object)', async () => {
    const { sim, dws } = await client();
    const pair = addTestPair(sim, { status: 'running', lastSuccessTime: null });
    const key = { projectId: pair.projectId, drId: pair.drId, operation: 'switchover' as const };
    expect(await serviceEstimateMs(dws, key)).toBeNull();
  });

  it('is null, never an error, when the read fails or the client has no progress read', async () => {
    const { dws } = await client();
    expect(await serviceEstimateMs(dws, { ...FAILOVER, projectId: '0'.repeat(32) })).toBeNull();
    expect(await serviceEstimateMs({}, FAILOVER)).toBeNull();
  });
});
