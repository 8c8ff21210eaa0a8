/**
 * What proves a recovery done: the re-seeded standby's first sync after the request, never the `running` status
 * alone (the service may show it while it works), and the bound the workflow gives the follow for "after".
 */
import { describe, expect, it } from 'vitest';
import { recoveryRunningState, type DrActionTarget } from '../../src/activities/operations/dr-action';
import { signOf } from '../../src/activities/operations/witness';
import type { RequestRecord } from '../../src/shared/operation-model';
import { takenRequestSentAt } from '../../src/shared/request-verdict';

const PRIMARY = 'primary-cluster';
const STANDBY = 'standby-cluster';
const PRE_SYNC = '2026-12-02T10:00:00.000Z';
const SENT = '2026-12-02T10:05:00.400Z';

function recovery(over: Partial<DrActionTarget> = {}): DrActionTarget {
  return {
    operation: 'recovery',
    projectId: 'p',
    drId: 'dr',
    oldPrimaryId: PRIMARY,
    newPrimaryId: STANDBY,
    preStatus: 'running',
    preLastSync: PRE_SYNC,
    ...over,
  };
}

describe('a recovery seen running with its primary unchanged', () => {
  it('is not done while following until the standby synced after the request, whatever the status says', () => {
    // From running the view looks as before the request: it proves nothing (neither working nor failed). From
    // another status, the status left its pre-check value: in progress.
    for (const [preStatus, meanwhile] of [
      ['running', 'unproven'],
      ['abnormal', 'in-progress'],
    ] as const) {
      const t = recovery({ preStatus, requestSentAt: SENT });
      // Seen working or not: `running` is what the service may show while it re-seeds.
      expect(recoveryRunningState(t, '2026-12-02T10:00:00', true)).toBe(meanwhile);
      expect(recoveryRunningState(t, null, true)).toBe(meanwhile);
      // A regular sync between the pre-checks and the request proves nothing.
      expect(recoveryRunningState(t, '2026-12-02T10:04:00', false)).toBe(meanwhile);
      // The same second as the request: DWS times are whole seconds, so it may have been before it.
      expect(recoveryRunningState(t, '2026-12-02T10:05:00', false)).toBe(meanwhile);
      expect(recoveryRunningState(t, '2026-12-02T10:05:01', false)).toBe('done');
    }
  });

  it('before a request was taken, from running: done only once the service was seen working', () => {
    const t = recovery();
    expect(recoveryRunningState(t, '2026-12-02T10:09:00', false)).toBe('not-started');
    expect(recoveryRunningState(t, '2026-12-02T10:09:00', true)).toBe('done');
  });

  it('before a request was taken, from another status: taken (no resend), and done once the standby synced again', () => {
    const t = recovery({ preStatus: 'abnormal' });
    expect(recoveryRunningState(t, '2026-12-02T10:00:00', false)).toBe('in-progress');
    expect(recoveryRunningState(t, '2026-12-02T10:00:01', false)).toBe('done');
    // A standby that never synced before: any sync is the re-seeded one.
    expect(recoveryRunningState(recovery({ preStatus: 'abnormal', preLastSync: null }), null, false)).toBe(
      'in-progress'
    );
    expect(
      recoveryRunningState(recovery({ preStatus: 'abnormal', preLastSync: null }), '2026-12-02T09:00:00', false)
    ).toBe('done');
  });

  it('keeps the status rule for inputs scheduled before the pre-checks sync time was carried', () => {
    const legacy = recovery({ preStatus: 'abnormal', preLastSync: undefined, requestSentAt: SENT });
    expect(recoveryRunningState(legacy, null, false)).toBe('done');
    expect(recoveryRunningState({ ...legacy, preStatus: 'running' }, null, false)).toBe('not-started');
  });

  it('gives every read path the same sign: detail and list views with the list sync time', () => {
    const t = recovery({ requestSentAt: SENT });
    // Proves nothing yet: read like a path that could not be read (no resend, and no verdict either way).
    expect(signOf({ primaryId: PRIMARY, status: 'running', lastSync: '2026-12-02T10:01:00' }, t, true)).toBe(
      'unreadable'
    );
    expect(
      signOf(
        { primaryId: PRIMARY, status: 'running', lastSync: '2026-12-02T10:01:00' },
        { ...t, preStatus: 'abnormal' },
        true
      )
    ).toBe('in-progress');
    expect(signOf({ primaryId: PRIMARY, status: 'running', lastSync: '2026-12-02T10:06:00' }, t, false)).toBe('done');
    // A failed recovery: the pair is abnormal again.
    expect(signOf({ primaryId: PRIMARY, status: 'abnormal', lastSync: '2026-12-02T10:06:00' }, t, true)).toBe('none');
  });
});

describe('takenRequestSentAt', () => {
  const rec = (over: Partial<RequestRecord>): RequestRecord => ({
    attempt: 1,
    sentAt: null,
    endedAt: '2026-12-02T10:05:01.000Z',
    answer: 'accepted',
    sent: true,
    status: 200,
    errorCode: null,
    requestId: null,
    note: '',
    ...over,
  });
  const timeline = [
    { phase: 'prechecks', at: '2026-12-02T10:04:00.000Z' },
    { phase: 'requesting', at: '2026-12-02T10:04:59.000Z' },
  ];

  it('is when the first attempt that may have been taken left the worker', () => {
    // The fence may have resent after a recovery from running that had already finished: the service may have
    // taken the first ambiguous attempt, not the accepted one.
    const log = [
      rec({ attempt: 1, sentAt: '2026-12-02T10:04:59.500Z', answer: 'throttled', status: 429 }),
      rec({ attempt: 2, sentAt: '2026-12-02T10:05:00.000Z', answer: 'ambiguous', status: 500 }),
      rec({ attempt: 3, sentAt: '2026-12-02T10:05:10.000Z', answer: 'accepted' }),
      rec({ attempt: 4, sentAt: '2026-12-02T10:05:20.000Z', answer: 'refused', status: 409 }),
    ];
    expect(takenRequestSentAt(log, timeline)).toEqual({ requestSentAt: '2026-12-02T10:05:00.000Z' });
  });

  it('falls back to the end of the attempt before a lost one, then to when the run began requesting', () => {
    const lost = rec({ attempt: 2, answer: 'lost', sent: null, status: null });
    const before = rec({ attempt: 1, answer: 'not-sent', sent: false, endedAt: '2026-12-02T10:05:05.000Z' });
    expect(takenRequestSentAt([before, lost], timeline)).toEqual({ requestSentAt: '2026-12-02T10:05:05.000Z' });
    expect(takenRequestSentAt([lost], timeline)).toEqual({ requestSentAt: '2026-12-02T10:04:59.000Z' });
  });

  it('is nothing when no attempt of the run may have been taken', () => {
    expect(takenRequestSentAt([], timeline)).toEqual({});
    expect(takenRequestSentAt([rec({ answer: 'not-sent', sent: false })], timeline)).toEqual({});
  });
});
