import { isPlausibleBirthDate, parseBirthDate, todayInFrance } from './birth-date';

describe('parseBirthDate', () => {
  it.each([
    ['1984-06-12', undefined, { date: '1984-06-12', precision: 'day' }],
    ['1984-06', undefined, { date: '1984-06-01', precision: 'month' }],
    ['1984', undefined, { date: '1984-01-01', precision: 'year' }],
    [' 1984 ', undefined, { date: '1984-01-01', precision: 'year' }],
    ['1984-06-12', 'year', { date: '1984-01-01', precision: 'year' }],
    ['1984-06-12', 'month', { date: '1984-06-01', precision: 'month' }],
    ['1984-06', 'year', { date: '1984-01-01', precision: 'year' }],
    ['2000-02-29', 'day', { date: '2000-02-29', precision: 'day' }],
  ] as const)('%s (%s) → %j', (value, precision, expected) => {
    expect(parseBirthDate(value, precision)).toEqual(expected);
  });

  it.each([
    ['1984-02-30', undefined],
    ['1983-02-29', undefined],
    ['1984-13', undefined],
    ['1984-00-10', undefined],
    ['12/06/1984', undefined],
    ['84', undefined],
    ['1984-6-1', undefined],
    ['1984', 'day'],
    ['1984-06', 'day'],
    ['', undefined],
  ] as const)('%s (%s) is refused', (value, precision) => {
    expect(parseBirthDate(value, precision)).toBeNull();
  });
});

describe('isPlausibleBirthDate', () => {
  const today = '2026-03-15';
  it.each([
    ['2026-03-15', 'day', true],
    ['2026-03-16', 'day', false],
    ['2026-03-01', 'month', true],
    ['2026-04-01', 'month', false],
    ['2026-01-01', 'year', true],
    ['2027-01-01', 'year', false],
    ['1900-01-01', 'year', true],
    ['1899-12-31', 'day', false],
  ] as const)('%s (%s): %s', (date, precision, ok) => {
    expect(isPlausibleBirthDate({ date, precision }, today)).toBe(ok);
  });

  it('judges "today" on the French calendar', () => {
    // 23:30 UTC on 31 December is already 1 January in Paris.
    expect(todayInFrance(new Date('2025-12-31T23:30:00Z'))).toBe('2026-01-01');
  });
});
