import { canonicalOpeningHours, isValidOpeningHours, isValidRecurrence, normalizeRecurrence } from './site-schedule';

describe('opening hours (OpenStreetMap syntax)', () => {
  it.each([
    ['Mo-Fr 08:30-12:00,13:30-17:00', true],
    ['Mo-Fr 09:00-12:00; Tu,Th 13:30-17:00', true],
    ['Mo-Fr 08:30-12:00; PH off', true],
    ['Tu 09:00-12:00 "sur rendez-vous"', true],
    ['du lundi au vendredi de 9h à 12h', false],
    ['garbage', false],
    ['Mo-Fr 25:00-26:00', false],
    ['Mo 10:00', false], // a point in time, not a range
    ['', false],
  ])('%s valid: %s', (value, valid) => {
    expect(isValidOpeningHours(value)).toBe(valid);
  });

  it('stores the canonical syntax, correcting what it safely can', () => {
    expect(canonicalOpeningHours('Mo-Fr 9-12')).toBe('Mo-Fr 09:00-12:00');
    expect(canonicalOpeningHours('lundi 9h-12h')).toBe('Mo 09:00-12:00');
    expect(canonicalOpeningHours('Mo-Fr 08:30-12:00,13:30-17:00')).toBe('Mo-Fr 08:30-12:00,13:30-17:00');
  });
});

describe('recurrence (iCalendar RRULE)', () => {
  it.each([
    ['FREQ=WEEKLY;BYDAY=TU', true],
    ['FREQ=MONTHLY;BYDAY=1TH', true],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH', true],
    ['FREQ=WEEKLY;BYDAY=TU;UNTIL=20261231T000000Z', true],
    ['FREQ=WEEKLY;BYDAY=XX', false],
    ['FREQ=WEEKLY;INTERVAL=abc', false],
    ['FREQ=WEEKLY;INTERVAL=0', false],
    ['FREQ=WEEKLY;COUNT=3;UNTIL=20261231', false],
    ['FREQ=FOO', false],
    ['BYDAY=TU', false], // no FREQ
    ['FREQ=WEEKLY;FREQ=DAILY', false],
    ['FREQ=WEEKLY;DTSTART=20250101', false],
    ['tous les mardis', false],
    ['', false],
  ])('%s valid: %s', (value, valid) => {
    expect(isValidRecurrence(value)).toBe(valid);
  });

  it('normalises case and drops the RRULE: prefix', () => {
    expect(normalizeRecurrence(' rrule:freq=weekly;byday=tu ')).toBe('FREQ=WEEKLY;BYDAY=TU');
  });
});
