/**
 * `--pair <name|project/dr>`: a pair named in the inventory, or given by its ids.
 */
import { closeMatches } from '../shared/suggest';
import { findPair, findPairByName, SAFE_ID, type Inventory, type InventoryPair } from '../inventory';

/** Names listed in full when none is close to a mistyped one; beyond that, a count. */
const LISTED_NAMES = 10;

/** A pair the command line named. `entry` is its inventory entry when the inventory lists it. */
export interface PairRef {
  projectId: string;
  drId: string;
  name: string;
  entry: InventoryPair | null;
}

/**
 * Resolves `--pair`.
 * @throws Error naming the unknown pair and the inventory's names closest to it (else its first names), or the
 * expected id form.
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
    const close = closeMatches(text, names);
    const more = names.length > LISTED_NAMES ? ` … (${names.length - LISTED_NAMES} more)` : '';
    const known =
      close.length > 0
        ? `did you mean ${close.join(' or ')}?`
        : names.length > 0
          ? `it lists: ${names.slice(0, LISTED_NAMES).join(', ')}${more}.`
          : 'it lists no pairs.';
    throw new Error(
      `--pair '${ref}': no pair of that name in the inventory (${inventory.source}); ${known} Or give <project id>/<DR id>.`
    );
  }
  return { projectId: entry.projectId, drId: entry.drId, name: entry.name, entry };
}
