/**
 * Every timer the simulator starts goes through one scheduler, so `close()` and `reset()` can clear them all and
 * a closed simulator never keeps the process alive or changes state behind a test's back.
 */
export class Scheduler {
  private readonly timers = new Map<number, { handle: NodeJS.Timeout; onClear?: () => void }>();
  private nextId = 1;

  /** Runs `fn` after `ms` milliseconds. @returns an id for {@link cancel}. */
  after(ms: number, fn: () => void): number {
    const id = this.nextId++;
    const handle = setTimeout(
      () => {
        this.timers.delete(id);
        fn();
      },
      Math.max(0, ms)
    );
    this.timers.set(id, { handle });
    return id;
  }

  /**
   * Waits `ms` milliseconds.
   * @returns true when the time passed, false when the scheduler was cleared first (the caller should stop).
   */
  sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const id = this.after(ms, () => resolve(true));
      const entry = this.timers.get(id);
      if (entry) entry.onClear = () => resolve(false);
    });
  }

  /** Cancels one timer; unknown ids are ignored. */
  cancel(id: number): void {
    const entry = this.timers.get(id);
    if (!entry) return;
    clearTimeout(entry.handle);
    this.timers.delete(id);
  }

  /** Cancels every pending timer; pending {@link sleep}s resolve to false. */
  clear(): void {
    const entries = [...this.timers.values()];
    this.timers.clear();
    for (const entry of entries) {
      clearTimeout(entry.handle);
      entry.onClear?.();
    }
  }

  /** Number of pending timers (tests check that nothing is left after `close()`). */
  get pending(): number {
    return this.timers.size;
  }
}
