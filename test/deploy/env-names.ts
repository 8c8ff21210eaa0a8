/**
 * The environment variables the code reads: every quoted UPPER_CASE name in src/ (config.ts reads through string
 * literals) and the @temporalio/envconfig names it hands to the SDK. Deployment files may set only these.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SECRET_VARIABLES } from '../../src/secret-files';

const ROOT = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : e.name.endsWith('.ts') || e.name.endsWith('.js')
        ? [join(dir, e.name)]
        : []
  );
}

/** Every name quoted in the sources of src/ and of @temporalio/envconfig. */
export function namesReadByCode(): Set<string> {
  const files = [
    ...sourceFiles(join(ROOT, 'src')),
    ...sourceFiles(join(ROOT, 'node_modules', '@temporalio', 'envconfig', 'lib')),
  ];
  const names = new Set<string>();
  for (const file of files) {
    for (const m of readFileSync(file, 'utf8').matchAll(/['"`]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)['"`]/g))
      names.add(m[1] ?? '');
  }
  // A secret may come from `<VAR>_FILE` instead (src/secret-files.ts): the code reads those names by suffix.
  for (const name of SECRET_VARIABLES) names.add(`${name}_FILE`);
  return names;
}

/** The repository root. */
export const REPO_ROOT = ROOT;
