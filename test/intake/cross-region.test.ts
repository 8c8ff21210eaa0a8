import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import type { NormalizedAlert } from '../../src/intake/alert';
import { mapAlerts, resolveLabels } from '../../src/intake/mapping';
import { deliveryPair } from '../../src/intake/trigger';
import { findPair, parseInventory, resolvePair, type Inventory } from '../../src/inventory';
import { resolvePairRef } from '../../src/drills/pair-ref';
import { dispatchPair } from '../../src/operations/dispatch-pair';
import { startFailover, startPlannedOperation } from '../../src/operations/start-failover';

const NORTH = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const SOUTH = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const DR = 'c8f3d3a2-5b1e-4f6a-9d2c-7e4b1a0f3d95';
const OTHER_DR = '5d1f7a3e-9c2b-4e8d-a6f0-3b7c1e9d2a48';
const C_NORTH = 'a1d4e6f2-7b3c-4d8e-9f01-2a3b4c5d6e7f';
const C_SOUTH = 'b7e2f9c4-1d5a-4e6b-8c3f-9a0b1c2d3e4f';

const INVENTORY = `projects:
  - { id: ${NORTH}, region: cn-north-4 }
  - { id: ${SOUTH}, region: cn-south-1 }
pairs:
  - name: ledger
    project_id: ${NORTH}
    dr_id: ${DR}
    dr_type: region
    clusters: [{ id: ${C_NORTH} }, { id: ${C_SOUTH}, project_id: ${SOUTH} }]
`;
const inventory = parseInventory(INVENTORY).inventory as Inventory;

const alert = (labels: Record<string, string>): NormalizedAlert => ({
  status: 'firing',
  labels,
  fingerprint: Object.values(labels).join('-'),
  startsAt: '2025-11-27T03:00:00.000Z',
  summary: 'down',
});

/** A Temporal client that records the workflows started with signal-with-start, each as a new run. */
function recordingClient(): { client: Client; started: { type: string; workflowId: string; input: unknown }[] } {
  const started: { type: string; workflowId: string; input: unknown; token: string }[] = [];
  const client = {
    workflow: {
      signalWithStart: (
        type: string,
        options: { workflowId: string; args: unknown[]; memo: { startToken: string } }
      ) => {
        started.push({ type, workflowId: options.workflowId, input: options.args[0], token: options.memo.startToken });
        return Promise.resolve({ signaledRunId: `run-${started.length}` });
      },
      getHandle: () => ({
        describe: () => Promise.resolve({ memo: { startToken: started.at(-1)?.token } }),
      }),
    },
  };
  return { client: client as unknown as Client, started };
}

function configWithInventory(): ReturnType<typeof loadConfig> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'dws-cross-region-')), 'inventory.yaml');
  writeFileSync(file, INVENTORY);
  return loadConfig({ DWS_FAILOVER_INVENTORY: file });
}

describe('a cross-region pair named by either side', () => {
  it("is found by the pair's project and by the standby cluster's, under the pair's project_id", () => {
    expect(findPair(inventory, NORTH, DR)?.name).toBe('ledger');
    expect(findPair(inventory, SOUTH, DR)?.name).toBe('ledger');
    expect(findPair(inventory, SOUTH, OTHER_DR)).toBeUndefined();
    expect(resolvePair(inventory, SOUTH, DR)).toMatchObject({ projectId: NORTH, drId: DR, pair: { name: 'ledger' } });
    expect(resolvePair(inventory, SOUTH, OTHER_DR)).toEqual({ projectId: SOUTH, drId: OTHER_DR, pair: null });
  });

  it("maps an alert from the standby region to the pair's project, grouped with the primary region's alerts", () => {
    expect(resolveLabels({ dws_project_id: SOUTH, dws_dr_id: DR }, inventory)).toMatchObject({
      target: { projectId: NORTH, drId: DR, name: 'ledger' },
    });
    const { pairs, unmapped } = mapAlerts(
      [
        alert({ dws_project_id: NORTH, dws_dr_id: DR, dws_cluster_id: C_NORTH }),
        alert({ dws_project_id: SOUTH, dws_dr_id: DR, dws_cluster_id: C_NORTH, region: 'south' }),
      ],
      inventory
    );
    expect(unmapped).toEqual([]);
    expect(pairs).toHaveLength(1);
    expect(pairs[0]?.target).toMatchObject({ projectId: NORTH, drId: DR });
    expect(pairs[0]?.alerts).toHaveLength(2);
    const delivered = deliveryPair(
      { source: 'alertmanager', dedupeKey: 'g', ref: 'g', actor: 'am', alerts: [] },
      pairs[0] as NonNullable<(typeof pairs)[0]>
    );
    expect(delivered).toMatchObject({ projectId: NORTH, drId: DR, name: 'ledger', failedClusterId: C_NORTH });
  });

  it('keeps a pair the inventory does not list under the project it was named by', () => {
    expect(resolveLabels({ dws_project_id: SOUTH, dws_dr_id: OTHER_DR }, inventory)).toMatchObject({
      target: { projectId: SOUTH, drId: OTHER_DR, pair: null },
    });
  });

  it("starts one workflow dws-failover:{pair project_id}:{dr_id} whichever side's project names it", async () => {
    const config = configWithInventory();
    const { client, started } = recordingClient();
    const trigger = { source: 'cli' as const, ref: 'cli', receivedAt: new Date().toISOString(), actor: 'me' };
    const fromSouth = await startFailover(client, config, { projectId: SOUTH, drId: DR, reason: 'x', trigger });
    const fromNorth = await startFailover(client, config, { projectId: NORTH, drId: DR, reason: 'x', trigger });
    expect(fromSouth.workflowId).toBe(`dws-failover:${NORTH}:${DR}`);
    expect(fromNorth.workflowId).toBe(fromSouth.workflowId);
    expect(started.map((s) => s.input)).toEqual([
      expect.objectContaining({ projectId: NORTH, drId: DR }),
      expect.objectContaining({ projectId: NORTH, drId: DR }),
    ]);
    const planned = await startPlannedOperation(client, config, {
      operation: 'switchover',
      projectId: SOUTH,
      drId: DR,
      reason: 'x',
      trigger,
    });
    expect(planned.workflowId).toBe(`dws-switchover:${NORTH}:${DR}`);
    const other = await startFailover(client, config, { projectId: SOUTH, drId: OTHER_DR, reason: 'x', trigger });
    expect(other.workflowId).toBe(`dws-failover:${SOUTH}:${OTHER_DR}`);
  });

  it("dispatches a delivery's pair named by the standby project to the pair's workflow", async () => {
    const config = configWithInventory();
    const { client, started } = recordingClient();
    const header = { source: 'alertmanager' as const, ref: 'g', actor: 'am', receivedAt: new Date().toISOString() };
    const pair = {
      projectId: SOUTH,
      drId: DR,
      status: 'firing' as const,
      triggerId: 't',
      fingerprints: 'f',
      summary: 's',
    };
    const dispatched = await dispatchPair(client, config, header, pair);
    expect(dispatched.workflowId).toBe(`dws-failover:${NORTH}:${DR}`);
    expect(started.map((s) => s.workflowId)).toEqual([`dws-failover:${NORTH}:${DR}`]);
  });

  it('resolves --pair given by the standby project to the pair', () => {
    expect(resolvePairRef(`${SOUTH}/${DR}`, inventory)).toMatchObject({ projectId: NORTH, drId: DR, name: 'ledger' });
  });
});
