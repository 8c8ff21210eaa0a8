/**
 * An outage of the whole API: the listening socket closes (new connections get ECONNREFUSED) and every open
 * keep-alive connection is destroyed; after the outage the simulator listens again on the same port. The control
 * API shares the port, so it is down too: scripts start outages programmatically or with a call answered first.
 */
import type { Server } from 'node:http';
import { z } from 'zod';
import type { Logger } from '../logger';
import { durationSchema } from './config';
import { parseInput } from './input-error';

/** How soon a failed re-listen (port briefly taken) is tried again. */
const RELISTEN_RETRY_MS = 100;

const apiOutageSchema = z.strictObject({
  durationMs: durationSchema.refine((ms) => ms > 0, 'must be positive'),
});

/** Body of `POST /_sim/api-outage`. */
export type ApiOutageInput = z.input<typeof apiOutageSchema>;

/** @returns the outage length in ms. @throws SimInputError naming the bad field. */
export function apiOutageDurationMs(input: unknown): number {
  return parseInput(apiOutageSchema, input ?? {}, 'body').durationMs;
}

/** Closes and re-opens the server's listener; the single owner of its re-listen timer. */
export class ListenerOutage {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** End of the outage in progress, or null while listening. */
  untilMs: number | null = null;

  constructor(
    private readonly server: Server,
    private readonly port: number,
    private readonly host: string,
    private readonly logger: Logger
  ) {}

  /**
   * Refuses connections for `durationMs` (an outage in progress is extended, never shortened).
   * @returns once the listener is closed and every connection destroyed.
   */
  async start(durationMs: number): Promise<void> {
    if (this.stopped) return;
    this.untilMs = Math.max(this.untilMs ?? 0, Date.now() + durationMs);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.relisten(), this.untilMs - Date.now());
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Ends the outage logic for good (the simulator is closing): no timer is left. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private relisten(): void {
    this.timer = null;
    if (this.stopped) return;
    const retry = (err: Error): void => {
      this.logger.warn('simulator could not listen again after an api outage; retrying', { error: String(err) });
      if (!this.stopped) this.timer = setTimeout(() => this.relisten(), RELISTEN_RETRY_MS);
    };
    this.server.once('error', retry);
    this.server.listen(this.port, this.host, () => {
      this.server.off('error', retry);
      this.untilMs = null;
    });
  }
}
