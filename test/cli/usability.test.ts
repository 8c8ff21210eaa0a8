import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { COMMANDS } from '../../src/cli/main';
import { resolvePairFlags } from '../../src/cli/pair-option';
import { fitToHeight, type WatchScreen } from '../../src/cli/watch-view';
import { closeMatches } from '../../src/shared/suggest';
import { binary, cli } from '../helpers/cli';
import { signingEnv } from '../helpers/decisions';

/** A valid Temporal setting that nothing listens on: a command that got past its checks would fail to connect. */
const UNREACHABLE_TEMPORAL = { TEMPORAL_ADDRESS: '127.0.0.1:1' };

/** An inventory naming two pairs, removed when the test ends. */
function inventory(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dws-cli-inventory-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'inventory.yaml');
  const pair = (name: string, dr: string): string =>
    `  - name: ${name}\n    project_id: p1\n    dr_id: ${dr}\n    clusters:\n      - { id: ${dr}-a, name: a }\n      - { id: ${dr}-b, name: b }\n`;
  writeFileSync(file, `version: 1\npairs:\n${pair('sales-dw', 'dr1')}${pair('lab-dw', 'dr2')}`);
  return file;
}

describe('did you mean', () => {
  it('suggests the command closest to a mistyped one, on stderr, with exit code 2', async () => {
    const run = await binary(['stauts']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(
      "dws-failover: unknown command 'stauts'. Did you mean 'status'? See 'dws-failover --help' for the list."
    );
  });

  it("rewrites the parser's unknown-option error into one line with the closest flag and the command's help", async () => {
    const run = await binary(['status', '--pari', 'sales-dw']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(
      "dws-failover: unknown option --pari for 'status'. Did you mean --pair? See 'dws-failover status --help'."
    );
    expect(run.stderr).not.toContain('To specify a positional argument');
  });

  it('suggests a flag by its prefix and a subcommand by distance', async () => {
    expect((await cli(['failover', '--forc'])).stderr).toContain('Did you mean --force?');
    const sub = await cli(['schedule', 'trigerr']);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain("unknown subcommand 'trigerr' for 'schedule'. Did you mean 'trigger'?");
  });

  it('suggests nothing for a name far from every known one', () => {
    expect(
      closeMatches(
        'frobnicate',
        COMMANDS.map((c) => c.name)
      )
    ).toEqual([]);
    expect(closeMatches('dt', ['dr', 'json'])).toEqual(['dr']);
  });
});

describe('--pair', () => {
  /** Every command (and subcommand) that names a pair, with the rest of a valid command line. */
  const PAIR_COMMANDS: string[][] = [
    ['failover', '--reason', 'outage'],
    ['switchover', '--reason', 'planned'],
    ['recover', '--reason', 'old primary is back'],
    ['precheck'],
    ['status'],
    ['report'],
    ['watch'],
    ['approve', '--comment', 'INC-1'],
    ['reject', '--comment', 'INC-1'],
    ['cancel', '--comment', 'INC-1'],
    ['drill', 'run', '--mode', 'precheck'],
    ['drill', 'status'],
    ['schedule', 'create', '--mode', 'precheck', '--cron', '@daily'],
    ['schedule', 'pause', '--mode', 'precheck'],
    ['schedule', 'trigger', '--mode', 'precheck'],
    ['readiness'],
  ];
  const env = (file: string): NodeJS.ProcessEnv => ({
    ...UNREACHABLE_TEMPORAL,
    DWS_FAILOVER_INVENTORY: file,
    DWS_ENDPOINT: 'http://127.0.0.1:1',
    HUAWEICLOUD_SDK_AK: 'AK',
    HUAWEICLOUD_SDK_SK: 'SK',
    // approve, reject and cancel sign with it; the starts too.
    ...signingEnv(),
  });

  it('every pair-taking command accepts --pair <inventory name> (it gets past its usage checks)', async () => {
    const file = inventory();
    // In parallel: each one that gets past its checks waits for the unreachable Temporal's connect timeout.
    const runs = await Promise.all(PAIR_COMMANDS.map((argv) => cli([...argv, '--pair', 'sales-dw'], env(file))));
    runs.forEach((run, i) => {
      const name = PAIR_COMMANDS[i]?.slice(0, 2).join(' ');
      expect(run.stderr, name).not.toMatch(/--pair|unknown option|is required/);
      expect(run.code, name).not.toBe(2);
    });
  });

  it.each(PAIR_COMMANDS.map((argv) => [argv.slice(0, 2).join(' '), argv]))(
    '%s names --pair and the closest inventory names for an unknown pair, with exit code 2',
    async (_name, argv) => {
      const typo = await cli([...argv, '--pair', 'sales-wd'], env(inventory()));
      expect(typo.code).toBe(2);
      expect(typo.stderr).toContain("--pair 'sales-wd': no pair of that name in the inventory");
      expect(typo.stderr).toContain('did you mean sales-dw?');
    }
  );

  it('takes <project id>/<DR id> without an inventory, and refuses --pair with --project/--dr', async () => {
    const both = await cli(
      ['failover', '--pair', 'p1/dr1', '--project', 'p1', '--dr', 'dr1', '--reason', 'x'],
      UNREACHABLE_TEMPORAL
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give the pair once: --pair <name|project/dr>, or --project with --dr');
    const unread = (): never => {
      throw new Error('the inventory was read');
    };
    expect(resolvePairFlags('status', { pair: 'p1/dr1' }, { inventory: unread })).toMatchObject({
      projectId: 'p1',
      drId: 'dr1',
      entry: null,
    });
    expect(() => resolvePairFlags('status', { pair: 'p1/dr/x' }, { inventory: () => null })).toThrow(
      /--pair 'p1\/dr\/x' is a name, but no inventory is configured/
    );
  });
});

describe('every --help', () => {
  it.each(COMMANDS.map((c) => c.name))(
    '%s --help has an Options section and its own Exit codes section',
    async (name) => {
      const { code, stdout } = await cli([name, '--help'], UNREACHABLE_TEMPORAL);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Options( \([^)]*\))?:$/m);
      const exitCodes = /^Exit codes[^:\n]*:\n((?: {2}\d+ +.*\n?)+)/m.exec(stdout);
      expect(exitCodes, 'an Exit codes section with one code a line').not.toBeNull();
      expect(exitCodes?.[1]).toMatch(/^ {2}0 +/m);
      expect(exitCodes?.[1], 'usage errors exit 2').toMatch(/^ {2}2 +usage/m);
    }
  );
});

describe('watch on a short terminal', () => {
  const screen: WatchScreen = {
    header: [
      'Failover of DR dr1 in project p1',
      '  workflow   dws-failover:p1:dr1',
      '  phase      polling',
      '  reason     x',
    ],
    details: ['  data loss  3s (budget 5m)', '  requests   1 sent'],
    timeline: ['  timeline', ...Array.from({ length: 20 }, (_, i) => `    t${i}  phase-${i}`)],
    footer: ['', 'Updated now, every 1s.', 'Ctrl-C stops watching; the run goes on.'],
  };

  it('keeps the header and the newest timeline lines within the given rows, marking the earlier ones', () => {
    const lines = fitToHeight(screen, 15);
    expect(lines).toHaveLength(15);
    expect(lines.slice(0, 4)).toEqual(screen.header);
    expect(lines).toContain('    … 16 earlier lines');
    expect(lines).toContain('    t19  phase-19');
    expect(lines).not.toContain('    t15  phase-15');
    expect(lines.at(-1)).toBe('Ctrl-C stops watching; the run goes on.');
  });

  it('shows everything when it fits or when there is no terminal height (output to a file)', () => {
    const all = [...screen.header, ...screen.details, ...screen.timeline, ...screen.footer];
    expect(fitToHeight(screen, undefined)).toEqual(all);
    expect(fitToHeight(screen, all.length)).toEqual(all);
  });

  it('drops the timeline and footer before the details, and never the current phase', () => {
    expect(fitToHeight(screen, 6)).toEqual([...screen.header, ...screen.details]);
    const tiny = fitToHeight(screen, 3);
    expect(tiny).toHaveLength(3);
    expect(tiny).toContain('  phase      polling');
  });
});
