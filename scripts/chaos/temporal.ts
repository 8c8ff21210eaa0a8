/**
 * One Temporal dev server for the whole chaos run, on a fixed port and a SQLite file, so it can be stopped and
 * started again on the same address with its workflows intact; and the restarts, recorded so each run can say
 * which ones it lived through.
 */
import { join } from 'node:path';
import { freePort, startDevServer, type DevServer } from '../../src/devstack/dev-server';

/** One restart: when the server went down and when it answered again (epoch ms; `upMs` null while down). */
export interface RestartEvent {
  downMs: number;
  upMs: number | null;
}

export class TemporalServer {
  private server: DevServer | null = null;
  private port = 0;
  private readonly restartEvents: RestartEvent[] = [];
  private stopped = false;

  constructor(
    private readonly dir: string,
    private readonly log: (line: string) => void
  ) {}

  /** `127.0.0.1:<port>` (fixed once started). */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get cliPath(): string | null {
    return this.server?.cliPath ?? null;
  }

  /** Starts the server on a free port. @throws Error from the dev server when it does not come up. */
  async start(): Promise<void> {
    this.port = await freePort();
    await this.boot();
  }

  /**
   * Stops the server, keeps it down for `downMs`, starts it again on the same port and database.
   * @throws Error when it does not come back (the chaos run cannot go on without it).
   */
  async restart(downMs: number): Promise<void> {
    if (this.stopped || !this.server) return;
    const event: RestartEvent = { downMs: Date.now(), upMs: null };
    this.restartEvents.push(event);
    this.log(`Temporal restart: stopping the dev server for ${(downMs / 1000).toFixed(1)} s`);
    await this.server.stop();
    this.server = null;
    await new Promise((r) => setTimeout(r, downMs));
    if (this.stopped) return;
    await this.boot();
    event.upMs = Date.now();
    this.log(`Temporal restart: back after ${((event.upMs - event.downMs) / 1000).toFixed(1)} s`);
  }

  /** Restarts that began or were still going on between `fromMs` and `toMs`. */
  restartsDuring(fromMs: number, toMs: number): RestartEvent[] {
    return this.restartEvents.filter((e) => e.downMs <= toMs && (e.upMs ?? Infinity) >= fromMs);
  }

  /** Every restart so far. */
  get restarts(): readonly RestartEvent[] {
    return this.restartEvents;
  }

  /** Stops the server for good. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    const server = this.server;
    this.server = null;
    await server?.stop();
  }

  private async boot(): Promise<void> {
    this.server = await startDevServer({
      port: this.port,
      dbFilename: join(this.dir, 'temporal.sqlite'),
      readyTimeoutMs: 120_000,
      log: (line) => this.log(line),
    });
  }
}

/**
 * Restarts `server` at the given times until `signal` aborts. `next()` gives each wait (from the previous
 * restart's end) and how long to stay down; it returns null when there are no more.
 */
export async function runRestarts(
  server: TemporalServer,
  next: () => { gapMs: number; downMs: number } | null,
  signal: AbortSignal,
  onError: (err: Error) => void
): Promise<void> {
  for (let step = next(); step !== null && !signal.aborted; step = next()) {
    const waited = await sleep(step.gapMs, signal);
    if (!waited) return;
    try {
      await server.restart(step.downMs);
    } catch (err) {
      onError(err as Error);
      return;
    }
  }
}

/** Waits `ms`; resolves false early when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
