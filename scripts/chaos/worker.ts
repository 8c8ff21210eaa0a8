/**
 * The worker process of one run, as in production (`node bin/dws-failover.js worker`), on the run's own task queue:
 * killed with SIGKILL when the schedule says so and started again after the planned pause. A worker that exits on
 * its own (e.g. it could not reach Temporal during a restart) is started again too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { stopProcess } from '../../src/devstack/dev-server';

const ROOT = join(__dirname, '..', '..');
/** Output kept per run, for the failure report. */
const TAIL_CHARS = 6000;
/** Pause before starting again a worker that exited on its own. */
const RESPAWN_AFTER_MS = 1000;

export class WorkerSupervisor {
  private child: ChildProcess | null = null;
  private active = false;
  private output = '';
  private pendingStart: NodeJS.Timeout | null = null;
  /** SIGKILLs this supervisor sent. */
  kills = 0;
  /** Times the worker exited without being killed, and was started again. */
  unexpectedExits = 0;

  constructor(private readonly env: Record<string, string>) {}

  /** Starts the worker process. */
  start(): void {
    this.active = true;
    this.spawnOne();
  }

  /** SIGKILLs the worker and starts a new one after `downMs`. Does nothing once stopped. */
  kill(downMs: number): void {
    if (!this.active) return;
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      this.kills++;
      this.note(`--- chaos: worker SIGKILLed, restarting in ${downMs} ms ---`);
    }
    this.schedule(downMs);
  }

  /** The last lines the worker processes printed. */
  tail(): string {
    return this.output;
  }

  /** Stops the worker (SIGTERM, then SIGKILL after 3 s) and never restarts it. Idempotent. */
  async stop(): Promise<void> {
    this.active = false;
    if (this.pendingStart) clearTimeout(this.pendingStart);
    const child = this.child;
    this.child = null;
    if (child) await stopProcess(child, 3000);
  }

  /** SIGKILL at once, for exit handlers that cannot wait. */
  killNow(): void {
    this.active = false;
    if (this.pendingStart) clearTimeout(this.pendingStart);
    if (this.child && this.child.exitCode === null) this.child.kill('SIGKILL');
  }

  private schedule(ms: number): void {
    if (this.pendingStart) clearTimeout(this.pendingStart);
    this.pendingStart = setTimeout(() => {
      this.pendingStart = null;
      if (this.active && this.child === null) this.spawnOne();
    }, ms);
  }

  private spawnOne(): void {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'dws-failover.js'), 'worker'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer): void => this.note(chunk.toString());
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = null;
      if (!this.active) return;
      this.unexpectedExits++;
      this.note(`--- chaos: worker exited on its own (code ${code}, signal ${signal}); restarting ---`);
      this.schedule(RESPAWN_AFTER_MS);
    });
  }

  private note(text: string): void {
    this.output = (this.output + text + (text.endsWith('\n') ? '' : '\n')).slice(-TAIL_CHARS);
  }
}
