/**
 * The formats of the Huawei Cloud ids the project takes from outside: a project id is the 32-hex IAM project id of a
 * region; a DR id and a cluster id are UUIDs. The intake checks ids from senders against them before any lookup.
 * Ids the inventory lists are trusted configuration and skip the check (private-cloud ids may look different).
 */
import { quote } from './quote';

/** A Huawei Cloud (IAM) project id: 32 hex characters. */
export const PROJECT_ID_FORMAT = /^[0-9a-fA-F]{32}$/;
/** A DWS disaster-recovery id or cluster id: a UUID, 8-4-4-4-12 hex characters. */
export const UUID_FORMAT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export type IdKind = 'project' | 'dr' | 'cluster';

const FORMATS: Record<IdKind, { pattern: RegExp; expected: string }> = {
  project: { pattern: PROJECT_ID_FORMAT, expected: 'a Huawei Cloud project id (32 hex characters)' },
  dr: { pattern: UUID_FORMAT, expected: 'a DR id (a UUID: 8-4-4-4-12 hex characters)' },
  cluster: { pattern: UUID_FORMAT, expected: 'a cluster id (a UUID: 8-4-4-4-12 hex characters)' },
};

/** One id to check: the field that carried it (a label, a body field), its kind, and its value (undefined: absent). */
export interface IdField {
  field: string;
  kind: IdKind;
  value: string | undefined;
}

/** A malformed id: its field, and a sentence naming the field, the value (clipped) and the expected format. */
export interface IdProblem {
  field: string;
  message: string;
}

/** @returns one problem per present id that does not have its kind's format; empty when all do. */
export function checkIdFormats(fields: readonly IdField[]): IdProblem[] {
  return fields.flatMap(({ field, kind, value }) =>
    value === undefined || FORMATS[kind].pattern.test(value)
      ? []
      : [{ field, message: `${field}: ${quote(value)} is not ${FORMATS[kind].expected}` }]
  );
}
