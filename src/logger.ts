/**
 * One structured logger for the processes outside the workflow sandbox (CLI, intake, simulator, worker glue).
 * Inside Temporal, workflows and activities use the SDK's `log`, which the worker routes here too.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  component: string;
  /** @default 'info' */
  level?: LogLevel;
  /** `json`: one JSON object a line (for log shippers); `text`: for people. @default 'text' */
  format?: 'json' | 'text';
  stream?: NodeJS.WritableStream;
}

/** Keys whose values are never written, whatever a caller passes. */
const SECRET_KEY = /(^|_)(sk|secret|password|token|authorization|api_?key)$/i;

function redact(meta: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : v;
  return out;
}

/** Creates a logger writing to stderr (by default). */
export function createLogger(options: LoggerOptions): Logger {
  const min = ORDER[options.level ?? 'info'];
  const stream = options.stream ?? process.stderr;
  const write = (level: LogLevel, message: string, meta: Record<string, unknown> = {}): void => {
    if (ORDER[level] < min) return;
    const safe = redact(meta);
    if (options.format === 'json') {
      stream.write(
        `${JSON.stringify({ time: new Date().toISOString(), level, component: options.component, message, ...safe })}\n`
      );
      return;
    }
    const extra = Object.keys(safe).length > 0 ? ` ${JSON.stringify(safe)}` : '';
    stream.write(
      `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${options.component}] ${message}${extra}\n`
    );
  };
  return {
    debug: (m, meta) => write('debug', m, meta),
    info: (m, meta) => write('info', m, meta),
    warn: (m, meta) => write('warn', m, meta),
    error: (m, meta) => write('error', m, meta),
  };
}
