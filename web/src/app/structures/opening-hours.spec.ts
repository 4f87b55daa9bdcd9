import { describeOpeningHours } from './opening-hours';

describe('describeOpeningHours', () => {
  it('reads a weekday range with two time slots', () => {
    expect(describeOpeningHours('Mo-Fr 08:30-12:00,13:30-17:00')).toEqual([
      'du lundi au vendredi : 08h30 – 12h00, 13h30 – 17h00',
    ]);
  });

  it('reads several rules, day lists and closed days', () => {
    expect(describeOpeningHours('Mo,We 09:00-12:00; Sa 09:00-11:30; Su off')).toEqual([
      'lundi, mercredi : 09h00 – 12h00',
      'samedi : 09h00 – 11h30',
      'dimanche : fermé',
    ]);
  });

  it('keeps what it does not understand as written', () => {
    expect(describeOpeningHours('Mo-Fr 08:00-12:00 "sur rendez-vous"')).toEqual([
      'Mo-Fr 08:00-12:00 "sur rendez-vous"',
    ]);
  });

  it('returns nothing for an empty value', () => {
    expect(describeOpeningHours(null)).toEqual([]);
    expect(describeOpeningHours('  ')).toEqual([]);
  });
});
