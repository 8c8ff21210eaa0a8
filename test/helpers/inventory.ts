/**
 * A temporary inventory file naming one pair, for tests that need per-pair settings such as notification targets.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Writes an inventory naming one pair; `notify` is the YAML list under `notify:` (indented six spaces). */
export function inventoryFile(
  ids: { projectId: string; drId: string; primaryId: string; standbyId: string },
  notify: string
): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dws-inventory-'));
  const file = path.join(dir, 'inventory.yaml');
  writeFileSync(
    file,
    `version: 1
pairs:
  - name: notify-test-pair
    project_id: ${ids.projectId}
    dr_id: ${ids.drId}
    clusters:
      - { id: ${ids.primaryId}, name: prod }
      - { id: ${ids.standbyId}, name: dr }
    notify:
${notify}`
  );
  return file;
}
