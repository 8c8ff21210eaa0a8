/**
 * Create-or-update of a schedule by its business-key id: describe → update when it exists, else create (and, if
 * someone created it in between, update). A paused schedule stays paused, with the note that says why.
 */
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  type Client,
  type ScheduleOptions,
  type ScheduleOptionsAction,
} from '@temporalio/client';

export interface ScheduleDefinition {
  spec: ScheduleOptions['spec'];
  action: ScheduleOptionsAction;
  policies: NonNullable<ScheduleOptions['policies']>;
  /** Shown in `schedule list` and the Temporal UI. */
  note: string;
}

/** Creates the schedule or updates the one with this id. @returns whether it was created. */
export async function upsertSchedule(
  client: Client,
  scheduleId: string,
  def: ScheduleDefinition
): Promise<{ scheduleId: string; created: boolean }> {
  const { spec, action, policies, note } = def;
  const update = () =>
    client.schedule.getHandle(scheduleId).update((prev) => ({
      spec,
      action,
      policies,
      state: { paused: prev.state.paused, note: prev.state.paused ? (prev.state.note ?? note) : note },
    }));
  try {
    await update();
    return { scheduleId, created: false };
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
  try {
    await client.schedule.create({ scheduleId, spec, action, policies, state: { note } });
    return { scheduleId, created: true };
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await update();
    return { scheduleId, created: false };
  }
}
