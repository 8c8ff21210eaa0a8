/**
 * How the CLI writes an instant. Its own file so that every text renderer can use it without importing another.
 */

/** An ISO instant as `YYYY-MM-DD HH:MM:SSZ`; `—` when absent. */
export const when = (iso: string | null): string => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—');
