/**
 * Building Temporal visibility queries safely.
 */

/** A string literal for a visibility query: quoted, with backslashes and quotes escaped. */
export const quote = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
