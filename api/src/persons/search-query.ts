import { normalizeFrenchPhone } from '../structures/phone';
import { parseBirthDate, type BirthDate } from './birth-date';

/**
 * What the agent typed in the desk's one search box, understood:
 * - an e-mail (it has an "@"): the whole address, or its beginning while it is being typed;
 * - a phone number in any usual format ("06 12 34 56 78", "+33 6 12…", "06.12"): its national digits,
 *   complete (10 digits) or the beginning typed so far;
 * - otherwise names, in any order, with an optional birth date or year inside ("dupont marie 1984",
 *   "martin 12/06/1984"), which then filters like the `birth` parameter;
 * - 'none' when there is nothing to look for yet (fewer than 2 letters, a lone number…).
 */
export type PersonSearchInput =
  | { kind: 'email'; email: string; complete: boolean }
  | { kind: 'phone'; digits: string }
  | { kind: 'name'; text: string; words: string[]; birth: BirthDate | null }
  | { kind: 'none' };

/** Fewer digits than this match half the file ("06"): wait for more. */
export const MIN_PHONE_DIGITS = 4;
/** More words than this add nothing to a name search (and each one is an index condition). */
export const MAX_WORDS = 6;
const PHONE_CHARS = /^[+0-9\s.\-()/]+$/;
const EMAIL_COMPLETE = /^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$/;
/** Dates written the French way inside a name query: 12/06/1984, 12-06-1984, 12.06.1984. */
const FRENCH_DATE = /(?:^|\s)([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})(?=\s|$)/;
const ISO_DATE = /(?:^|\s)([0-9]{4}-[0-9]{2}-[0-9]{2})(?=\s|$)/;
const YEAR = /(?:^|\s)((?:19|20)[0-9]{2})(?=\s|$)/;
/** Name words are separated by anything but letters (any script, accents included) and digits: "N'Diaye" is "N" + "Diaye". */
const WORD_SEPARATORS = /[^\p{L}\p{M}\p{N}]+/u;

export function parseSearchQuery(raw: string): PersonSearchInput {
  const q = raw.trim();
  if (q.includes('@')) {
    const email = q.replace(/\s+/g, '').toLowerCase();
    return email.length >= 2 ? { kind: 'email', email, complete: EMAIL_COMPLETE.test(email) } : { kind: 'none' };
  }
  if (PHONE_CHARS.test(q)) {
    const digits = nationalPhoneDigits(q);
    return digits && digits.length >= MIN_PHONE_DIGITS ? { kind: 'phone', digits } : { kind: 'none' };
  }
  return nameQuery(q);
}

/**
 * The national digits of a (possibly partial) French phone number: "+33 6 12" → "0612",
 * "0033 (0)6 1" → "061", "06 12 34 56 78" → "0612345678". Null when it cannot be one (a year, "12").
 */
export function nationalPhoneDigits(value: string): string | null {
  const normalized = normalizeFrenchPhone(value);
  if (/^0[0-9]{0,9}$/.test(normalized) && !normalized.startsWith('00')) return normalized;
  const international = /^(?:\+|00)(?:33|262|269|590|594|596)0?([0-9]{0,9})$/.exec(normalized);
  if (international) return `0${international[1]}`;
  return null;
}

function nameQuery(q: string): PersonSearchInput {
  let text = q;
  let birth: BirthDate | null = null;
  const french = FRENCH_DATE.exec(text);
  const iso = ISO_DATE.exec(text);
  const year = YEAR.exec(text);
  if (french) {
    birth = parseBirthDate(`${french[3]}-${french[2].padStart(2, '0')}-${french[1].padStart(2, '0')}`);
    text = text.replace(french[0], ' ');
  } else if (iso) {
    birth = parseBirthDate(iso[1]);
    text = text.replace(iso[0], ' ');
  } else if (year) {
    birth = parseBirthDate(year[1]);
    text = text.replace(year[0], ' ');
  }
  text = text.replace(/\s+/g, ' ').trim();
  // Words as the database will see them (search_normalize: lower case, no accents); a word with no
  // Latin letter or digit would vanish there, so it is dropped here.
  const words = text
    .split(WORD_SEPARATORS)
    .map((w) => w.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase())
    .filter((w) => /[a-z0-9]/.test(w))
    .slice(0, MAX_WORDS);
  // A single letter, or initials only ("j p"), would match half the file: wait for more.
  if (!words.some((w) => w.length >= 2)) return { kind: 'none' };
  return { kind: 'name', text, words, birth };
}
