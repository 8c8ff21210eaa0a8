/**
 * Heartbeats for as long as an activity works, so a dead worker is noticed within the heartbeat timeout (seconds,
 * not the activity's whole start-to-close timeout), and so the activity learns at once when Temporal gave up on it
 * (the cancellation signal fires when a heartbeat is answered "timed out" or "not found").
 */
import { cancellationSignal, heartbeat } from '@temporalio/activity';

/** How often a working activity heartbeats; the worker flushes heartbeats at most once a second. */
const BEAT_MS = 2_000;

export interface KeepAlive {
  /** Aborts when Temporal cancels the activity or declares it lost. */
  signal: AbortSignal;
  /** The details sent with every following heartbeat (and at once). */
  update(details: unknown): void;
  /**
   * The details to heartbeat, sent now only if the last heartbeat is two seconds old (else the next periodic one
   * carries them): for an activity that reads twice a second, so that a thousand of them cost Temporal one
   * heartbeat each every two seconds, not one a second, while a new worker still resumes from recent details.
   */
  note(details: unknown): void;
  stop(): void;
}

/**
 * Starts heartbeating `details` every two seconds. The first heartbeat goes out after `firstAfterMs`, so a short
 * activity that calls {@link KeepAlive.update} early sends that detail first, unthrottled.
 */
export function keepAlive(details: unknown, firstAfterMs = BEAT_MS): KeepAlive {
  let current = details;
  let lastBeatAt = -Infinity;
  const beat = (): void => {
    lastBeatAt = performance.now();
    heartbeat(current);
  };
  let timer: NodeJS.Timeout | null = setTimeout(function tick() {
    beat();
    timer = setTimeout(tick, BEAT_MS);
  }, firstAfterMs);
  return {
    signal: cancellationSignal(),
    update(next) {
      current = next;
      beat();
    },
    note(next) {
      current = next;
      if (performance.now() - lastBeatAt >= BEAT_MS) beat();
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

/** Runs `fn` while heartbeating `details`; stops the heartbeats however `fn` ends. */
export async function whileAlive<T>(details: unknown, fn: (alive: KeepAlive) => Promise<T>): Promise<T> {
  const alive = keepAlive(details);
  try {
    return await fn(alive);
  } finally {
    alive.stop();
  }
}
