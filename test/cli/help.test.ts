import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/main';
import { binary, cli } from '../helpers/cli';

const ROOT = path.resolve(__dirname, '../..');

/** A valid Temporal setting that nothing listens on: a command that got past its checks would fail to connect. */
const UNREACHABLE_TEMPORAL = { TEMPORAL_ADDRESS: '127.0.0.1:1' };

describe('dws-failover --help', () => {
  it('lists every command with its summary and exits 0', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Usage: dws-failover <command> \[options\]/);
    for (const command of COMMANDS) {
      expect(run.stdout).toMatch(new RegExp(`^  ${command.name} +${escape(command.summary)}$`, 'm'));
    }
  });

  it('lists the runbook commands the CLI ships with', async () => {
    const { stdout } = await cli(['--help']);
    const listed = [...stdout.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((m) => m[1]);
    expect(listed).toEqual(
      expect.arrayContaining(['failover', 'precheck', 'status', 'report', 'worker', 'simulator', 'dev', 'demo'])
    );
  });

  it('answers -h and help like --help', async () => {
    const help = await cli(['--help']);
    for (const alias of ['-h', 'help']) {
      const run = await cli([alias]);
      expect(run.code, alias).toBe(0);
      expect(run.stdout, alias).toBe(help.stdout);
    }
  });

  it('prints the usage and exits 2 when no command is given', async () => {
    const run = await cli([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^Usage: dws-failover <command>/);
  });

  it('prints the package version for --version', async () => {
    const run = await cli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('dws-failover <command> --help', () => {
  it.each(COMMANDS.map((c) => c.name))('%s --help prints its Usage line and exits 0', async (name) => {
    const run = await cli([name, '--help'], UNREACHABLE_TEMPORAL);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(new RegExp(`^Usage: dws-failover ${name}\\b`));
  });

  it.each(COMMANDS.map((c) => c.name))('%s -h prints the same help as --help', async (name) => {
    const long = await cli([name, '--help'], UNREACHABLE_TEMPORAL);
    const short = await cli([name, '-h'], UNREACHABLE_TEMPORAL);
    expect(short.code).toBe(0);
    expect(short.stdout).toBe(long.stdout);
  });

  it('documents the exit codes of failover', async () => {
    const { stdout } = await cli(['failover', '--help']);
    expect(stdout).toMatch(/^Exit codes:\n {2}0 .*\n {2}1 +error.*\n {2}2 +usage/m);
    expect(stdout).toMatch(/^ {2}3 +precheck-failed/m);
    for (const flag of ['--pair', '--project', '--dr', '--reason', '--failed-cluster', '--force', '--wait', '--json']) {
      expect(stdout).toContain(flag);
    }
  });
});

describe('dws-failover usage errors', () => {
  it('exits 2 naming an unknown command and pointing to --help', async () => {
    const run = await cli(['fail-over']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("unknown command 'fail-over'");
    expect(run.stderr).toContain('dws-failover --help');
  });

  it.each(COMMANDS.map((c) => c.name))('%s exits 2 naming an unknown flag and pointing to its --help', async (name) => {
    const run = await cli([name, '--frobnicate'], UNREACHABLE_TEMPORAL);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--frobnicate');
    expect(run.stderr).toContain(`dws-failover ${name} --help`);
  });

  it('exits 2 naming --dr when failover is started without it', async () => {
    const run = await cli(['failover', '--project', 'p1', '--reason', 'outage'], UNREACHABLE_TEMPORAL);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--dr is required');
    expect(run.stderr).toContain('dws-failover failover --help');
  });

  it('exits 2 naming --reason when failover is started without it', async () => {
    const run = await cli(['failover', '--project', 'p1', '--dr', 'dr1'], UNREACHABLE_TEMPORAL);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--reason is required');
  });

  it('exits 2 naming --dr when precheck is run without it', async () => {
    const run = await cli(['precheck', '--project', 'p1'], {
      ...UNREACHABLE_TEMPORAL,
      DWS_ENDPOINT: 'http://127.0.0.1:1',
      HUAWEICLOUD_SDK_AK: 'AK',
      HUAWEICLOUD_SDK_SK: 'SK',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--dr is required');
  });

  it.each(['status', 'report', 'watch'])(
    '%s exits 2 naming the three ways to name a run when none is given',
    async (name) => {
      const run = await cli([name], UNREACHABLE_TEMPORAL);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`^${name}: give one run: a workflow id .*--run <run id> or --pair`));
    }
  );

  it.each(['status', 'report', 'watch'])('%s exits 2 when given both a workflow id and --run', async (name) => {
    const run = await cli([name, 'dws-failover:p:d', '--run', 'r'], UNREACHABLE_TEMPORAL);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^${name}: give one run`));
  });

  it('exits 2 when status gets a second positional argument', async () => {
    const run = await cli(['status', 'dws-failover:p:d', 'extra'], UNREACHABLE_TEMPORAL);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unexpected argument 'extra'");
  });

  it('exits 2 for a report format other than text or json', async () => {
    const run = await cli(['report', 'dws-failover:p:d', '--format', 'xml'], UNREACHABLE_TEMPORAL);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--format must be text, json or html, got 'xml'");
  });
});

describe('dws-failover with invalid configuration', () => {
  it.each([
    ['failover', '--project', 'p1', '--dr', 'dr1', '--reason', 'outage'],
    ['status', 'dws-failover:p1:dr1'],
    ['report', 'dws-failover:p1:dr1'],
    ['precheck', '--project', 'p1', '--dr', 'dr1'],
  ])('%s exits 2 naming the invalid variable before touching Temporal', async (...argv) => {
    const run = await cli(argv, {
      ...UNREACHABLE_TEMPORAL,
      DWS_ENDPOINT: 'http://127.0.0.1:1',
      HUAWEICLOUD_SDK_AK: 'AK',
      HUAWEICLOUD_SDK_SK: 'SK',
      DWS_FAILOVER_DATA_LOSS_BUDGET: 'abc',
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Invalid configuration:/);
    expect(run.stderr).toContain("DWS_FAILOVER_DATA_LOSS_BUDGET='abc'");
    expect(run.stderr).not.toMatch(/Cannot reach Temporal/);
  });

  it('lists every invalid variable in the one message', async () => {
    const run = await cli(['status', 'dws-failover:p1:dr1'], {
      ...UNREACHABLE_TEMPORAL,
      DWS_FAILOVER_DATA_LOSS_BUDGET: 'abc',
      DWS_FAILOVER_LOG_LEVEL: 'loud',
      DWS_ENDPOINT: 'nope',
    });
    expect(run.code).toBe(2);
    for (const variable of ['DWS_FAILOVER_DATA_LOSS_BUDGET', 'DWS_FAILOVER_LOG_LEVEL', 'DWS_ENDPOINT']) {
      expect(run.stderr).toContain(`  - ${variable}=`);
    }
  });

  it('precheck exits 2 asking for the DWS endpoint and credentials when none are configured', async () => {
    const run = await cli(['precheck', '--project', 'p1', '--dr', 'dr1'], UNREACHABLE_TEMPORAL);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('DWS_REGION');
    expect(run.stderr).toContain('No DWS credentials');
  });
});

describe('bin/dws-failover.js', () => {
  it('prints the command list from the build, or says how to build it when lib/ is missing', async () => {
    const built = existsSync(path.join(ROOT, 'lib/cli/main.js'));
    const run = await binary(['--help']);
    if (built) {
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: dws-failover <command> \[options\]/);
      expect(run.stdout).toMatch(/^ {2}failover +/m);
    } else {
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('not built yet; run `npm run build`');
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
