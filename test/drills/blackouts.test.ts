import { describe, expect, it } from 'vitest';
import { activeBlackout, isValidTimeZone, parseBlackout, parseBlackouts } from '../../src/shared/drill-blackouts';

const at = (iso: string): Date => new Date(iso);

describe('blackout windows', () => {
  it('parses every documented form', () => {
    expect(parseBlackout('2026-12-20/2027-01-03')).toMatchObject({
      kind: 'dates',
      from: '2026-12-20',
      to: '2027-01-03',
    });
    expect(parseBlackout('2026-12-20T18:00/2026-12-21T06:00')).toMatchObject({ kind: 'datetimes' });
    expect(parseBlackout('month-end')).toMatchObject({ kind: 'month-end', days: 3 });
    expect(parseBlackout('monthly:1-3')).toMatchObject({ kind: 'monthly', fromDay: 1, toDay: 3 });
  });

  it.each([
    ['2026-12-20', /not a known form/],
    ['2026-13-01/2026-12-31', /invalid date/],
    ['2026-02-30/2026-03-01', /invalid date/],
    ['2027-01-03/2026-12-20', /ends before it starts/],
    ['2026-12-20T18:00/2026-12-20T18:00', /ends before it starts/],
    ['2026-12-20/2026-12-21T06:00', /invalid date/],
    ['2026-12-20T25:00/2026-12-21T06:00', /invalid date/],
    ['monthly:0-3', /outside 1–31/],
    ['monthly:1-32', /outside 1–31/],
    ['quarter-end', /not a known form/],
  ])('rejects %s with a message naming it and the accepted forms', (text, why) => {
    expect(() => parseBlackout(text)).toThrow(why);
    expect(() => parseBlackout(text)).toThrow(`blackout '${text}'`);
    expect(() => parseBlackout(text)).toThrow(/month-end or monthly/);
  });

  it('collects one problem per bad window', () => {
    expect(parseBlackouts(['month-end', 'nope', '2026-01-02/2026-01-01']).problems).toHaveLength(2);
  });

  it('treats a date range as whole days, both ends included, in the given zone', () => {
    const freeze = ['2026-12-20/2027-01-03'];
    expect(activeBlackout(freeze, at('2026-12-20T00:00:00Z'))).toBe('2026-12-20/2027-01-03');
    expect(activeBlackout(freeze, at('2027-01-03T23:59:00Z'))).toBe('2026-12-20/2027-01-03');
    expect(activeBlackout(freeze, at('2027-01-04T00:00:00Z'))).toBeNull();
    // 2026-12-19 20:00 UTC is already 2026-12-20 04:00 in Shanghai.
    expect(activeBlackout(freeze, at('2026-12-19T20:00:00Z'), 'Asia/Shanghai')).not.toBeNull();
    expect(activeBlackout(freeze, at('2026-12-19T20:00:00Z'), 'UTC')).toBeNull();
  });

  it('treats a date-time range as start inclusive, end exclusive', () => {
    const night = ['2026-12-20T18:00/2026-12-21T06:00'];
    expect(activeBlackout(night, at('2026-12-20T18:00:00Z'))).not.toBeNull();
    expect(activeBlackout(night, at('2026-12-21T05:59:00Z'))).not.toBeNull();
    expect(activeBlackout(night, at('2026-12-21T06:00:00Z'))).toBeNull();
    // 18:00 in Berlin (winter, UTC+1) is 17:00 UTC.
    expect(activeBlackout(night, at('2026-12-20T17:00:00Z'), 'Europe/Berlin')).not.toBeNull();
  });

  it('month-end covers the last three days of each month, leap years included', () => {
    expect(activeBlackout(['month-end'], at('2026-01-29T00:00:00Z'))).toBe('month-end');
    expect(activeBlackout(['month-end'], at('2026-01-28T23:59:00Z'))).toBeNull();
    expect(activeBlackout(['month-end'], at('2026-02-26T12:00:00Z'))).toBe('month-end');
    expect(activeBlackout(['month-end'], at('2028-02-26T12:00:00Z'))).toBeNull();
    expect(activeBlackout(['month-end'], at('2028-02-27T12:00:00Z'))).toBe('month-end');
  });

  it('monthly day ranges repeat every month, wrap over the month end and clamp to short months', () => {
    expect(activeBlackout(['monthly:1-3'], at('2026-05-03T23:00:00Z'))).toBe('monthly:1-3');
    expect(activeBlackout(['monthly:1-3'], at('2026-05-04T00:00:00Z'))).toBeNull();
    expect(activeBlackout(['monthly:30-2'], at('2026-05-31T10:00:00Z'))).toBe('monthly:30-2');
    expect(activeBlackout(['monthly:30-2'], at('2026-06-02T10:00:00Z'))).toBe('monthly:30-2');
    expect(activeBlackout(['monthly:30-2'], at('2026-06-03T10:00:00Z'))).toBeNull();
    expect(activeBlackout(['monthly:31-31'], at('2026-02-28T10:00:00Z'))).toBe('monthly:31-31');
  });

  it('returns the first matching window as written', () => {
    expect(activeBlackout(['monthly:1-2', ' month-end '], at('2026-04-30T10:00:00Z'))).toBe('month-end');
  });

  it('knows IANA time zones and refuses unknown ones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(() => activeBlackout(['month-end'], new Date(), 'Mars/Olympus')).toThrow(RangeError);
  });
});
