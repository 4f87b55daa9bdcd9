/** Country codes of France and its overseas départements, whose numbers are dialled 0 + 9 digits at home. */
const FRENCH_COUNTRY_CODES = /^(?:\+|00)(33|262|269|590|594|596)/;

/**
 * A French phone number as written by people ("04 92 00 00 00", "04.92.00.00.00", "+33 4 92 00 00 00")
 * in its national 10-digit form ("0492000000"). Input that does not look like one is returned without
 * its separators, so validation can refuse it.
 */
export function normalizeFrenchPhone(value: string): string {
  const compact = value.replace(/[\s.\-()/]/g, '');
  const international = FRENCH_COUNTRY_CODES.exec(compact);
  if (international) {
    const national = compact.slice(international[0].length);
    // "+33 (0)4 92…" is common: the national 0 may be kept in brackets.
    if (/^0?[1-9][0-9]{8}$/.test(national)) return `0${national.slice(-9)}`;
  }
  return compact;
}

export const FRENCH_PHONE = /^0[1-9][0-9]{8}$/;
