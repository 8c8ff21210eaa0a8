/**
 * The inventory of DR pairs: types, loading and lookups.
 */
export type {
  Inventory,
  InventoryCluster,
  InventoryPair,
  LabelMatcher,
  NotificationTarget,
  NotificationType,
} from './types';
export { loadInventoryFile, parseInventory, type InventoryResult } from './load';
export { findPair, findPairByCluster, findPairByName, matchPairByLabels, type LabelMatch } from './lookup';
export { formatPath, formatProblem, problemsFromZod, type Problem } from './issues';
export { SAFE_ID } from './schema';
