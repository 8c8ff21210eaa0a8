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

export interface SdkRuntimeOptions {
  /**
   * Where the SDK's Prometheus exporter listens (`host:port`); the worker serves its text at its own `/metrics`
   * (src/observability). Durations in seconds and counters ending in `_total`, as Prometheus names them. Default: no SDK metrics.
   */
  prometheusBindAddress?: string;
}

/** Installs the process-wide Temporal runtime with this logger (once per process, before any connection). */
export function installSdkLogger(log: Logger, level: SdkLogLevel = 'INFO', options: SdkRuntimeOptions = {}): void {
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      const [first, ...rest] = entry.message.trimEnd().split('\n');
      if (rest.length === 0) return log[LEVELS[entry.level] ?? 'info'](entry.message, compact(entry.meta));
      // A multi-line message (the bundler's statistics when a worker bundles its workflows at start) becomes one
      // line; at INFO it is detail, as "Workflow bundle created" follows it.
      const level = entry.level === 'INFO' ? 'debug' : (LEVELS[entry.level] ?? 'info');
      log[level](first ?? '', { ...compact(entry.meta), detail: rest.map((l) => l.trim()).join(' | ') });
    }),
    ...(options.prometheusBindAddress
      ? {
          telemetryOptions: {
            metrics: {
              prometheus: {
                bindAddress: options.prometheusBindAddress,
                useSecondsForDurations: true,
                countersTotalSuffix: true,
              },
            },
          },
        }
      : {}),
  });
}
