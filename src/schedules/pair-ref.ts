/**
 * `--pair <name|project/dr>`: a pair named in the inventory, or given by its ids.
 */
import { findPair, findPairByName, SAFE_ID, type Inventory, type InventoryPair } from '../inventory';

/** A pair the command line named. `entry` is its inventory entry when the inventory lists it. */
export interface PairRef {
  projectId: string;
  drId: string;
  name: string;
  entry: InventoryPair | null;
}

/**
 * Resolves `--pair`.
 * @throws Error naming the unknown pair and the names the inventory has, or the expected id form.
 */
export function resolvePairRef(ref: string, inventory: Inventory | null): PairRef {
  const text = ref.trim();
  const slash = text.indexOf('/');
  if (slash > 0 && text.indexOf('/', slash + 1) < 0) {
    const projectId = text.slice(0, slash);
    const drId = text.slice(slash + 1);
    if (!SAFE_ID.test(projectId) || !SAFE_ID.test(drId)) {
      throw new Error(`--pair '${ref}': project and DR ids are letters, digits, '-', '_' or '.' (project/dr)`);
    }
    // A cross-region pair of the inventory may be given by either side's project: it goes by its project_id.
    const entry = findPair(inventory, projectId, drId) ?? null;
    return { projectId: entry?.projectId ?? projectId, drId, name: entry?.name ?? drId, entry };
  }
  if (!inventory) {
    throw new Error(
      `--pair '${ref}' is a name, but no inventory is configured (DWS_FAILOVER_INVENTORY); give <project id>/<DR id> instead`
    );
  }
  const entry = findPairByName(inventory, text);
  if (!entry) {
    const names = inventory.pairs.map((p) => p.name);
    const known = names.length > 0 ? `it lists: ${names.join(', ')}` : 'it lists no pairs';
    throw new Error(`--pair '${ref}': no pair of that name in the inventory (${inventory.source}); ${known}`);
  }
  return { projectId: entry.projectId, drId: entry.drId, name: entry.name, entry };
}
