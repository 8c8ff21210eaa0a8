import { describe, expect, it } from 'vitest';
import { UsageError, type CommandContext } from '../../src/cli/command';
import { simulatorCommand } from '../../src/cli/simulator-command';
import { simulatorOptionsFromArgs } from '../../src/cli/simulator-options';
import { DEMO_AK, DEMO_DR_ID, DEMO_IAM_USER, DEMO_SK } from '../../src/simulator';
import { until } from '../simulator/support';

describe('simulator command line', () => {
  it('defaults to port 8090, the demo seed and the demo credentials', () => {
    expect(simulatorOptionsFromArgs([], {})).toEqual({
      port: 8090,
      host: '127.0.0.1',
      seed: 'demo',
      projectId: undefined,
      region: undefined,
      credentials: [{ ak: DEMO_AK, sk: DEMO_SK }],
      iamUsers: [DEMO_IAM_USER],
    });
  });

  it('reads every knob from flags, with durations in the one grammar', () => {
    const options = simulatorOptionsFromArgs(
      [
        '--port=0',
        '--host',
        '0.0.0.0',
        '--seed',
        'none',
        '--ak',
        'MYAK',
        '--sk',
        'MYSK',
        '--iam-user',
        'acme/bot:pa:ss',
        '--failover-duration',
        '5s',
        '--switchover-duration',
        '2m',
        '--recovery-duration',
        '90',
        '--start-duration',
        '1500ms',
        '--read-after-write',
        '1s',
        '--sync-interval',
        '30s',
        '--failover-status',
        'failovering',
        '--recovery-status',
        'recovering',
        '--failover-allowed-statuses',
        'abnormal, stopped',
        '--wrong-state-status',
        '403',
        '--fail-actions',
        'failover,recovery',
        '--no-auto-resume',
        '--request-log-limit',
        '50',
      ],
      {}
    );
    expect(options).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      seed: 'none',
      credentials: [{ ak: 'MYAK', sk: 'MYSK' }],
      iamUsers: [{ domain: 'acme', name: 'bot', password: 'pa:ss' }],
      failoverDurationMs: 5000,
      switchoverDurationMs: 120_000,
      recoveryDurationMs: 90_000,
      startDurationMs: 1500,
      readAfterWriteMs: 1000,
      syncIntervalMs: 30_000,
      failoverStatus: 'failovering',
      recoveryStatus: 'recovering',
      failoverAllowedStatuses: ['abnormal', 'stopped'],
      wrongStateHttpStatus: 403,
      failActions: ['failover', 'recovery'],
      resumeAfterRestore: false,
      requestLogLimit: 50,
    });
  });

  it('reads DWS_SIM_* variables and the SDK credential variables, flags winning', () => {
    const env = {
      DWS_SIM_PORT: '9000',
      DWS_SIM_FAILOVER_DURATION: '2s',
      DWS_SIM_READ_AFTER_WRITE: '0',
      HUAWEICLOUD_SDK_AK: 'ENVAK',
      HUAWEICLOUD_SDK_SK: 'ENVSK',
      HUAWEICLOUD_IAM_DOMAIN: 'acme',
      HUAWEICLOUD_IAM_USER: 'ops',
      HUAWEICLOUD_IAM_PASSWORD: 'pw',
    };
    expect(simulatorOptionsFromArgs(['--failover-duration', '3s'], env)).toMatchObject({
      port: 9000,
      failoverDurationMs: 3000,
      readAfterWriteMs: 0,
      credentials: [{ ak: 'ENVAK', sk: 'ENVSK' }],
      iamUsers: [{ domain: 'acme', name: 'ops', password: 'pw' }],
    });
    expect(simulatorOptionsFromArgs(['--no-auth'], env)).toMatchObject({ credentials: [], iamUsers: [] });
    expect(simulatorOptionsFromArgs([], { DWS_SIM_NO_AUTH: '1' })).toMatchObject({ credentials: [] });
  });

  it('reads the hostile knobs from flags and DWS_SIM_* variables', () => {
    const options = simulatorOptionsFromArgs(
      [
        '--random-seed',
        '42',
        '--commit-delay',
        '2s',
        '--read-lag-cluster',
        '1s',
        '--read-lag-jitter',
        '--hide-cluster-tasks',
        '--switchover-status',
        'running',
        '--replication-lag',
        '1500ms',
      ],
      { DWS_SIM_READ_LAG_DETAIL: '3s', DWS_SIM_READ_LAG_PROGRESS: '500ms' }
    );
    expect(options).toMatchObject({
      randomSeed: 42,
      commitDelayMs: 2000,
      readLagMs: { detail: 3000, cluster: 1000, progress: 500 },
      readLagJitter: true,
      hideClusterTasks: true,
      switchoverStatus: 'running',
      replicationLagMs: 1500,
    });
    expect(simulatorOptionsFromArgs([], {})).not.toHaveProperty('readLagMs');
  });

  it('reads a bare number as seconds in flags and variables, as every other duration of dws-failover', () => {
    expect(
      simulatorOptionsFromArgs(['--read-after-write', '0.5', '--token-ttl', '3600'], { DWS_SIM_FAILOVER_DURATION: '2' })
    ).toMatchObject({ readAfterWriteMs: 500, tokenTtlMs: 3_600_000, failoverDurationMs: 2000 });
  });

  it('names the flag, its variable and the grammar when a duration is malformed', () => {
    expect(() => simulatorOptionsFromArgs(['--failover-duration', 'soon'], {})).toThrow(
      "simulator: --failover-duration (DWS_SIM_FAILOVER_DURATION) must be a duration like 500ms, 5s or 2m (a bare number is seconds), got 'soon'"
    );
    expect(() => simulatorOptionsFromArgs([], { DWS_SIM_COMMIT_DELAY: '-1s' })).toThrow(
      /--commit-delay \(DWS_SIM_COMMIT_DELAY\) must be a duration .*got '-1s'/
    );
  });

  it('rejects bad values with a usage error naming the flag', () => {
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['--failover-duration', 'soon'], {}, /--failover-duration .*duration/],
      [['--port', 'x'], {}, /--port/],
      [['--seed', 'prod'], {}, /--seed .*demo or none/],
      [['--ak', 'A'], {}, /--ak and --sk/],
      [['--wrong-state-status', '409'], {}, /--wrong-state-status/],
      [['--fail-actions', 'explode'], {}, /--fail-actions/],
      [['--failover-status', 'Fail Over'], {}, /--failover-status/],
      [['--project-id', 'nothex'], {}, /--project-id/],
      [['--iam-user', 'bob'], {}, /--iam-user must look like domain\/name:password/],
      [['--request-log-limit', '0'], {}, /--request-log-limit/],
      [['--frobnicate'], {}, /frobnicate/],
      [[], { DWS_SIM_RECOVERY_DURATION: 'x' }, /DWS_SIM_RECOVERY_DURATION/],
      [['--random-seed', '1.5'], {}, /--random-seed .*whole number/],
      [['--read-lag-list', 'soon'], {}, /--read-lag-list/],
      [['--commit-delay', 'later'], {}, /--commit-delay/],
      [['--switchover-status', 'Switch Over'], {}, /--switchover-status/],
      [['--replication-lag', 'later'], {}, /--replication-lag/],
      [['--region', 'North'], {}, /--region .*region id/],
    ];
    for (const [argv, env, message] of cases) {
      expect(() => simulatorOptionsFromArgs(argv, env), argv.join(' ')).toThrow(UsageError);
      expect(() => simulatorOptionsFromArgs(argv, env), argv.join(' ')).toThrow(message);
    }
  });

  it('prints a full --help', async () => {
    const { ctx, stdout } = context();
    expect(await simulatorCommand.run(['--help'], ctx)).toBe(0);
    for (const flag of [
      '--port',
      '--seed',
      '--failover-duration',
      '--read-after-write',
      '--failover-status',
      '--no-auth',
      '--random-seed',
      '--commit-delay',
      '--read-lag-cluster',
      '--read-lag-jitter',
      '--hide-cluster-tasks',
      '--switchover-status',
      '--replication-lag',
      '/_sim/api-outage',
      '/_sim/regions/{region}/outage',
    ]) {
      expect(stdout()).toContain(flag);
    }
    expect(simulatorCommand.help).toBe(stdout());
  });

  it('serves until the signal aborts, printing the URL, the seeded pair and a credentials hint', async () => {
    const { ctx, stdout, abort } = context();
    const running = simulatorCommand.run(['--port', '0'], ctx);
    const url = await until(() => /listening on (http:\/\/\S+)/.exec(stdout())?.[1]);
    expect(stdout()).toContain(DEMO_DR_ID);
    expect(stdout()).toContain(`HUAWEICLOUD_SDK_AK=${DEMO_AK}`);
    expect((await fetch(`${url}/_sim/state`)).status).toBe(200);

    abort();
    expect(await running).toBe(0);
    await expect(fetch(`${url}/_sim/state`)).rejects.toThrow();
  });
});

function context(): { ctx: CommandContext; stdout: () => string; abort: () => void } {
  const out: string[] = [];
  const stdout = { write: (chunk: string) => out.push(String(chunk)) > 0 } as unknown as NodeJS.WritableStream;
  const stderr = { write: () => true } as unknown as NodeJS.WritableStream;
  const controller = new AbortController();
  const ctx: CommandContext = { stdout, stderr, env: {}, signal: controller.signal };
  return { ctx, stdout: () => out.join(''), abort: () => controller.abort() };
}
