/**
 * Readiness across regions (README § Pairs in several regions and projects): for a cross-region pair, readiness
 * reads each region's copy through the worker's DWS fleet and says which endpoints answer and whether the standby
 * region's endpoint could take the failover. Through the simulator over loopback, two regions on one port.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { assessPairReadiness } from '../../src/activities/drills/readiness-assess';
import { renderReadiness } from '../../src/cli/drill-render';
import { loadConfig } from '../../src/config';
import { createDwsFleet } from '../../src/dws/factory';
import { createSimulator } from '../../src/simulator';

const NORTH = 'cn-north-4';
const SOUTH = 'cn-south-1';
const AK = 'READINESSACCESSKEY01';
const SK = 'readiness-secret-key-for-the-simulator';
const project = (): string => randomBytes(16).toString('hex');

/** A simulator with a cross-region pair (cn-north-4 ↔ cn-south-1) and the worker's fleet over it. */
async function crossRegionPair(replicationLagMs: number, primaryStatus: 'AVAILABLE' | 'UNAVAILABLE' = 'UNAVAILABLE') {
  const sim = await createSimulator({ credentials: [{ ak: AK, sk: SK }], replicationLagMs, readAfterWriteMs: 0 });
  onTestFinished(() => sim.close());
  const [north, south, drId, primaryId, standbyId] = [project(), project(), randomUUID(), randomUUID(), randomUUID()];
  sim.addPair({
    id: drId,
    drType: 'region',
    status: 'running',
    version: '8.2.1',
    primary: { id: primaryId, region: NORTH, projectId: north, status: primaryStatus },
    standby: { id: standbyId, region: SOUTH, projectId: south },
  });
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'dws-readiness-')), 'inventory.yaml');
  writeFileSync(
    file,
    `version: 1
projects:
  - { id: ${north}, region: ${NORTH}, endpoint: "${sim.url}/regions/${NORTH}" }
  - { id: ${south}, region: ${SOUTH}, endpoint: "${sim.url}/regions/${SOUTH}" }
pairs:
  - name: ledger
    project_id: ${north}
    dr_id: ${drId}
    dr_type: region
    clusters: [{ id: ${primaryId} }, { id: ${standbyId}, project_id: ${south} }]
`
  );
  const config = loadConfig(
    { DWS_FAILOVER_INVENTORY: file, HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SK: SK, DWS_RATE_LIMIT: '0' },
    { requireDws: true }
  );
  const fleet = createDwsFleet(config);
  onTestFinished(() => fleet.close());
  const assess = () =>
    assessPairReadiness(
      {
        dws: fleet,
        topology: (p, d) => fleet.topology(p, d),
        // No Temporal here: the cooldown check reads "no previous failover".
        history: { lastFailoverAt: () => Promise.resolve(null) },
      },
      { name: 'ledger', projectId: north, drId, drill: false, maxDrillAgeSeconds: 86_400, missedGraceSeconds: 600 }
    );
  return { sim, north, south, drId, primaryId, standbyId, assess };
}

describe('readiness of a cross-region pair', () => {
  it('lists both endpoints as answering and the standby region as able to take the failover', async () => {
    const p = await crossRegionPair(0);
    const r = await p.assess();
    expect(r.endpoints?.map((e) => [e.region, e.answered])).toEqual([
      [NORTH, true],
      [SOUTH, true],
    ]);
    expect(r.standbyEndpoint).toMatchObject({ ready: true });
    expect(renderReadiness([r])).toContain(`standby region could take the failover`);
  });

  it("says the primary region's endpoint does not answer while it is down, and that the standby region could still take the failover", async () => {
    const p = await crossRegionPair(0);
    p.sim.regionOutage(NORTH);
    const r = await p.assess();
    expect(r.endpoints?.find((e) => e.region === NORTH)).toMatchObject({ answered: false });
    expect(r.endpoints?.find((e) => e.region === SOUTH)).toMatchObject({ answered: true });
    expect(r.standbyEndpoint).toMatchObject({ ready: true });
    expect(renderReadiness([r])).toMatch(new RegExp(`endpoint ${NORTH} .* DOES NOT ANSWER`));
  });

  it("says the standby region could not take the failover while its endpoint is down, or while its copy differs from the primary region's", async () => {
    const down = await crossRegionPair(0);
    down.sim.regionOutage(SOUTH, { mode: 'unavailable' });
    const r = await down.assess();
    expect(r.standbyEndpoint?.ready).toBe(false);
    expect(r.standbyEndpoint?.note).toMatch(/does not answer/);

    // The primary cluster fails in its region: that region's copy shows the pair abnormal at once, the standby
    // region's only a replication lag later. Until then the standby region would judge a failover on other facts.
    const lagging = await crossRegionPair(60_000, 'AVAILABLE');
    lagging.sim.outage(lagging.primaryId);
    const l = await lagging.assess();
    expect(l.endpoints?.map((e) => e.answered)).toEqual([true, true]);
    expect(l.standbyEndpoint?.ready).toBe(false);
    expect(l.standbyEndpoint?.note).toMatch(/differs from the primary region's/);
    expect(renderReadiness([l])).toContain('standby region could NOT take the failover');
  });
});
