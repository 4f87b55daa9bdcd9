import { SECONDARY_SUPPRESSED, StatCount, SUPPRESSED } from '@passerelle/contracts';

/** The share of contacts the first welcome should answer itself (the seeds' "80 %"), as a fraction. */
export const FIRST_CONTACT_REFERENCE_RATE = 0.8;

/** Shown for a rate or a median the API did not compute (fewer than 5 cases, or none). */
export const NOT_COMPUTED = '—';

/** The notice shown when a section's small counts are suppressed. */
export const SUPPRESSION_NOTICE = $localize`Les effectifs inférieurs à 5 sont masqués (« < 5 ») pour qu'aucune personne ne puisse être reconnue.`;
/** Added when some larger counts are hidden too (secondary suppression, "secret statistique"). */
export const SECONDARY_SUPPRESSION_NOTICE = $localize`Quelques autres effectifs sont masqués (« secret ») : avec les totaux, ils permettraient de retrouver un effectif inférieur à 5.`;

const integerFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const percentFormat = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 1 });
const daysFormat = new Intl.NumberFormat('fr-FR', { style: 'unit', unit: 'day', unitDisplay: 'long', maximumFractionDigits: 1 });

/** A count the API hid: "< 5" (1 to 4) or "secret" (would let a small one be computed back). */
export function isSuppressed(count: StatCount | undefined): count is typeof SUPPRESSED | typeof SECONDARY_SUPPRESSED {
  return count === SUPPRESSED || count === SECONDARY_SUPPRESSED;
}

/** A count for the eye: "1 234", or "< 5" / "secret" as the API sent it. */
export function formatCount(count: StatCount | undefined): string {
  if (count === undefined) return integerFormat.format(0);
  return isSuppressed(count) ? count : integerFormat.format(count);
}

/** The value a chart can draw: suppressed counts have none. */
export function drawableCount(count: StatCount | undefined): number | null {
  if (count === undefined) return 0;
  return isSuppressed(count) ? null : count;
}

/** True when a report holds a count hidden by secondary suppression ("secret"), anywhere in it. */
export function hasSecondarySuppression(value: unknown): boolean {
  if (value === SECONDARY_SUPPRESSED) return true;
  if (Array.isArray(value)) return value.some(hasSecondarySuppression);
  if (value && typeof value === 'object') return Object.values(value).some(hasSecondarySuppression);
  return false;
}

/** A rate sent as a fraction (0.725) shown as "72,5 %"; "—" when not computed. */
export function formatRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? NOT_COMPUTED : percentFormat.format(rate);
}

/** A median in days: "3,5 jours", "1 jour"; "—" when not computed. */
export function formatDays(days: number | null | undefined): string {
  return days === null || days === undefined ? NOT_COMPUTED : daysFormat.format(days);
}

export function formatInteger(value: number): string {
  return integerFormat.format(value);
}
