import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInventory } from '../../src/inventory';
import { cronProblem } from '../../src/drills/cron';
import { drillProblems } from '../../src/drills/drill-schedule';
import { resolvePairRef } from '../../src/drills/pair-ref';
import { intervalText } from '../../src/drills/schedule-admin';
import { drillScheduleId, isDrillOfPair, scheduledDrillWorkflowId } from '../../src/shared/drills';
import { cli } from '../helpers/cli';

const INVENTORY = `version: 1
pairs:
  - name: sales-dw
    project_id: p1
    dr_id: dr1
    clusters: [{ id: c1 }, { id: c2 }]
  - name: lab-dw
    project_id: p1
    dr_id: dr2
    drill: true
    clusters: [{ id: c3 }, { id: c4 }]
`;

function inventoryPath(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'dws-sched-')), 'inventory.yaml');
  writeFileSync(file, INVENTORY);
  return file;
}

/** Nothing listens there: a command that got past its checks would fail to connect (exit 1, not 2). */
const env = (): Record<string, string> => ({
  TEMPORAL_ADDRESS: '127.0.0.1:1',
  DWS_FAILOVER_INVENTORY: inventoryPath(),
});

describe('cron validation', () => {
  it.each([
    '0 10 * * TUE',
    '*/15 * * * *',
    '0 2 1-7 * MON',
    '30 9 * JAN,JUL 1-5',
    '@weekly',
    '@every 12h',
    '@every 7d/10h',
  ])('accepts %s', (expr) => expect(cronProblem(expr)).toBeNull());

  it.each([
    ['', /empty/],
    ['0 10 * *', /has 4 field\(s\); use 5/],
    ['0 0 10 * * 2 2026', /has 7 field/],
    ['60 10 * * *', /minute '60' is not valid/],
    ['0 24 * * *', /hour '24'/],
    ['0 10 0 * *', /day of month '0'/],
    ['0 10 * 13 *', /month '13'/],
    ['0 10 * * 7', /day of week '7'/],
    ['0 10 * * FUNDAY', /day of week 'FUNDAY'/],
    ['*/0 * * * *', /minute/],
    ['0 10-8 * * *', /hour '10-8'/],
    ['@fortnightly', /not known/],
    ['@every 2 weeks', /not known/],
    ['CRON_TZ=Europe/Berlin 0 10 * * *', /--timezone/],
  ])('refuses %j with a clear message', (expr, why) => expect(cronProblem(expr)).toMatch(why));
});

describe('drill flag validation', () => {
  it('names each bad flag at once', () => {
    const problems = drillProblems({
      mode: 'chaos',
      cron: '0 25 * * *',
      timezone: 'Mars/Olympus',
      blackouts: ['month-end', 'someday'],
    });
    expect(problems.join('\n')).toMatch(
      /--mode 'chaos' is not a drill mode; use precheck, switchover-roundtrip, failover/
    );
    expect(problems.join('\n')).toMatch(/hour '25'/);
    expect(problems.join('\n')).toMatch(/--timezone 'Mars\/Olympus' is not a known IANA time zone/);
    expect(problems.join('\n')).toMatch(/blackout 'someday'/);
    expect(problems).toHaveLength(4);
  });

  it('accepts --soak only for the round trip, and at most a day', () => {
    expect(drillProblems({ mode: 'switchover-roundtrip', soakSeconds: 300 })).toEqual([]);
    expect(drillProblems({ mode: 'precheck', soakSeconds: 300 })).toEqual([
      '--soak only applies to --mode switchover-roundtrip',
    ]);
    expect(drillProblems({ mode: 'switchover-roundtrip', soakSeconds: 90_000 })[0]).toMatch(/between 0s and 24h/);
  });

  it('resolves --pair by inventory name or project/dr, and names the known pairs for an unknown name', () => {
    const { inventory } = parseInventory(INVENTORY, 'inv.yaml');
    expect(resolvePairRef('lab-dw', inventory)).toMatchObject({ projectId: 'p1', drId: 'dr2', name: 'lab-dw' });
    expect(resolvePairRef('p1/dr1', inventory)).toMatchObject({ name: 'sales-dw', entry: { drill: false } });
    expect(resolvePairRef('p9/dr9', inventory)).toMatchObject({ projectId: 'p9', drId: 'dr9', entry: null });
    expect(() => resolvePairRef('hr-dw', inventory)).toThrow(
      /no pair of that name in the inventory \(inv.yaml\); it lists: sales-dw, lab-dw/
    );
    expect(() => resolvePairRef('hr-dw', null)).toThrow(/no inventory is configured/);
    expect(() => resolvePairRef('p 1/dr1', inventory)).toThrow(/project and DR ids/);
  });
});

describe('drill workflow ids', () => {
  it('differ between the schedules of one pair, so two due in the same second both start', () => {
    const ids = (['precheck', 'switchover-roundtrip', 'failover'] as const).map((m) =>
      scheduledDrillWorkflowId('p1', 'dr1', m)
    );
    expect(ids).toEqual([
      'dws-drill:p1:dr1-precheck',
      'dws-drill:p1:dr1-switchover-roundtrip',
      'dws-drill:p1:dr1-failover',
    ]);
    expect(drillScheduleId('p1', 'dr1', 'precheck')).toBe('dws-drill:p1:dr1:precheck');
  });

  it('are known as drills of their pair in every form: run now, scheduled before and after per-schedule ids', () => {
    for (const id of [
      'dws-drill:p1:dr1',
      'dws-drill:p1:dr1-2026-12-01T10:00:00Z',
      'dws-drill:p1:dr1-precheck-2026-12-01T10:00:00Z',
      'dws-drill:p1:dr1-switchover-roundtrip-2026-12-01T10:00:00Z',
    ])
      expect(isDrillOfPair(id, 'p1', 'dr1'), id).toBe(true);
    for (const id of [
      'dws-drill:p1:dr10',
      'dws-drill:p1:dr10-precheck-2026-12-01T10:00:00Z',
      'dws-drill:p2:dr1',
      'dws-failover:p1:dr1',
    ])
      expect(isDrillOfPair(id, 'p1', 'dr1'), id).toBe(false);
  });
});

describe('schedule list', () => {
  it('prints an interval as a duration, with its offset', () => {
    expect(intervalText({ every: 900_000 })).toBe('every 15m');
    expect(intervalText({ every: 86_400_000, offset: 7_200_000 })).toBe('every 1d/2h');
    expect(intervalText({ every: 90_000, offset: 0 })).toBe('every 1m30s');
  });
});

describe('dws-failover schedule and drill usage errors', () => {
  it('schedule create lists every bad flag and exits 2 before connecting', async () => {
    const run = await cli(
      [
        'schedule',
        'create',
        '--pair',
        'hr-dw',
        '--mode',
        'precheck',
        '--cron',
        '0 10 * *',
        '--timezone',
        'Nowhere/City',
        '--blackout',
        'xmas',
      ],
      env()
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no pair of that name/);
    expect(run.stderr).toMatch(/has 4 field/);
    expect(run.stderr).toMatch(/--timezone 'Nowhere\/City'/);
    expect(run.stderr).toMatch(/blackout 'xmas'/);
    expect(run.stderr).toContain('dws-failover schedule --help');
  });

  it('schedule create refuses a failover drill on a pair that is not a drill pair', async () => {
    const run = await cli(
      ['schedule', 'create', '--pair', 'sales-dw', '--mode', 'failover', '--cron', '@weekly'],
      env()
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/sales-dw is not a drill pair/);
  });

  it('schedule create requires --mode and --cron', async () => {
    expect((await cli(['schedule', 'create', '--pair', 'lab-dw', '--mode', 'precheck'], env())).stderr).toMatch(
      /--cron is required/
    );
    expect((await cli(['schedule', 'create', '--pair', 'lab-dw', '--cron', '@weekly'], env())).stderr).toMatch(
      /--mode is required/
    );
  });

  it('drill run refuses an unknown mode, a bad soak and a failover drill of a non-drill pair', async () => {
    expect((await cli(['drill', 'run', '--pair', 'lab-dw', '--mode', 'chaos'], env())).stderr).toMatch(
      /--mode 'chaos'/
    );
    expect(
      (await cli(['drill', 'run', '--pair', 'lab-dw', '--mode', 'switchover-roundtrip', '--soak', 'long'], env()))
        .stderr
    ).toMatch(/--soak 'long' is not a duration/);
    const refused = await cli(['drill', 'run', '--pair', 'sales-dw', '--mode', 'failover'], env());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/sales-dw is not a drill pair/);
  });

  it('schedule pause/trigger need --pair with --mode or an id, and unknown subcommands are usage errors', async () => {
    expect((await cli(['schedule', 'pause'], env())).stderr).toMatch(
      /name the schedule: --pair <name\|project\/dr> --mode <mode>, or its id/
    );
    expect((await cli(['schedule', 'frobnicate'], env())).code).toBe(2);
    expect((await cli(['drill', 'stop'], env())).stderr).toMatch(/unknown subcommand 'stop'/);
  });

  it('readiness schedule refuses an interval under a minute', async () => {
    const run = await cli(['readiness', 'schedule', '--every', '30s'], env());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--every must be at least 1m/);
  });
});
