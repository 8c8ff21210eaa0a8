/**
 * The inventory of DR pairs: types, loading and lookups.
 */
export type {
  AccountCredentials,
  DwsCredentials,
  Inventory,
  InventoryAccount,
  InventoryCluster,
  InventoryPair,
  InventoryProject,
  LabelMatcher,
  NotificationTarget,
  NotificationType,
} from './types';
export { loadInventoryFile, parseInventory, type InventoryEnv, type InventoryResult } from './load';
export {
  findPair,
  findPairByCluster,
  findPairByName,
  matchPairByLabels,
  resolvePair,
  type LabelMatch,
  type ResolvedPair,
} from './lookup';
export { reachProblems, type EnvironmentDws } from './reach';
export { formatPath, formatProblem, problemsFromZod, type Problem } from './issues';
export { SAFE_ID } from './schema';
