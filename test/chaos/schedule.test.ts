import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from '../../scripts/chaos/random';
import {
  drawRegionPlan,
  drawRunPlan,
  FAULT_KINDS,
  MAX_COMMIT_PLUS_LAG_MS,
  temporalRestartSchedule,
} from '../../scripts/chaos/schedule';

const plans = (seed: number, n: number) => Array.from({ length: n }, (_, i) => drawRunPlan(seed, i + 1));

describe('chaos schedule', () => {
  it('draws the same plan for the same seed and run', () => {
    expect(plans(1, 50)).toEqual(plans(1, 50));
  });

  it('draws run K alone exactly as it draws it among the others', () => {
    expect(drawRunPlan(99, 17)).toEqual(plans(99, 20)[16]);
  });

  it('draws different plans for different seeds', () => {
    expect(plans(1, 10)).not.toEqual(plans(2, 10));
  });

  it('draws failovers most often, and switchovers and recoveries too', () => {
    const ops = plans(3, 400).map((p) => p.op);
    const share = (op: string) => ops.filter((o) => o === op).length / ops.length;
    expect(share('failover')).toBeGreaterThan(0.5);
    expect(share('switchover')).toBeGreaterThan(0.1);
    expect(share('recovery')).toBeGreaterThan(0.1);
  });

  it('makes about a third of the runs cross-region, from a stream of their own, within bounds', () => {
    const all = plans(8, 600);
    const regional = all.filter((p) => p.regions !== null);
    expect(regional.length / all.length).toBeGreaterThan(0.25);
    expect(regional.length / all.length).toBeLessThan(0.42);
    for (const p of all) expect(p.regions).toEqual(drawRegionPlan(8, p.run));
    for (const p of regional) {
      expect(p.regions?.replicationLagMs).toBeLessThanOrEqual(4000);
      if (p.regions?.outage) expect(p.regions.outage.atMs).toBeLessThanOrEqual(12_000);
    }
    expect(regional.some((p) => p.regions?.outage?.durationMs === null)).toBe(true);
    expect(regional.some((p) => p.regions?.failoverEndpoint === 'primary-region')).toBe(true);
  });

  it('keeps every plan within the planned bounds', () => {
    for (const plan of plans(5, 500)) {
      expect(plan.faults.length).toBeLessThanOrEqual(4);
      expect(new Set(plan.faults.map((f) => f.kind)).size).toBe(plan.faults.length);
      expect(plan.workerKills.length).toBeLessThanOrEqual(2);
      for (const kill of plan.workerKills) {
        expect(kill.atMs).toBeLessThanOrEqual(15_000);
        expect(kill.downMs).toBeLessThanOrEqual(3000);
      }
      for (const d of Object.values(plan.simulator).slice(0, 3)) {
        expect(d).toBeGreaterThanOrEqual(1000);
        expect(d).toBeLessThanOrEqual(4000);
      }
      let commit = 0;
      let lag = 0;
      for (const f of plan.faults) {
        if (f.kind === 'commit-delay') commit = f.commitDelayMs;
        if (f.kind === 'read-lag') lag = Math.max(...Object.values(f.readLagMs));
        if (f.kind === 'old-primary-returns') expect(plan.op).toBe('failover');
        if (f.kind === 'post-timeout') expect(f.rule.delayMs).toBeGreaterThan(3000);
      }
      expect(commit + lag).toBeLessThanOrEqual(MAX_COMMIT_PLUS_LAG_MS);
      expect(plan.recoveryFromStatus !== null).toBe(plan.op === 'recovery');
    }
  });

  it('draws every kind of fault somewhere in a few hundred runs', () => {
    const kinds = new Set(plans(11, 300).flatMap((p) => p.faults.map((f) => f.kind)));
    expect([...kinds].sort()).toEqual([...FAULT_KINDS].sort());
  });

  it('schedules Temporal restarts 40–90 s apart, the same for the same seed', () => {
    const take = (seed: number) => {
      const gen = temporalRestartSchedule(seed);
      return Array.from({ length: 20 }, () => gen.next().value);
    };
    expect(take(8)).toEqual(take(8));
    for (const step of take(8)) {
      expect(step?.gapMs).toBeGreaterThanOrEqual(40_000);
      expect(step?.gapMs).toBeLessThanOrEqual(90_000);
      expect(step?.downMs).toBeGreaterThanOrEqual(1000);
      expect(step?.downMs).toBeLessThanOrEqual(3000);
    }
  });
});

describe('chaos random streams', () => {
  it('gives independent streams for different runs of one seed', () => {
    expect(deriveSeed(1, 1)).not.toBe(deriveSeed(1, 2));
    expect(deriveSeed(1, 1)).not.toBe(deriveSeed(2, 1));
  });

  it('repeats a stream for the same seed and stays in range', () => {
    const a = createRng(123);
    const b = createRng(123);
    for (let i = 0; i < 1000; i++) {
      const n = a.int(3, 7);
      expect(n).toBe(b.int(3, 7));
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(7);
    }
  });

  it('samples distinct elements', () => {
    const picked = createRng(9).sample([1, 2, 3, 4, 5], 5);
    expect([...picked].sort()).toEqual([1, 2, 3, 4, 5]);
  });
});
