import type { Contact, ContactChannel, NeedBouquetCode, TodaySummary } from '@passerelle/contracts';
import { CONTACT_CHANNELS, NEED_BOUQUET_CODES } from '@passerelle/contracts';

/** A contact may be recorded up to 5 minutes ahead (clock drift) and up to one year back. */
export const OCCURRED_AT_MAX_FUTURE_MS = 5 * 60_000;
export const OCCURRED_AT_MAX_PAST_DAYS = 366;

/** ISO 8601 date-time with an explicit offset (Z or ±hh:mm): a wall-clock time alone would be ambiguous. */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-](0\d|1[0-4]):[0-5]\d)$/;

/** A real calendar date-time with an offset (JavaScript would roll 30 February over to March). */
function isIsoInstant(value: string): boolean {
  const m = ISO_INSTANT.exec(value);
  if (!m || Number.isNaN(Date.parse(value))) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  return calendar.getUTCFullYear() === year && calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
}

/** Why `value` is not an acceptable contact date-time at `now`, in French; null when it is fine. */
export function occurredAtProblem(value: unknown, now: Date): string | null {
  if (typeof value !== 'string' || !isIsoInstant(value)) {
    return 'Date et heure du contact invalides : format ISO 8601 avec fuseau attendu, par ex. 2026-03-12T09:30:00+01:00.';
  }
  const at = Date.parse(value);
  if (at > now.getTime() + OCCURRED_AT_MAX_FUTURE_MS) return 'La date du contact ne peut pas être dans le futur.';
  const oldest = new Date(now);
  oldest.setUTCDate(oldest.getUTCDate() - OCCURRED_AT_MAX_PAST_DAYS);
  if (at < oldest.getTime()) return 'La date du contact ne peut pas remonter à plus d’un an.';
  return null;
}

/** Key of a need for duplicate detection: same bouquet and same sub-need (case, accents and spaces aside). */
export function needKey(need: { bouquet: unknown; subNeed?: unknown }): string {
  const sub = typeof need.subNeed === 'string' ? need.subNeed.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim() : '';
  return `${String(need.bouquet)}|${sub}`;
}

/** Whether a list of needs names the same bouquet + sub-need twice. */
export function hasDuplicateNeeds(needs: readonly { bouquet: unknown; subNeed?: unknown }[]): boolean {
  const keys = needs.map(needKey);
  return new Set(keys).size !== keys.length;
}

/** How a person is named in lists: "Prénom NOM" (usage name, else birth name), whatever is known. */
export function personDisplayName(p: { usageLastName: string | null; birthLastName: string | null; firstNames: string | null }): string | null {
  const lastName = p.usageLastName ?? p.birthLastName;
  const parts = [p.firstNames, lastName?.toLocaleUpperCase('fr-FR')].filter((x): x is string => !!x && x.trim() !== '');
  const born = p.usageLastName && p.birthLastName && p.usageLastName !== p.birthLastName ? ` (${p.birthLastName.toLocaleUpperCase('fr-FR')})` : '';
  return parts.length > 0 ? parts.join(' ') + born : null;
}

/** Counts of a day's contacts: by channel and by need (a contact counts once per bouquet), most frequent first. */
export function summarizeContacts(contacts: readonly Pick<Contact, 'personId' | 'channel' | 'needs'>[]): Pick<TodaySummary, 'total' | 'anonymous' | 'byChannel' | 'byNeed'> {
  const byChannel = new Map<ContactChannel, number>();
  const byNeed = new Map<NeedBouquetCode, number>();
  for (const c of contacts) {
    byChannel.set(c.channel, (byChannel.get(c.channel) ?? 0) + 1);
    for (const bouquet of new Set(c.needs.map((n) => n.bouquet))) byNeed.set(bouquet, (byNeed.get(bouquet) ?? 0) + 1);
  }
  return {
    total: contacts.length,
    anonymous: contacts.filter((c) => c.personId === null).length,
    byChannel: CONTACT_CHANNELS.filter((channel) => byChannel.has(channel))
      .map((channel) => ({ channel, count: byChannel.get(channel) ?? 0 }))
      .sort((a, b) => b.count - a.count),
    byNeed: NEED_BOUQUET_CODES.filter((bouquet) => byNeed.has(bouquet))
      .map((bouquet) => ({ bouquet, count: byNeed.get(bouquet) ?? 0 }))
      .sort((a, b) => b.count - a.count),
  };
}
