/**
 * Pins an SDK flag in a run's first workflow task. The OpenTelemetry workflow interceptors (in every bundle,
 * src/devstack/bundle.ts) decide how they wrap an update by the SDK flag `OpenTelemetryInterceptorsInstrumentsAllMethods`,
 * and the SDK records a flag in the workflow task where it is first used. When that first use is an update its
 * validator rejected, the task is discarded with the rejection and the record with it: the run went on with the
 * flag on, a replay of its history runs with it off, orders the next accepted update's completion differently and
 * fails with a nondeterminism error. Asking for the flag in the first task records it where it is never discarded.
 * A replay (of a run started before this) only reads the flag: no command, no change.
 */
import { SdkFlags } from '@temporalio/workflow/lib/flags';
import { getActivator } from '@temporalio/workflow/lib/global-attributes';

/** Call at the start of every workflow that takes updates, before any await. */
export function pinUpdateTracingFlag(): void {
  getActivator().hasFlag(SdkFlags.OpenTelemetryInterceptorsInstrumentsAllMethods);
}
