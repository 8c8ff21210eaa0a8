/**
 * Code blocks of docs/intake.md, as a user copies them, so tests check what the docs really tell users to write.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The first fenced `lang` block under `## {heading}` of docs/intake.md. @throws Error when there is none. */
export function docBlock(heading: string, lang: 'yaml' | 'bash'): string {
  const doc = readFileSync(path.resolve(__dirname, '../../docs/intake.md'), 'utf8');
  const start = doc.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no "## ${heading}" section in docs/intake.md`);
  const section = doc.slice(start + 1).split(/\n## /)[0] ?? '';
  const match = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(section);
  if (!match?.[1]) throw new Error(`no ${lang} block under "## ${heading}" in docs/intake.md`);
  return match[1];
}
