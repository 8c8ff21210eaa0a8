/**
 * The DWS disaster-recovery API simulator: public surface for tests, the dev stack and the CLI. It stands alone:
 * nothing here imports the CLI (lint-enforced); `dws-failover simulator` is src/cli/simulator-command.ts.
 */
export { createSimulator, type Simulator } from './server';
export {
  resolveSimulatorOptions,
  type ResolvedSimulatorOptions,
  type SimulatorCredential,
  type SimulatorIamUser,
  type SimulatorOptions,
} from './options';
export {
  applyConfigPatch,
  DEFAULT_SIMULATOR_CONFIG,
  type ReadLagMs,
  type ReadPath,
  type SimulatorConfig,
  type SimulatorConfigPatch,
} from './config';
export type { ClusterEventOptions } from './cluster-events';
export type { ApiOutageInput } from './api-outage';
export type { RegionOutageMode, RegionOutageOptions } from './region-outage';
export { seededRandom } from './random';
export {
  DEMO_AK,
  DEMO_DR_ID,
  DEMO_DR_NAME,
  DEMO_IAM_USER,
  DEMO_PRIMARY_CLUSTER_ID,
  DEMO_PROJECT_ID,
  DEMO_REGION,
  DEMO_SK,
  DEMO_STANDBY_CLUSTER_ID,
  demoPairInput,
} from './seed';
export type { ClusterInput, PairInput } from './pair-input';
export type { FaultRuleInput, FaultRuleView } from './faults';
export type { AuthKind, RequestLogEntry, RequestLogFilter } from './request-log';
export type { SimStateView, SimulatorSettingsView } from './engine';
export {
  acceptedActions,
  type SimActionView,
  type SimClusterView,
  type SimCopyView,
  type SimPairView,
  type SimRegionView,
} from './views';
export type { ActionResult, DrAction } from './records';
export { SimInputError, SimNotFoundError } from './input-error';
