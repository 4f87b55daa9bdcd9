import type { Random } from './random';

/**
 * Time for the generator: instants are UTC milliseconds; days are Europe/Paris calendar days counted
 * from 1970-01-01. Reception desks open on weekdays, 9–12 h and 14–17 h Paris time, close on public
 * holidays, slow down in August and between Christmas and New Year.
 */
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

const dstCache = new Map<number, [number, number]>();

/** Last Sunday of a month (0-based), 01:00 UTC: when EU summer time starts (March) or ends (October). */
function lastSundayAt1Utc(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0));
  const day = last.getUTCDate() - last.getUTCDay();
  return Date.UTC(year, month, day, 1);
}

/** Europe/Paris offset from UTC at an instant, in hours (1 in winter, 2 in summer). */
export function parisOffsetHours(utc: number): number {
  const year = new Date(utc).getUTCFullYear();
  let bounds = dstCache.get(year);
  if (!bounds) {
    bounds = [lastSundayAt1Utc(year, 2), lastSundayAt1Utc(year, 9)];
    dstCache.set(year, bounds);
  }
  return utc >= bounds[0] && utc < bounds[1] ? 2 : 1;
}

/** The instant of a Paris local time: `day` (Paris calendar day number) at `minutes` after midnight. */
export function parisInstant(day: number, minutes: number): number {
  const local = day * DAY_MS + minutes * MINUTE_MS;
  const winter = local - HOUR_MS;
  return parisOffsetHours(winter) === 2 ? local - 2 * HOUR_MS : winter;
}

/** The Paris calendar day of an instant. */
export function parisDay(utc: number): number {
  return Math.floor((utc + parisOffsetHours(utc) * HOUR_MS) / DAY_MS);
}

/** 0 = Monday … 6 = Sunday. */
export function weekday(day: number): number {
  return (day + 3) % 7;
}

/** Easter Sunday (Gregorian, Meeus/Jones/Butcher) as a day number. */
function easter(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

function publicHolidays(year: number): Set<number> {
  const fixed = [
    [0, 1],
    [4, 1],
    [4, 8],
    [6, 14],
    [7, 15],
    [10, 1],
    [10, 11],
    [11, 25],
  ].map(([m, d]) => Date.UTC(year, m, d) / DAY_MS);
  const e = easter(year);
  return new Set([...fixed, e + 1, e + 39, e + 50]);
}

/**
 * How busy each day of the window is. Within a week, relative to an ordinary weekday (1): Monday a
 * little more, Friday less, Saturday ~4 %, Sunday ~1 %, public holidays ~2 %. Over the year: in
 * August only 55–75 % of what would have happened does (the rest waits for September), 50 % between
 * Christmas and New Year (the rest waits for January), 85 % in the second half of July.
 */
export class Calendar {
  private readonly weights: Float32Array;
  private readonly season: Float32Array;
  /** The day the quiet period ends (postponed contacts resume then). */
  private readonly resume: Int32Array;

  constructor(
    readonly firstDay: number,
    readonly lastDay: number,
  ) {
    const n = lastDay - firstDay + 1;
    this.weights = new Float32Array(n);
    this.season = new Float32Array(n);
    this.resume = new Int32Array(n);
    const holidays = new Map<number, Set<number>>();
    for (let day = firstDay; day <= lastDay; day++) {
      const date = new Date(day * DAY_MS);
      const year = date.getUTCFullYear();
      const month = date.getUTCMonth();
      const dom = date.getUTCDate();
      let set = holidays.get(year);
      if (!set) {
        set = publicHolidays(year);
        holidays.set(year, set);
      }
      const i = day - firstDay;
      this.weights[i] = set.has(day) ? 0.02 : [1.1, 1.0, 0.95, 1.0, 0.85, 0.04, 0.01][weekday(day)];
      this.season[i] = 1;
      this.resume[i] = day;
      if (month === 7) {
        this.season[i] = dom <= 15 ? 0.55 : 0.75;
        this.resume[i] = Date.UTC(year, 8, 1) / DAY_MS;
      } else if (month === 11 && dom >= 24) {
        this.season[i] = 0.5;
        this.resume[i] = Date.UTC(year + 1, 0, 3) / DAY_MS;
      } else if (month === 0 && dom <= 2) {
        this.season[i] = 0.5;
        this.resume[i] = Date.UTC(year, 0, 3) / DAY_MS;
      } else if (month === 6 && dom >= 14) {
        this.season[i] = 0.85;
        this.resume[i] = Date.UTC(year, 7, 1) / DAY_MS;
      }
    }
  }

  weight(day: number): number {
    if (day < this.firstDay || day > this.lastDay) return 1;
    return this.weights[day - this.firstDay];
  }

  /**
   * The day something planned for `day` happens: postponed past a quiet period (with its seasonal
   * chance), then moved to the next open day (accepting each day with its weekday weight).
   */
  openDayFrom(day: number, random: Random): number {
    if (day >= this.firstDay && day <= this.lastDay) {
      const i = day - this.firstDay;
      if (this.season[i] < 1 && random.next() > this.season[i]) day = this.resume[i] + random.int(0, 10);
    }
    for (let i = 0; i < 40; i++) {
      if (random.next() < this.weight(day + i) / 1.1) return day + i;
    }
    return day;
  }
}

/** Minutes after midnight of a desk contact: mornings 9–12 h, afternoons 14–17 h, a few around. */
const HOURS = [
  [8, 3],
  [9, 13],
  [10, 17],
  [11, 14],
  [12, 3],
  [13, 3],
  [14, 13],
  [15, 14],
  [16, 12],
  [17, 5],
  [18, 1],
] as const;
const HOUR_TOTAL = HOURS.reduce((s, [, w]) => s + w, 0);

export function deskMinutes(random: Random): number {
  let x = random.next() * HOUR_TOTAL;
  for (const [hour, w] of HOURS) {
    if (x < w) return hour * 60 + Math.floor(random.next() * 60);
    x -= w;
  }
  return 10 * 60;
}

/** E-mails and letters are written at any time of the day, mostly in office hours. */
export function writtenMinutes(random: Random): number {
  return random.chance(0.7) ? deskMinutes(random) : random.int(7 * 60, 22 * 60);
}

const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayText = new Map<number, string>();

/** An instant in UTC as PostgreSQL reads it (`2026-03-12 09:30:00.000+00`): ~5× faster than toISOString, cached by day. */
export function iso(utc: number): string {
  const ms = Math.floor(utc);
  const day = Math.floor(ms / DAY_MS);
  let date = dayText.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dayText.set(day, date);
  }
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / HOUR_MS);
  rest -= hours * HOUR_MS;
  const minutes = Math.floor(rest / MINUTE_MS);
  rest -= minutes * MINUTE_MS;
  const seconds = Math.floor(rest / 1000);
  return `${date} ${TWO[hours]}:${TWO[minutes]}:${TWO[seconds]}.${THREE[rest - seconds * 1000]}+00`;
}
