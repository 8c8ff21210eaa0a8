import { describe, expect, it } from 'vitest';
import type { ActivityDeps, DrillRecords } from '../../src/activities';
import { assessPairReadiness, readinessPairs } from '../../src/activities/drills/readiness-assess';
import { parseInventory } from '../../src/inventory';
import { conditionsOf, DEFAULT_MAX_DRILL_AGE_SECONDS } from '../../src/shared/drill-readiness';
import { DEFAULT_POLICY } from '../../src/shared/policy';

const NOW = new Date('2026-12-10T00:00:00Z');
const DAY = 86_400;

/** Two pairs whose last passed drill ended 3 days ago; `strict` allows 2 days, `loose` sets no limit. */
function deps(): ActivityDeps {
  const { inventory, problems } = parseInventory(`pairs:
  - { name: strict, project_id: p, dr_id: d1, clusters: [{ id: c1 }, { id: c2 }], policy: { max_drill_age: 2d } }
  - { name: loose, project_id: p, dr_id: d2, clusters: [{ id: c3 }, { id: c4 }] }
`);
  expect(problems).toEqual([]);
  const unreadable = () => Promise.reject(new Error('no DWS in this test'));
  const records: DrillRecords = {
    lastDrills: () =>
      Promise.resolve({ last: null, lastPassedAt: new Date(NOW.getTime() - 3 * DAY * 1000).toISOString() }),
    drillSchedules: () => Promise.resolve([]),
    previousReadiness: () => Promise.resolve(null),
    operationPhase: () => Promise.resolve(null),
  };
  return {
    dws: {
      getDisasterRecovery: unreadable,
      listDisasterRecoveries: unreadable,
      listClusters: unreadable,
      getCluster: unreadable,
      failover: unreadable,
      switchover: unreadable,
      recovery: unreadable,
    },
    history: { lastFailoverAt: () => Promise.resolve(null) },
    drills: { inventory, policy: DEFAULT_POLICY, records },
    now: () => NOW,
  };
}

async function assess(maxDrillAgeSeconds?: number) {
  const d = deps();
  return Promise.all(
    readinessPairs(d).map(({ targets: _targets, ...p }) =>
      assessPairReadiness(d, { ...p, ...(maxDrillAgeSeconds !== undefined ? { maxDrillAgeSeconds } : {}) })
    )
  );
}

describe('the drill age limit of readiness', () => {
  it("takes the pair's max_drill_age over the run's limit, and the run's limit over the default", async () => {
    const [strict, loose] = await assess(DAY);
    expect(strict).toMatchObject({ pair: 'strict', maxDrillAgeSeconds: 2 * DAY, drillOverdue: true });
    expect(loose).toMatchObject({ pair: 'loose', maxDrillAgeSeconds: DAY, drillOverdue: true });
    expect(conditionsOf(strict!).get('drill-overdue')?.summary).toMatch(/older than the 2d allowed/);

    const [strictDefault, looseDefault] = await assess();
    expect(strictDefault).toMatchObject({ maxDrillAgeSeconds: 2 * DAY, drillOverdue: true });
    expect(looseDefault).toMatchObject({ maxDrillAgeSeconds: DEFAULT_MAX_DRILL_AGE_SECONDS, drillOverdue: false });
  });
});
