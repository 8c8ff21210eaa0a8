/**
 * One chaos run: a fresh simulator with one pair, the planned faults, a worker process of its own, the operation
 * started through the real front-end code, approved when it asks, waited for, and judged against the simulator's
 * ground truth.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { loadConfig } from '../../src/config';
import type { OperationReport } from '../../src/shared/operation-model';
import { createSimulator, type Simulator } from '../../src/simulator';
import { judgeRun, type RunEvidence, type Verdict } from './invariants';
import { approveWhenAsked, chaosApproverKeysFile, RUN_TIMEOUT_MS, startOperation, waitForResult } from './operation';
import { createRng } from './random';
import { faultLabel, regionLabels, type RegionPlan, type RunPlan } from './schedule';
import { applyFault, pairTruth, type TimedEvent } from './simulator';
import { sleep, type RestartEvent } from './temporal';
import { WorkerSupervisor } from './worker';

const AK = 'CHAOSACCESSKEY000001';
const SK = 'chaos-secret-key-for-the-simulator';
/** The regions of a cross-region run: the primary's (the simulator's default) and the standby's. */
const NORTH = 'cn-north-4';
const SOUTH = 'cn-south-1';

/** After the report: a POST delayed past the client's timeout (≤ 6 s) plus a commit delay (≤ 1 s) lands by then. */
const SETTLE_MS = 7500;
/** Then at most this long for the simulator's operation to end, so the final state is settled. */
const SETTLE_OPERATION_MS = 15_000;
export interface RunContext {
  client: Client;
  temporalAddress: string;
  workflowBundlePath: string;
  /** Restarts of the Temporal server that overlapped [fromMs, toMs]. */
  restartsDuring(fromMs: number, toMs: number): RestartEvent[];
  /** Registers a clean-up step for SIGINT; returns its removal. */
  onAbort(cleanup: () => void): () => void;
  /** Called once the operation is about to start (replays schedule their Temporal restarts from here). */
  onStarted?(startedAtMs: number): void;
}

export interface RunResult {
  plan: RunPlan;
  outcome: string | null;
  verdict: Verdict;
  seconds: number;
  rtoSeconds: number | null;
  /** Labels of the faults that were injected. */
  faults: string[];
  /** Faults of the plan that the simulator refused (a knob it does not have), with why. */
  skipped: { fault: string; why: string }[];
  workerKills: number;
  workerUnexpectedExits: number;
  /** Temporal restarts during the run, seconds after its start. */
  restartOffsets: number[];
  summary: string | null;
  /** Last output of the run's worker processes, when the run failed. */
  workerTail: string | null;
  /** The run's workflow id, to read its history (`temporal workflow show -w …`) when it failed. */
  workflowId: string | null;
}

/** Executes the plan of one run and judges it. Never throws: a broken run is a failed result. */
export async function executeRun(plan: RunPlan, ctx: RunContext): Promise<RunResult> {
  const began = Date.now();
  let workflowId: string | null = null;
  const timers: NodeJS.Timeout[] = [];
  const faults: string[] = [];
  const skipped: RunResult['skipped'] = [];
  let sim: Simulator | null = null;
  let worker: WorkerSupervisor | null = null;
  const removeAbort = ctx.onAbort(() => {
    for (const t of timers) clearTimeout(t);
    worker?.killNow();
    void sim?.close();
  });
  let t0 = began;
  let outcome: string | null = null;
  let notFinished: string | null = null;
  let report: OperationReport | null = null;
  let evidence: RunEvidence | null = null;
  let inventoryDir: string | null = null;
  try {
    const ids = { projectId: randomBytes(16).toString('hex'), drId: randomUUID() };
    const southProject = randomBytes(16).toString('hex');
    const primaryId = randomUUID();
    const standbyId = randomUUID();
    const regions = plan.regions;
    sim = await createSimulator({
      credentials: [{ ak: AK, sk: SK }],
      ...(regions ? { replicationLagMs: regions.replicationLagMs } : {}),
      failoverDurationMs: plan.simulator.failoverDurationMs,
      switchoverDurationMs: plan.simulator.switchoverDurationMs,
      recoveryDurationMs: plan.simulator.recoveryDurationMs,
      random: createRng(plan.simulator.randomSeed).next,
      requestLogLimit: 100_000,
    });
    const theSim = sim;
    theSim.addPair({
      id: ids.drId,
      projectId: ids.projectId,
      status: plan.recoveryFromStatus ?? 'running',
      version: '8.2.1',
      ...(plan.op === 'recovery' ? { failedOver: true } : {}),
      ...(regions
        ? {
            drType: 'region' as const,
            primary: { id: primaryId, region: NORTH, projectId: ids.projectId },
            standby: { id: standbyId, region: SOUTH, projectId: southProject },
          }
        : { primary: { id: primaryId }, standby: { id: standbyId } }),
    });
    if (plan.op === 'failover') theSim.outage(primaryId);
    // A cross-region pair is called through either region: its paths carry a region prefix and either project.
    const opPath = regions
      ? `/**/disaster-recovery/${ids.drId}/${plan.op}`
      : `/v2/${ids.projectId}/disaster-recovery/${ids.drId}/${plan.op}`;
    const detailPath = regions
      ? `/**/disaster-recovery/${ids.drId}`
      : `/v2/${ids.projectId}/disaster-recovery/${ids.drId}`;

    const timed: TimedEvent[] = [];
    for (const fault of plan.faults) {
      const why = applyFault(theSim, fault, plan, { opPath, detailPath, primaryId }, timed);
      if (why === null) faults.push(faultLabel(fault));
      else skipped.push({ fault: faultLabel(fault), why });
    }

    if (regions) {
      faults.push(...regionLabels(regions));
      const outage = regions.outage;
      if (outage) {
        const options = { mode: outage.mode, ...(outage.durationMs === null ? {} : { durationMs: outage.durationMs }) };
        timed.push({ atMs: outage.atMs, fire: () => theSim.regionOutage(NORTH, options) });
      }
      inventoryDir = mkdtempSync(join(tmpdir(), 'dws-chaos-'));
    }
    const env: Record<string, string> = {
      TEMPORAL_ADDRESS: ctx.temporalAddress,
      TEMPORAL_NAMESPACE: 'default',
      DWS_FAILOVER_TASK_QUEUE: `chaos-${plan.seed}-${plan.run}-${randomUUID().slice(0, 8)}`,
      DWS_ENDPOINT: theSim.url,
      HUAWEICLOUD_SDK_AK: AK,
      HUAWEICLOUD_SDK_SK: SK,
      DWS_FAILOVER_WORKFLOW_BUNDLE: ctx.workflowBundlePath,
      // Several workers run on this machine at once: each serves its health and metrics on a free port, not 9464.
      DWS_FAILOVER_WORKER_HTTP_PORT: '0',
      DWS_FAILOVER_SHUTDOWN_GRACE: '1s',
      DWS_REQUEST_TIMEOUT: '3s',
      DWS_RATE_LIMIT: '0',
      DWS_FAILOVER_LOG_LEVEL: 'warn',
      // The chaos run approves at the gate with a key of its own (scripts/chaos/operation.ts).
      DWS_FAILOVER_APPROVER_KEYS: chaosApproverKeysFile(),
      // Every other run reads through the shared project-wide lists (as a worker does with many pairs in flight),
      // so the same adversary tests both read modes; it does not draw from the seed's stream.
      ...(sharedReads(plan.run) ? { DWS_FAILOVER_SHARED_READS_FROM: '1' } : {}),
      ...(regions && inventoryDir
        ? {
            DWS_FAILOVER_INVENTORY: writeRegionInventory(inventoryDir, theSim.url, {
              ...ids,
              southProject,
              primaryId,
              standbyId,
              failoverEndpoint: regions.failoverEndpoint,
            }),
            // The primary region's endpoint gets 5 s, not 5 minutes, before the standby region takes the request.
            DWS_FAILOVER_READ_OUTAGE_ALLOWANCE: '5s',
          }
        : {}),
    };
    if (sharedReads(plan.run)) faults.push('shared-reads');
    const config = loadConfig(env, { requireDws: true });
    worker = new WorkerSupervisor(env);
    const theWorker = worker;
    theWorker.start();

    t0 = Date.now();
    ctx.onStarted?.(t0);
    for (const kill of plan.workerKills) timed.push({ atMs: kill.atMs, fire: () => theWorker.kill(kill.downMs) });
    for (const event of timed) timers.push(setTimeout(event.fire, event.atMs));

    const started = await startOperation(ctx.client, config, plan, ids, primaryId);
    workflowId = started.workflowId;
    const handle = ctx.client.workflow.getHandle<() => Promise<OperationReport>>(started.workflowId, started.runId);
    const deadline = t0 + RUN_TIMEOUT_MS;
    const stopApproving = new AbortController();
    // Not awaited at the end: a query to a run whose worker is dead can hang; the loop ends on its own.
    void approveWhenAsked(handle, deadline, stopApproving.signal);
    const waited = await waitForResult(handle, deadline);
    stopApproving.abort();
    const atResult = pairTruth(theSim, ids.drId);
    if ('report' in waited) {
      report = waited.report;
      outcome = report.outcome;
    } else {
      notFinished = waited.notFinished;
      await handle.terminate('chaos: the run did not finish in time').catch(() => undefined);
    }
    for (const t of timers) clearTimeout(t);
    await theWorker.stop();

    await sleep(SETTLE_MS);
    const settleDeadline = Date.now() + SETTLE_OPERATION_MS;
    while (pairTruth(theSim, ids.drId)?.busy && Date.now() < settleDeadline) await sleep(250);
    const posts = theSim.requests({ method: 'POST', path: opPath });
    const request = report?.request as
      { log?: { sent: boolean | null; status: number | null }[]; sent?: number } | undefined;
    evidence = {
      op: plan.op,
      outcome,
      notFinished,
      initial: { primaryClusterId: primaryId, standbyClusterId: standbyId },
      atResult,
      final: pairTruth(theSim, ids.drId),
      accepted: posts.filter((p) => p.accepted === true && p.drId === ids.drId).length,
      received: posts.length,
      report: request ? { log: request.log, sent: request.sent } : null,
      workerKilled: theWorker.kills + theWorker.unexpectedExits > 0,
    };
  } catch (err) {
    notFinished ??= `the run broke: ${(err as Error).message}`;
  } finally {
    for (const t of timers) clearTimeout(t);
    await worker?.stop();
    await sim?.close();
    if (inventoryDir) rmSync(inventoryDir, { recursive: true, force: true });
    removeAbort();
  }
  const ended = Date.now();
  const verdict = judgeRun(
    evidence ?? {
      op: plan.op,
      outcome,
      notFinished: notFinished ?? 'no evidence gathered',
      initial: { primaryClusterId: '', standbyClusterId: '' },
      atResult: null,
      final: null,
      accepted: 0,
      received: 0,
      report: null,
      workerKilled: false,
    }
  );
  return {
    plan,
    outcome,
    verdict,
    seconds: (ended - began) / 1000,
    rtoSeconds: report?.rtoSeconds ?? null,
    faults,
    skipped,
    workerKills: worker?.kills ?? 0,
    workerUnexpectedExits: worker?.unexpectedExits ?? 0,
    restartOffsets: ctx.restartsDuring(t0, ended).map((e) => Math.round((e.downMs - t0) / 100) / 10),
    summary: report?.summary ?? null,
    workerTail: verdict.violations.length > 0 ? (worker?.tail() ?? null) : null,
    workflowId,
  };
}

/**
 * The inventory of a cross-region run: both projects on the simulator's region endpoints (the environment's
 * credentials), and the pair with its clusters in the two of them.
 */
function writeRegionInventory(
  dir: string,
  simUrl: string,
  pair: {
    projectId: string;
    drId: string;
    southProject: string;
    primaryId: string;
    standbyId: string;
    failoverEndpoint: RegionPlan['failoverEndpoint'];
  }
): string {
  const file = join(dir, 'inventory.yaml');
  writeFileSync(
    file,
    `version: 1
projects:
  - { id: ${pair.projectId}, region: ${NORTH}, endpoint: "${simUrl}/regions/${NORTH}" }
  - { id: ${pair.southProject}, region: ${SOUTH}, endpoint: "${simUrl}/regions/${SOUTH}" }
pairs:
  - name: chaos-cross-region
    project_id: ${pair.projectId}
    dr_id: ${pair.drId}
    dr_type: region
    failover_endpoint: ${pair.failoverEndpoint}
    clusters: [{ id: ${pair.primaryId} }, { id: ${pair.standbyId}, project_id: ${pair.southProject} }]
`
  );
  return file;
}

/** Whether run `n` (1-based) reads through shared project-wide lists: every even one. */
export function sharedReads(n: number): boolean {
  return n % 2 === 0;
}
