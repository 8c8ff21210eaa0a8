/**
 * Routes the Temporal SDK's logs (worker, workflow `log`, activity `log`) into the project logger, compactly:
 * errors as one line, no task tokens.
 */
import { DefaultLogger, Runtime, type LogLevel as SdkLogLevel } from '@temporalio/worker';
import type { Logger, LogLevel } from '../logger';

const LEVELS: Record<string, LogLevel> = { TRACE: 'debug', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };
const DROP = new Set(['taskToken', 'sdkComponent', 'isLocal', 'namespace']);

function compact(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta ?? {})) {
    if (DROP.has(k)) continue;
    out[k] = v instanceof Error ? `${v.name}: ${v.message}` : v;
  }
  return out;
}

/** Installs the process-wide Temporal runtime with this logger (once per process, before any connection). */
export function installSdkLogger(log: Logger, level: SdkLogLevel = 'INFO'): void {
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => log[LEVELS[entry.level] ?? 'info'](entry.message, compact(entry.meta))),
  });
}
