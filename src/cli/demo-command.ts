/**
 * `dws-failover demo`: the main job on embedded defaults. A warehouse dies, the failover call meets a 503 burst and
 * an answer lost after acceptance, and the workflow still sends exactly one accepted request and completes.
 */
import { DEMO_DR_ID, DEMO_PRIMARY_CLUSTER_ID, DEMO_PROJECT_ID, DEMO_STANDBY_CLUSTER_ID } from '../simulator/seed';
import { OUTCOMES } from '../shared/outcomes';
import { createLogger } from '../logger';
import { installSdkLogger } from '../temporal/sdk-logger';
import { parseCommandArgs, println, type Command } from './command';
import { renderChecks } from '../report/text';
import { formatSeconds } from '../shared/duration';
import { demoScript, followToReport, startDemoFailover, startDemoStack } from './demo-run';
import { approveSignedAtGate } from '../operations/signed-approval';
import { demoApprover } from './demo-signing';
import { regionOutageDemo } from './demo-region';

const HELP = `Usage: dws-failover demo [--region-outage] [--json]

Runs a complete failover on a local stack (embedded Temporal dev server, DWS simulator, worker):
takes the primary cluster down, makes the failover call answer 503 twice and then "accept but
lose the answer" (500), shows the approval gate and approves it, runs the failover with live progress and prints the report.
Decisions are signed, as in production: the demo makes a key of its own (in memory, never written),
its worker trusts it as the person dws-failover-demo, and the demo signs its start and its approval.
Exits 0 only if the outcome is failed-over and the simulator received no failover request after
the first accepted one. Needs nothing but this package (the Temporal CLI is built on first use).

Options:
  --region-outage   Instead: a cross-region pair (cn-north-4 to cn-south-1) whose primary region's API
                    endpoint is down. The failover goes once, through the standby region's endpoint
                    with the standby's project id, after the pair's read-outage allowance (10 s).
                    Exits 0 only for that one request and the outcome failed-over.
  --json            Print the report as JSON.
  -h, --help        This help

Exit codes:
  0    the outcome is failed-over and exactly one failover request was accepted
  1    anything else (the run, the stack or the check failed)
  2    usage (unknown flag)`;

const FAILOVER_PATH = `/v2/${DEMO_PROJECT_ID}/disaster-recovery/${DEMO_DR_ID}/failover`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Fail over a simulated DR pair end to end, with injected faults',
  help: HELP,
  async run(argv, ctx) {
    const { values } = parseCommandArgs('demo', argv, {
      json: { type: 'boolean' },
      'region-outage': { type: 'boolean' },
    });
    if (values.help) return (println(ctx.stdout, HELP), 0);
    if (values['region-outage']) {
      installSdkLogger(createLogger({ component: 'worker' }), 'ERROR');
      return regionOutageDemo(ctx, values.json ?? false);
    }
    const script = demoScript(ctx);
    const { out, step } = script;

    out('dws-failover demo: a DR failover on a local stack, with the faults a real outage brings.');
    // The demo tells its own story; the SDK only speaks up for errors.
    installSdkLogger(createLogger({ component: 'worker' }), 'ERROR');
    step('Starting an embedded Temporal dev server, the DWS simulator and a worker…');
    const approver = demoApprover();
    const stack = await startDemoStack(ctx, script, approver, {
      simulator: { failoverDurationMs: 5000, readAfterWriteMs: 1000 },
    });
    try {
      const sim = stack.simulator;
      step(
        `The demo pair dws-prod-dr (${DEMO_DR_ID}): primary ${DEMO_PRIMARY_CLUSTER_ID}, standby ${DEMO_STANDBY_CLUSTER_ID}.`
      );
      await sim.outage(DEMO_PRIMARY_CLUSTER_ID);
      out(`   The primary cluster goes down (simulated outage): its DR turns abnormal.`);
      step('Injecting faults on POST …/failover: 503, 503, then a 500 after the service accepted the request.');
      sim.addFaults([
        { method: 'POST', path: FAILOVER_PATH, status: 503, count: 2 },
        { method: 'POST', path: FAILOVER_PATH, acceptThen500: true, count: 1 },
      ]);

      step('Starting the failover, as an alert would. The demo policy asks a person to approve every failover:');
      const atGate = await startDemoFailover(ctx, script, stack, approver, {
        projectId: DEMO_PROJECT_ID,
        drId: DEMO_DR_ID,
        reason: 'demo: production warehouse unreachable',
        failedClusterId: DEMO_PRIMARY_CLUSTER_ID,
        // Short intervals so the demo takes seconds; production defaults are in README § Configuration.
        policy: {
          requestRetryInitialIntervalSeconds: 1,
          readAfterWriteWindowSeconds: 3,
          pollIntervalSeconds: 1,
          heartbeatTimeoutSeconds: 10,
          approval: 'always',
          approvalTimeoutSeconds: 300,
        },
      });
      if (!atGate) return 1;
      const { handle, gate } = atGate;
      out('   The approval gate shows the approver what they are deciding on:');
      for (const line of renderChecks(gate.checks)) out(`   ${line}`);
      out(
        `     data-loss window: ${gate.dataLossWindowSeconds === null ? 'unknown' : formatSeconds(gate.dataLossWindowSeconds)}`
      );
      out(`     why approval: ${gate.approval?.reasons.join('; ')}`);
      out(`     denies by default at ${gate.approval?.deadline}`);
      out(
        `   The demo approves as "${approver.name}", signed with its key (an SRE would run: dws-failover approve ${handle.workflowId} --comment <why>).`
      );
      await approveSignedAtGate(
        handle,
        approver,
        gate,
        'demo: every check passed, data-loss window within budget',
        'demo'
      );
      step('Following the failover:');
      const report = await followToReport(ctx, script, handle, values.json ?? false);
      if (!report) return 1;

      step('What the simulator received on POST …/failover:');
      const posts = sim.requests().filter((r) => r.method === 'POST' && r.path === FAILOVER_PATH);
      for (const r of posts)
        out(
          `   #${r.seq} ${r.status}${r.accepted ? ' (accepted by the service)' : ''}${r.signatureValid ? ', validly signed' : ''}`
        );
      const firstAccepted = posts.findIndex((r) => r.accepted);
      const afterAccepted = firstAccepted < 0 ? 0 : posts.length - firstAccepted - 1;
      const ok = report.outcome === 'failed-over' && firstAccepted >= 0 && afterAccepted === 0;
      out();
      out(
        ok
          ? `OK: outcome ${report.outcome}; ${posts.length} failover request(s), exactly one accepted, none sent after it.`
          : `FAILED: outcome ${report.outcome} [${OUTCOMES[report.outcome].code}]; ${afterAccepted} request(s) after the accepted one.`
      );
      return ok ? 0 : 1;
    } finally {
      await stack.stop();
    }
  },
};
