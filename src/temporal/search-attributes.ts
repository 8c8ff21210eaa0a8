/**
 * Makes sure the namespace knows the project's search attributes; without them every phase change would fail.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../shared/constants';

const INDEXED: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  TEXT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  INT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DATETIME: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

/**
 * Registers the missing search attributes (self-hosted servers). Returns the names it added.
 * @throws Error naming the attributes and the command to register them when the server refuses (e.g. Temporal Cloud).
 */
export async function ensureSearchAttributes(client: Client, namespace: string): Promise<string[]> {
  const existing = await client.connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set([
    ...Object.keys(existing.customAttributes ?? {}),
    ...Object.keys(existing.systemAttributes ?? {}),
  ]);
  const missing = SEARCH_ATTRIBUTES.filter((key) => !known.has(key.name));
  if (missing.length === 0) return [];
  try {
    await client.connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(
        missing.map((key) => [
          key.name,
          (INDEXED[key.type] ?? INDEXED.KEYWORD) as temporal.api.enums.v1.IndexedValueType,
        ])
      ),
    });
  } catch (err) {
    const names = missing.map((k) => `${k.name} (${k.type})`).join(', ');
    throw new Error(
      `The namespace '${namespace}' lacks the search attributes ${names} and they could not be added: ${(err as Error).message}. ` +
        `Register them, e.g. \`temporal operator search-attribute create --namespace ${namespace} ${missing.map((k) => `--name ${k.name} --type Keyword`).join(' ')}\`.`,
      { cause: err }
    );
  }
  return missing.map((k) => k.name);
}
