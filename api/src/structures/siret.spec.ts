import { isValidSiret, luhnValid } from './siret';

describe('SIRET validation', () => {
  it.each([
    ['73282932000074', true], // a real SIRET (Luhn key right)
    ['73282932000075', false], // last digit changed
    ['35600000000048', true], // La Poste head office (Luhn)
    ['35600000049837', true], // a La Poste establishment: not Luhn, digit sum 45
    ['35600000049838', false], // La Poste prefix, neither rule
    ['7328293200007', false], // 13 digits
    ['7328293200007A', false],
    ['', false],
  ])('%s valid: %s', (siret, valid) => {
    expect(isValidSiret(siret)).toBe(valid);
  });

  it('computes the Luhn key of a SIREN', () => {
    expect(luhnValid('732829320')).toBe(true);
    expect(luhnValid('732829321')).toBe(false);
  });
});
