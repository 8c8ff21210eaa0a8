/**
 * `dws-failover demo --region-outage`: a cross-region pair fails over while the primary region's API endpoint is
 * down. The request goes once, through the standby region's endpoint with the standby's project id, and the report
 * names every endpoint the run tried (README § Pairs in several regions and projects).
 */
import {
  XR_DR_ID,
  XR_DR_NAME,
  XR_PRIMARY_CLUSTER_ID,
  XR_STANDBY_CLUSTER_ID,
  XR_STANDBY_PROJECT_ID,
  XR_STANDBY_REGION,
} from '../devstack/cross-region';
import { DEMO_PROJECT_ID, DEMO_REGION } from '../simulator/seed';
import { OUTCOMES } from '../shared/outcomes';
import type { CommandContext } from './command';
import { renderChecks } from '../report/text';
import { approveSignedAtGate } from '../operations/signed-approval';
import { demoApprover } from './demo-signing';
import { demoScript, followToReport, startDemoFailover, startDemoStack } from './demo-run';

/** Runs the region-outage demo. @returns the exit code: 0 only for one failover request, via the standby region. */
export async function regionOutageDemo(ctx: CommandContext, json: boolean): Promise<number> {
  const script = demoScript(ctx);
  const { out, step } = script;
  out('dws-failover demo --region-outage: a cross-region failover while the primary region is down.');
  step('Starting an embedded Temporal dev server, the DWS simulator (two regions) and a worker…');
  const approver = demoApprover();
  const stack = await startDemoStack(ctx, script, approver, {
    crossRegion: true,
    simulator: { failoverDurationMs: 5000, readAfterWriteMs: 1000, replicationLagMs: 2000 },
  });
  try {
    const sim = stack.simulator;
    step(
      `The pair ${XR_DR_NAME} (${XR_DR_ID}): production ${XR_PRIMARY_CLUSTER_ID} in ${DEMO_REGION} (project ${DEMO_PROJECT_ID}), DR ${XR_STANDBY_CLUSTER_ID} in ${XR_STANDBY_REGION} (project ${XR_STANDBY_PROJECT_ID}); each region keeps a copy of the record, 2 s apart.`
    );
    sim.outage(XR_PRIMARY_CLUSTER_ID);
    sim.regionOutage(DEMO_REGION);
    out(
      `   ${DEMO_REGION} goes down: the production cluster, and the region's API endpoint with it (connections reset).`
    );

    step('Starting the failover, as an alert would:');
    const atGate = await startDemoFailover(ctx, script, stack, approver, {
      projectId: DEMO_PROJECT_ID,
      drId: XR_DR_ID,
      reason: `demo: ${DEMO_REGION} is down`,
      failedClusterId: XR_PRIMARY_CLUSTER_ID,
      // Short intervals so the demo takes seconds; production defaults are in README § Configuration.
      policy: { requestRetryInitialIntervalSeconds: 1, pollIntervalSeconds: 1, approvalTimeoutSeconds: 300 },
    });
    if (!atGate) return 1;
    const { handle, gate } = atGate;
    out(
      `   The pre-checks read the ${XR_STANDBY_REGION} copy; the production cluster cannot be read, so a person decides:`
    );
    for (const line of renderChecks(gate.checks)) out(`   ${line}`);
    for (const a of gate.route?.answers ?? [])
      out(`     endpoint ${a.region ?? a.endpoint} ${a.answered ? 'answered' : 'did not answer'}: ${a.note}`);
    out(`     why approval: ${gate.approval?.reasons.join('; ')}`);
    out(
      `   The demo approves as "${approver.name}", signed with its key (an SRE would run: dws-failover approve ${handle.workflowId} …).`
    );
    await approveSignedAtGate(handle, approver, gate, `demo: ${DEMO_REGION} is down`, 'demo');

    step(`Following the failover (the ${DEMO_REGION} endpoint gets the pair's read-outage allowance, 10 s, first):`);
    const report = await followToReport(ctx, script, handle, json);
    if (!report) return 1;

    step('What the simulator received on POST …/failover, in every region:');
    const posts = sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith(`/${XR_DR_ID}/failover`));
    for (const r of posts)
      out(`   #${r.seq} ${r.region ?? '?'} ${r.path} → ${r.status ?? 'no answer'}${r.accepted ? ' (accepted)' : ''}`);
    const ok =
      report.outcome === 'failed-over' &&
      posts.length === 1 &&
      posts[0]?.region === XR_STANDBY_REGION &&
      posts[0]?.accepted === true;
    out();
    out(
      ok
        ? `OK: outcome ${report.outcome}; one failover request, through ${XR_STANDBY_REGION} with project ${XR_STANDBY_PROJECT_ID}.`
        : `FAILED: outcome ${report.outcome} [${OUTCOMES[report.outcome].code}]; ${posts.length} failover request(s): ${posts.map((p) => p.region).join(', ')}.`
    );
    return ok ? 0 : 1;
  } finally {
    await stack.stop();
  }
}
