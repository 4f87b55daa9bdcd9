import { FRENCH_PHONE, normalizeFrenchPhone } from './phone';

describe('normalizeFrenchPhone', () => {
  it.each([
    ['04 92 00 00 00', '0492000000'],
    ['04.92.00.00.00', '0492000000'],
    ['04-92-00-00-00', '0492000000'],
    ['+33 4 92 00 00 00', '0492000000'],
    ['+33 (0)4 92 00 00 00', '0492000000'],
    ['0033 6 12 34 56 78', '0612345678'],
    ['+262 262 12 34 56', '0262123456'],
  ])('%s → %s', (input, output) => {
    expect(normalizeFrenchPhone(input)).toBe(output);
  });

  it.each([
    ['0492000000', true],
    ['0092000000', false],
    ['049200000', false],
    ['+3304920000', false],
    ['abc', false],
  ])('%s accepted: %s', (phone, ok) => {
    expect(FRENCH_PHONE.test(normalizeFrenchPhone(phone))).toBe(ok);
  });
});
