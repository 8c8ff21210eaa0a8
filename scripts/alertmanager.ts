/**
 * Finds or builds Prometheus Alertmanager and amtool v0.28.1, as the test suite's global setup does, and prints where
 * they are: `npm run alertmanager`. CI runs it before the tests so the build shows as its own step.
 */
import { parseArgs } from 'node:util';
import { ALERTMANAGER_VERSION, ensureAlertmanager } from '../src/devstack/alertmanager';

const HELP = `Usage: npm run alertmanager

Finds Alertmanager and amtool v${ALERTMANAGER_VERSION} (the intake's end-to-end tests run alerts through them and check
docs/intake.md's configuration with amtool), or builds them with \`go install\` (first run only, about 1–3 minutes),
and prints their paths. Looks in this order: ALERTMANAGER_PATH and AMTOOL_PATH (both), both on PATH, the cache
(~/.cache/dws-failover/alertmanager-${ALERTMANAGER_VERSION}/, or under DWS_FAILOVER_CACHE_DIR), then go install.

  --help     this text`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { help: { type: 'boolean' } } });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const found = await ensureAlertmanager((line) => console.error(`[alertmanager] ${line}`));
  console.log(`ALERTMANAGER_PATH=${found.alertmanager}`);
  console.log(`AMTOOL_PATH=${found.amtool}`);
  console.error(`[alertmanager] found through ${found.source}`);
}

main().catch((err: unknown) => {
  console.error(`alertmanager: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
