/** The time zone of "today" for reception desks (metropolitan France). */
export const DESK_TIME_ZONE = 'Europe/Paris';

export interface DayBounds {
  /** The calendar day in Paris, YYYY-MM-DD. */
  date: string;
  /** Midnight that day in Paris, as an instant (inclusive). */
  start: Date;
  /** Midnight the next day in Paris, as an instant (exclusive): a day lasts 23, 24 or 25 hours. */
  end: Date;
}

const partsFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: DESK_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The Paris wall-clock fields of an instant. */
function parisFields(instant: Date): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = partsFormat.formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** Offset of Paris from UTC at this instant, in milliseconds (+1 h in winter, +2 h in summer). */
function parisOffsetMs(instant: Date): number {
  const f = parisFields(instant);
  const wallAsUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return wallAsUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant of 00:00 in Paris on this calendar day (midnight never falls in a DST gap there). */
export function parisMidnight(year: number, month: number, day: number): Date {
  const guess = Date.UTC(year, month - 1, day);
  const first = guess - parisOffsetMs(new Date(guess));
  // Re-check with the offset at the candidate instant (differs when a DST change lies in between).
  return new Date(guess - parisOffsetMs(new Date(first)));
}

/** The Paris calendar day containing `now`, with its bounds as instants. */
export function parisDay(now: Date = new Date()): DayBounds {
  const f = parisFields(now);
  const start = parisMidnight(f.year, f.month, f.day);
  const next = new Date(Date.UTC(f.year, f.month - 1, f.day + 1));
  const end = parisMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate());
  const date = `${String(f.year).padStart(4, '0')}-${String(f.month).padStart(2, '0')}-${String(f.day).padStart(2, '0')}`;
  return { date, start, end };
}
