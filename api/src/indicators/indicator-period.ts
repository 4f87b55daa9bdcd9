import { parisMidnight } from '../contacts/paris-day';

/** The longest period an indicator covers (a territorial diagnosis spans a few years at most). */
export const MAX_PERIOD_YEARS = 5;
const MIN_YEAR = 2000;
const MAX_YEAR = 2099;

export const PERIOD_MESSAGES = {
  day: 'Date invalide : un jour au format AAAA-MM-JJ est attendu, par ex. 2026-03-31.',
  order: 'La date de fin précède la date de début.',
  length: `La période couvre au plus ${MAX_PERIOD_YEARS} ans.`,
};

export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

/** A day `YYYY-MM-DD` that exists in the calendar (2026-02-30 does not), or null. */
export function parseDay(value: unknown): CalendarDay | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < MIN_YEAR || year > MAX_YEAR) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** The calendar day `days` after (or before) this one. */
export function addDays(d: CalendarDay, days: number): CalendarDay {
  const date = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function formatDay(d: CalendarDay): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

const ordinal = (d: CalendarDay) => Date.UTC(d.year, d.month - 1, d.day);

/** What is wrong with a period, for a 400 with the field to correct; null when it is valid. */
export function periodProblem(from: unknown, to: unknown): { field: 'from' | 'to'; message: string } | null {
  const start = parseDay(from);
  if (!start) return { field: 'from', message: PERIOD_MESSAGES.day };
  const end = parseDay(to);
  if (!end) return { field: 'to', message: PERIOD_MESSAGES.day };
  if (ordinal(end) < ordinal(start)) return { field: 'to', message: PERIOD_MESSAGES.order };
  // [from, to + 1 day) lasts at most 5 calendar years: 2021-01-01 … 2025-12-31 is the longest from 2021-01-01.
  const limit = new Date(Date.UTC(start.year + MAX_PERIOD_YEARS, start.month - 1, start.day));
  if (ordinal(addDays(end, 1)) > limit.getTime()) return { field: 'to', message: PERIOD_MESSAGES.length };
  return null;
}

/** A period of whole days in Paris: [from 00:00, to + 1 day 00:00), Europe/Paris. */
export interface IndicatorPeriod {
  from: string;
  to: string;
  start: Date;
  end: Date;
}

/** The period of two valid days (check periodProblem first). */
export function indicatorPeriod(from: string, to: string): IndicatorPeriod {
  const start = parseDay(from);
  const last = parseDay(to);
  if (!start || !last) throw new Error(`invalid period ${from}…${to}`);
  const next = addDays(last, 1);
  return { from, to, start: parisMidnight(start.year, start.month, start.day), end: parisMidnight(next.year, next.month, next.day) };
}

/** The Monday of the ISO week containing this day. */
export function mondayOf(d: CalendarDay): CalendarDay {
  const isoWeekday = ((new Date(ordinal(d)).getUTCDay() + 6) % 7) + 1; // 1 = Monday … 7 = Sunday
  return addDays(d, 1 - isoWeekday);
}

/** The ISO weeks (Monday to Monday, Paris time) overlapping the period: their Mondays and the bounds of the whole span. */
export function weeksOf(period: Pick<IndicatorPeriod, 'from' | 'to'>): { mondays: string[]; start: Date; end: Date } {
  const first = mondayOf(parseDay(period.from) as CalendarDay);
  const last = mondayOf(parseDay(period.to) as CalendarDay);
  const mondays: string[] = [];
  for (let d = first; ordinal(d) <= ordinal(last); d = addDays(d, 7)) mondays.push(formatDay(d));
  const after = addDays(last, 7);
  return { mondays, start: parisMidnight(first.year, first.month, first.day), end: parisMidnight(after.year, after.month, after.day) };
}
