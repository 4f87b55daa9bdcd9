import type { BirthDatePrecision } from '@passerelle/contracts';

/** A birth date as stored: an ISO date and how much of it is known ('year': stored as YYYY-01-01). */
export interface BirthDate {
  date: string;
  precision: BirthDatePrecision;
}

const BIRTH_FORMAT = /^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$/;
/** The oldest birth date accepted (the database has the same CHECK). */
export const MIN_BIRTH_YEAR = 1900;

/** Today in metropolitan France, as YYYY-MM-DD (a birth date "in the future" is judged on the French calendar). */
export function todayInFrance(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/**
 * A birth date as typed in the API: "YYYY-MM-DD" (day known), "YYYY-MM" (month) or "YYYY" (year only).
 * The precision is inferred from the format unless given; a given precision coarser than the format
 * truncates the date ("1984-06-12" with 'year' → 1984-01-01). Returns null when the value is not a
 * real calendar date, or when the precision asks for more than the value says ("1984" with 'day').
 */
export function parseBirthDate(value: string, precision?: BirthDatePrecision | null): BirthDate | null {
  const m = BIRTH_FORMAT.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d] = m;
  const given: BirthDatePrecision = d ? 'day' : mo ? 'month' : 'year';
  const wanted = precision ?? given;
  if (RANK[wanted] > RANK[given]) return null;
  const month = Number(mo ?? '01');
  const day = Number(d ?? '01');
  const date = new Date(Date.UTC(Number(y), month - 1, day));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  const iso = `${y}-${wanted === 'year' ? '01' : (mo ?? '01')}-${wanted === 'day' ? (d ?? '01') : '01'}`;
  return { date: iso, precision: wanted };
}

const RANK: Record<BirthDatePrecision, number> = { year: 0, month: 1, day: 2 };

/** The earliest day the (possibly partial) date can mean is not after today, and it is not before 1900. */
export function isPlausibleBirthDate(birth: BirthDate, today: string = todayInFrance()): boolean {
  return Number(birth.date.slice(0, 4)) >= MIN_BIRTH_YEAR && birth.date <= today;
}
