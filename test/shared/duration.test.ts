import { describe, expect, it } from 'vitest';
import { formatDurationMs, isBareNumber, parseDurationMs } from '../../src/shared/duration';

describe('the duration grammar', () => {
  it('reads a bare number as seconds', () => {
    expect(parseDurationMs('90')).toBe(90_000);
    expect(parseDurationMs(' 0.5 ')).toBe(500);
    expect(parseDurationMs('0')).toBe(0);
  });

  it('reads amounts with units, alone or combined, in any case', () => {
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('5s')).toBe(5000);
    expect(parseDurationMs('2M')).toBe(120_000);
    expect(parseDurationMs('1h30m')).toBe(5_400_000);
    expect(parseDurationMs('2d')).toBe(172_800_000);
    expect(parseDurationMs('1.5s')).toBe(1500);
  });

  it('refuses what is not a duration', () => {
    for (const text of ['', 'soon', '-1s', '5 s', '5x', 's5', '1h 30m', '1.2.3s']) {
      expect(parseDurationMs(text), text).toBeUndefined();
    }
  });

  it('tells a bare number from an amount with its unit', () => {
    expect(isBareNumber(' 500 ')).toBe(true);
    expect(isBareNumber('500ms')).toBe(false);
    expect(isBareNumber('-5')).toBe(false);
  });

  it('formats milliseconds as text the grammar reads back to the same value', () => {
    for (const ms of [0, 250, 1000, 1500, 60_000, 90_000, 300_000, 3_600_000, 5_400_000, 86_400_000]) {
      expect(parseDurationMs(formatDurationMs(ms)), String(ms)).toBe(ms);
    }
    expect([formatDurationMs(250), formatDurationMs(1500), formatDurationMs(300_000)]).toEqual(['250ms', '1.5s', '5m']);
  });
});
