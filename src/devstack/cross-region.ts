/**
 * The cross-region pair of `dws-failover demo --region-outage` (and of `dev --cross-region`): its production cluster
 * in cn-north-4 (the demo project), its DR cluster in cn-south-1 (a second project), one DR record under one id
 * with a copy in each region. The simulator serves both regions on one port (`/regions/{region}`).
 */
import type { Simulator } from '../simulator';
import { DEMO_PROJECT_ID, DEMO_REGION } from '../simulator/seed';

export const XR_STANDBY_REGION = 'cn-south-1';
/** The standby region's project (its own 32-hex IAM project id). */
export const XR_STANDBY_PROJECT_ID = '5e7a9c1b3d2f4e6a8b0c1d2e3f4a5b6c';
export const XR_DR_ID = '4b6d8f0a-2c4e-4a6b-8d0f-1a3c5e7b9d2f';
export const XR_DR_NAME = 'dws-ledger-xr';
export const XR_PRIMARY_CLUSTER_ID = '6c8e0a2b-4d6f-4b8a-9c1e-3b5d7f9a1c3e';
export const XR_STANDBY_CLUSTER_ID = '7d9f1b3c-5e7a-4c9b-8d2f-4c6e8a0b2d4f';

/** Adds the cross-region pair to the simulator (running, in step). */
export function addCrossRegionPair(sim: Simulator): void {
  sim.addPair({
    id: XR_DR_ID,
    name: XR_DR_NAME,
    drType: 'region',
    status: 'running',
    version: '8.2.1',
    primary: { id: XR_PRIMARY_CLUSTER_ID, name: 'ledger-prod', region: DEMO_REGION, projectId: DEMO_PROJECT_ID },
    standby: {
      id: XR_STANDBY_CLUSTER_ID,
      name: 'ledger-dr',
      region: XR_STANDBY_REGION,
      projectId: XR_STANDBY_PROJECT_ID,
    },
  });
}

/**
 * The inventory entries of the pair: the standby region's project with its endpoint on the simulator, and the pair
 * (10 s of read-outage allowance, so the demo does not wait the default 5 minutes before using the standby region).
 * The demo project stays on the environment's endpoint (`DWS_ENDPOINT`, the simulator's default region).
 */
export function crossRegionInventory(simulatorUrl: string): { projects: string; pairs: string } {
  return {
    projects: `projects:
  - { id: ${XR_STANDBY_PROJECT_ID}, region: ${XR_STANDBY_REGION}, endpoint: "${simulatorUrl}/regions/${XR_STANDBY_REGION}" }
`,
    pairs: `  - name: ${XR_DR_NAME}
    description: The simulator's cross-region pair (cn-north-4 to cn-south-1)
    project_id: ${DEMO_PROJECT_ID}
    dr_id: ${XR_DR_ID}
    dr_type: region
    clusters:
      - { id: ${XR_PRIMARY_CLUSTER_ID}, name: ledger-prod }
      - { id: ${XR_STANDBY_CLUSTER_ID}, name: ledger-dr, project_id: ${XR_STANDBY_PROJECT_ID} }
    policy: { read_outage_allowance: 10s }
`,
  };
}
