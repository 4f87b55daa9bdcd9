import {
  CONTINUITY_ALERT_KINDS,
  CONTINUITY_DEFAULT_THRESHOLDS,
  type ContinuityAlertKind,
  type ContinuityThresholds,
} from '@passerelle/contracts';

/** The pure parts of the continuity alerts: keys, delays, ages, territories (unit-tested, no database). */

/** A threshold's day: 24 hours, so that "N days" is the same length in every season (ageDays counts the same days). */
export const DAY_MS = 24 * 3600 * 1000;

/** The alert key's separator: in neither a kind, a uuid nor an ISO 8601 date. */
const KEY_SEPARATOR = '~';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The one form of a date in a key: Date.prototype.toISOString's (UTC, milliseconds). */
const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export interface AlertKey {
  kind: ContinuityAlertKind;
  subjectId: string;
  gapSince: Date;
}

export function isAlertKind(value: unknown): value is ContinuityAlertKind {
  return typeof value === 'string' && (CONTINUITY_ALERT_KINDS as readonly string[]).includes(value);
}

/**
 * `${kind}~${subjectId}~${gapSince ISO}` (contracts): stable while the gap lasts, a new one when a new
 * gap begins. The gap's date is kept to the millisecond (the queries truncate it the same way).
 */
export function formatAlertKey(key: AlertKey): string {
  return [key.kind, key.subjectId.toLowerCase(), key.gapSince.toISOString()].join(KEY_SEPARATOR);
}

/** The parts of a key, or null when it is not one (unknown kind, not a uuid, not the ISO form of a date). */
export function parseAlertKey(value: unknown): AlertKey | null {
  if (typeof value !== 'string' || value.length > 120) return null;
  const parts = value.split(KEY_SEPARATOR);
  if (parts.length !== 3) return null;
  const [kind, subjectId, since] = parts;
  if (!isAlertKind(kind) || !UUID.test(subjectId) || !ISO_UTC_MS.test(since)) return null;
  const gapSince = new Date(since);
  // "2026-02-30T…" parses to another day: only a date that prints back the same is one.
  if (Number.isNaN(gapSince.getTime()) || gapSince.toISOString() !== since) return null;
  return { kind, subjectId: subjectId.toLowerCase(), gapSince };
}

/** The tenant's thresholds: its own rows, the contracts' defaults for the kinds it has not set. */
export function mergeThresholds(rows: readonly { kind: string; days: number }[]): ContinuityThresholds {
  const thresholds: ContinuityThresholds = { ...CONTINUITY_DEFAULT_THRESHOLDS };
  for (const row of rows) if (isAlertKind(row.kind)) thresholds[row.kind] = Number(row.days);
  return thresholds;
}

/** For each kind, the latest gap start that makes an alert at `now`: an alert exists when gap_since <= now - threshold. */
export function cutoffsAt(now: Date, thresholds: ContinuityThresholds): Record<ContinuityAlertKind, Date> {
  const cutoffs = {} as Record<ContinuityAlertKind, Date>;
  for (const kind of CONTINUITY_ALERT_KINDS) cutoffs[kind] = new Date(now.getTime() - thresholds[kind] * DAY_MS);
  return cutoffs;
}

/** Whole days from the gap's start to `now` (never negative). */
export function ageDays(gapSince: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - gapSince.getTime()) / DAY_MS));
}

/** An empty count for every kind. */
export function zeroCounts(): Record<ContinuityAlertKind, number> {
  return Object.fromEntries(CONTINUITY_ALERT_KINDS.map((k) => [k, 0])) as Record<ContinuityAlertKind, number>;
}
