#!/usr/bin/env node
'use strict';
// Node 22.1+ keeps the compiled code of the modules on disk, so later runs skip most of the loading time (as
// TypeScript's own `tsc` does); a no-op on Node 20.
require('node:module').enableCompileCache?.();
// The compiled CLI (npm ci / npm install build it through the `prepare` script).
let cli;
try {
  cli = require('../lib/cli/main.js');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && /lib[\\/]cli[\\/]main/.test(String(err.message))) {
    process.stderr.write('dws-failover: not built yet; run `npm run build` (npm ci does it for you).\n');
    process.exit(1);
  }
  throw err;
}
cli.main().catch((err) => {
  process.stderr.write(`dws-failover: ${(err && err.message) || String(err)}\n`);
  process.exit(1);
});
