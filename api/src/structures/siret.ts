/** SIREN of La Poste: most of its establishments' SIRET break the Luhn rule (their digit sum is a multiple of 5 instead). */
const LA_POSTE_SIREN = '356000000';

/** Luhn checksum, the control key of SIREN and SIRET numbers. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A SIRET: 14 digits with a valid Luhn key (La Poste's establishments: Luhn or digit sum divisible by 5). */
export function isValidSiret(value: string): boolean {
  if (!/^[0-9]{14}$/.test(value)) return false;
  if (luhnValid(value)) return true;
  return value.startsWith(LA_POSTE_SIREN) && [...value].reduce((sum, d) => sum + Number(d), 0) % 5 === 0;
}
