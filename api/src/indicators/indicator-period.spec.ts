import { indicatorPeriod, mondayOf, parseDay, periodProblem, PERIOD_MESSAGES, weeksOf } from './indicator-period';

describe('indicator period', () => {
  it('accepts real calendar days only', () => {
    expect(parseDay('2026-03-31')).toEqual({ year: 2026, month: 3, day: 31 });
    expect(parseDay('2024-02-29')).not.toBeNull();
    for (const bad of ['2025-02-29', '2026-02-30', '2026-13-01', '2026-3-1', '31/03/2026', '', '1999-12-31', '2026-03-31T00:00', 20260331, null, ['2026-03-31']]) {
      expect(parseDay(bad)).toBeNull();
    }
  });

  it('from ≤ to, at most 5 years', () => {
    expect(periodProblem('2026-01-01', '2026-01-01')).toBeNull();
    expect(periodProblem('2026-01-02', '2026-01-01')).toEqual({ field: 'to', message: PERIOD_MESSAGES.order });
    expect(periodProblem('2021-01-01', '2025-12-31')).toBeNull();
    expect(periodProblem('2021-01-01', '2026-01-01')).toEqual({ field: 'to', message: PERIOD_MESSAGES.length });
    expect(periodProblem('nope', '2026-01-01')).toEqual({ field: 'from', message: PERIOD_MESSAGES.day });
    expect(periodProblem('2026-01-01', '2026-02-30')).toEqual({ field: 'to', message: PERIOD_MESSAGES.day });
  });

  it('is [from 00:00, to + 1 day 00:00) in Paris, across DST changes', () => {
    // Winter: UTC+1; 2026-03-29 is the spring change (the last day lasts 23 hours).
    const p = indicatorPeriod('2026-01-01', '2026-03-29');
    expect(p.start.toISOString()).toBe('2025-12-31T23:00:00.000Z');
    expect(p.end.toISOString()).toBe('2026-03-29T22:00:00.000Z');
    const summer = indicatorPeriod('2026-07-14', '2026-07-14');
    expect([summer.start.toISOString(), summer.end.toISOString()]).toEqual(['2026-07-13T22:00:00.000Z', '2026-07-14T22:00:00.000Z']);
  });

  it('weeks: the ISO weeks (Monday) overlapping the period, bounds at Monday 00:00 Paris', () => {
    expect(mondayOf({ year: 2026, month: 3, day: 1 })).toEqual({ year: 2026, month: 2, day: 23 }); // a Sunday
    expect(mondayOf({ year: 2026, month: 3, day: 2 })).toEqual({ year: 2026, month: 3, day: 2 }); // a Monday
    const w = weeksOf({ from: '2026-03-01', to: '2026-03-18' });
    expect(w.mondays).toEqual(['2026-02-23', '2026-03-02', '2026-03-09', '2026-03-16']);
    expect(w.start.toISOString()).toBe('2026-02-22T23:00:00.000Z');
    expect(w.end.toISOString()).toBe('2026-03-22T23:00:00.000Z');
    expect(weeksOf({ from: '2025-12-29', to: '2026-01-04' }).mondays).toEqual(['2025-12-29']);
  });
});
