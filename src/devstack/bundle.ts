/**
 * Prebuilds the workflow bundle: workers then start in about a second instead of bundling with webpack each time.
 * `npm run build` runs this file after `tsc`, so every build writes `lib/workflow-bundle.js`, and a worker running
 * from `lib/` picks it up (see `prebuiltWorkflowBundle`).
 */
import { statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { WORKFLOW_TRACING_MODULE } from '../observability/tracing';

/** The workflows next to this code: `src/workflows` under tsx/vitest, `lib/workflows` when built. */
const WORKFLOWS_DIR = path.join(__dirname, '..', 'workflows');

/** Where the build writes the bundle: `lib/workflow-bundle.js`, next to the compiled worker. */
export const PREBUILT_BUNDLE_PATH = path.join(__dirname, '..', 'workflow-bundle.js');

/**
 * Bundles `src/workflows` (or `lib/workflows`) into one file at `outPath` (default: `PREBUILT_BUNDLE_PATH`), with
 * the OpenTelemetry workflow interceptors: a worker with tracing on needs them in its bundle (without, their spans
 * are dropped).
 */
export async function writeWorkflowBundle(outPath: string = PREBUILT_BUNDLE_PATH): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_DIR,
    workflowInterceptorModules: [WORKFLOW_TRACING_MODULE],
    logger: new DefaultLogger('WARN'),
  });
  await writeFile(outPath, code);
}

/**
 * The build's bundle, when this code runs from that build and the bundle is at least as new as the compiled
 * workflows; null otherwise (under tsx/vitest, where `src/` is the code, or after a bare `tsc` that left an older
 * bundle behind), and the worker bundles the workflows at start. `tsc` rewrites every output, so comparing with the
 * workflows' entry file is enough to tell a bundle of an earlier build.
 */
export function prebuiltWorkflowBundle(): string | null {
  if (path.extname(__filename) !== '.js') return null;
  const mtime = (file: string): number | null => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? null;
  const bundled = mtime(PREBUILT_BUNDLE_PATH);
  const compiled = mtime(path.join(WORKFLOWS_DIR, 'index.js'));
  return bundled !== null && compiled !== null && bundled >= compiled ? PREBUILT_BUNDLE_PATH : null;
}

async function main(): Promise<void> {
  await writeWorkflowBundle();
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`dws-failover: cannot bundle the workflows: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  });
}
