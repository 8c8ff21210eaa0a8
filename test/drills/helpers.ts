/**
 * Drill scenarios: a simulator pair listed in an inventory file (optionally a drill pair, optionally with a webhook
 * target), a worker that reads it, and short helpers to start drills and wait for their steps.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import {
  drillProgressQuery,
  type DrillInput,
  type DrillMode,
  type DrillReport,
  type DrillState,
} from '../../src/shared/drills';
import { resolvePolicy } from '../../src/shared/policy';
import type { PairRef } from '../../src/drills/pair-ref';
import { startDrill } from '../../src/drills/start-drill';
import {
  FAST_POLICY,
  randomProjectId,
  recordHistory,
  scenario,
  type Scenario,
  type ScenarioOptions,
} from '../helpers/scenario';

export interface DrillScenario {
  t: Scenario;
  pair: PairRef;
  /** Starts a drill of the scenario's pair with fast timings. */
  drill(mode: DrillMode, input?: Partial<DrillInput>): Promise<{ workflowId: string; runId: string }>;
  /** Waits for the drill's report. */
  report(started: { workflowId: string; runId: string }): Promise<DrillReport>;
  /** Waits until the drill reaches `phase`. */
  untilDrillPhase(
    started: { workflowId: string; runId: string },
    phase: string,
    timeoutMs?: number
  ): Promise<DrillState>;
  /** The current primary in the simulator. */
  primaryNow(): string | undefined;
}

/** Writes an inventory listing one pair. `notify` is a YAML list of targets (indented for a pair's `notify:`). */
export function inventoryFile(
  ids: { projectId: string; drId: string; primaryId: string; standbyId: string; name: string },
  { drill = false, notify }: { drill?: boolean; notify?: string } = {}
): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dws-drill-inventory-'));
  const file = path.join(dir, 'inventory.yaml');
  writeFileSync(
    file,
    `version: 1
pairs:
  - name: ${ids.name}
    project_id: ${ids.projectId}
    dr_id: ${ids.drId}
    drill: ${drill}
    clusters:
      - { id: ${ids.primaryId}, name: prod }
      - { id: ${ids.standbyId}, name: dr }
${notify ? `    notify:\n${notify}` : ''}`
  );
  return file;
}

/** A scenario whose pair is listed in the worker's inventory. */
export async function drillScenario(
  options: { drill?: boolean; notify?: string; scenario?: ScenarioOptions } = {}
): Promise<DrillScenario> {
  const ids = {
    projectId: randomProjectId(),
    drId: randomUUID(),
    primaryId: randomUUID(),
    standbyId: randomUUID(),
    name: `pair-${randomUUID().slice(0, 8)}`,
  };
  const inventory = inventoryFile(ids, options);
  const t = await scenario({
    ...options.scenario,
    pair: { id: ids.drId, projectId: ids.projectId, primary: { id: ids.primaryId }, standby: { id: ids.standbyId } },
    env: { DWS_FAILOVER_INVENTORY: inventory, ...options.scenario?.env },
  });
  const entry = t.config.inventory?.pairs[0] ?? null;
  const pair: PairRef = { projectId: ids.projectId, drId: ids.drId, name: ids.name, entry };
  const handle = (s: { workflowId: string; runId: string }) => t.client.workflow.getHandle(s.workflowId, s.runId);
  return {
    t,
    pair,
    async drill(mode, input = {}) {
      const started = await startDrill(
        t.client,
        t.config,
        { pair, mode, actor: 'vitest', ...(input.soakSeconds !== undefined ? { soakSeconds: input.soakSeconds } : {}) },
        { ...input, policy: resolvePolicy(t.config.policy, FAST_POLICY, input.policy) }
      );
      onTestFinished(async () => {
        await handle(started)
          .terminate('test finished')
          .catch(() => undefined);
      });
      return started;
    },
    async report(started) {
      const report = (await handle(started).result()) as DrillReport;
      recordHistory(started.workflowId, started.runId);
      return report;
    },
    async untilDrillPhase(started, phase, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const state = await handle(started)
          .query(drillProgressQuery)
          .catch(() => null);
        if (state?.phase === phase) return state;
        if (state?.verdict) throw new Error(`drill ended ${state.verdict} before ${phase}: ${state.reason}`);
        if (Date.now() > deadline) throw new Error(`drill phase ${phase} not reached; last ${state?.phase ?? '?'}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    primaryNow: () => t.sim.state().disasterRecoveries.find((d) => d.id === ids.drId)?.primaryClusterId,
  };
}
