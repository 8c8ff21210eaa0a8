/**
 * `dws-failover demo --region-outage`, as a user runs it: its own embedded Temporal dev server, the simulator with two
 * regions and a worker, in a child process. It exits 0 only when the cross-region failover went once, through the
 * standby region, and completed.
 */
import { describe, expect, inject, it } from 'vitest';
import { spawnCli } from '../helpers/worker-process';

describe('dws-failover demo --region-outage', () => {
  it('fails the cross-region pair over through the standby region while the primary region is down, with one request', async () => {
    const demo = spawnCli(['demo', '--region-outage'], {
      TEMPORAL_CLI_PATH: inject('temporalCliPath'),
      DWS_FAILOVER_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
    });
    const code = await new Promise<number | null>((resolve) => demo.child.once('exit', resolve));
    const output = demo.output();
    expect(code, output).toBe(0);
    expect(output).toMatch(/endpoint {3}cn-north-4 \(.*\) did not answer/);
    expect(output).toMatch(/request to cn-south-1 \(.*\): the primary region's endpoint .* did not answer for \d+ s/);
    expect(output).toMatch(/#1 sent .* via cn-south-1 .* → accepted/);
    expect(output.match(/→ 200 \(accepted\)/g)).toHaveLength(1);
    expect(output).toContain('OK: outcome failed-over; one failover request, through cn-south-1');
  }, 120_000);
});
