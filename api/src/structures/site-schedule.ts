import OpeningHours from 'opening_hours';
import { RRule } from 'rrule';

/**
 * The canonical form of OpenStreetMap opening_hours (time ranges, e.g. "Mo-Fr 08:30-12:00,13:30-17:00"),
 * or null when the value does not parse. The library corrects what it safely can ("lundi 9h-12h" →
 * "Mo 09:00-12:00"), so the stored value is always the standard syntax.
 */
export function canonicalOpeningHours(value: string): string | null {
  try {
    // mode 0: time ranges only (no points in time); no location is needed to check the syntax.
    const parsed = new OpeningHours(value, null, { mode: 0, tag_key: undefined, map_value: undefined, warnings_severity: undefined, locale: 'fr' });
    return parsed.prettifyValue();
  } catch {
    return null;
  }
}

export const isValidOpeningHours = (value: string): boolean => canonicalOpeningHours(value) !== null;

const WEEKDAY = '(MO|TU|WE|TH|FR|SA|SU)';
const list = (item: string) => new RegExp(`^${item}(,${item})*$`);

/**
 * RFC 5545 RRULE parts accepted for a permanence, each with its value grammar. rrule.js alone is
 * lenient (it accepts "INTERVAL=abc" and then loops forever), so values are checked here first.
 */
const RULE_PARTS: Record<string, RegExp> = {
  FREQ: /^(YEARLY|MONTHLY|WEEKLY|DAILY)$/,
  INTERVAL: /^[1-9][0-9]{0,2}$/,
  COUNT: /^[1-9][0-9]{0,3}$/,
  UNTIL: /^[0-9]{8}(T[0-9]{6}Z?)?$/,
  BYDAY: list(`([+-]?([1-9]|[1-4][0-9]|5[0-3]))?${WEEKDAY}`),
  BYMONTHDAY: list('[+-]?([1-9]|[12][0-9]|3[01])'),
  BYMONTH: list('([1-9]|1[0-2])'),
  BYWEEKNO: list('[+-]?([1-9]|[1-4][0-9]|5[0-3])'),
  BYYEARDAY: list('[+-]?([1-9][0-9]{0,1}|[12][0-9]{2}|3[0-5][0-9]|36[0-6])'),
  BYSETPOS: list('[+-]?([1-9][0-9]{0,1}|[12][0-9]{2}|3[0-5][0-9]|36[0-6])'),
  WKST: new RegExp(`^${WEEKDAY}$`),
};

/** An RRULE as stored: upper case, without the "RRULE:" prefix. */
export function normalizeRecurrence(value: string): string {
  return value.trim().toUpperCase().replace(/^RRULE:/, '');
}

/** True for a single iCalendar RRULE such as "FREQ=WEEKLY;BYDAY=TU" or "FREQ=MONTHLY;BYDAY=1TH". */
export function isValidRecurrence(value: string): boolean {
  const parts = value.split(';');
  const seen = new Set<string>();
  for (const part of parts) {
    const [key, val, ...rest] = part.split('=');
    const grammar = RULE_PARTS[key];
    if (!grammar || val === undefined || rest.length > 0 || seen.has(key) || !grammar.test(val)) return false;
    seen.add(key);
  }
  if (!seen.has('FREQ') || (seen.has('COUNT') && seen.has('UNTIL'))) return false;
  try {
    RRule.fromString(value);
    return true;
  } catch {
    return false;
  }
}
