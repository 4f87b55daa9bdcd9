/**
 * Reads simple OpenStreetMap `opening_hours` values out loud in French for the home pages, e.g.
 * "Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00" →
 * ["du lundi au vendredi : 08h30 – 12h00, 13h30 – 17h00", "samedi : 09h00 – 12h00"].
 * Rules it does not understand are returned as written: the value was validated by the API.
 */
const DAYS: Readonly<Record<string, string>> = {
  Mo: 'lundi',
  Tu: 'mardi',
  We: 'mercredi',
  Th: 'jeudi',
  Fr: 'vendredi',
  Sa: 'samedi',
  Su: 'dimanche',
  PH: 'jours fériés',
};

const DAY_TOKEN = '(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)';
const DAY_RANGE = `${DAY_TOKEN}(?:-${DAY_TOKEN})?`;
const DAY_SELECTOR = new RegExp(`^(${DAY_RANGE}(?:,${DAY_RANGE})*)\\s+(.+)$`);
const TIME_RANGE = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

function days(selector: string): string {
  return selector
    .split(',')
    .map((part) => {
      const [from, to] = part.split('-');
      return to
        ? $localize`du ${DAYS[from]}:firstDay: au ${DAYS[to]}:lastDay:`
        : DAYS[from];
    })
    .join(', ');
}

function hours(value: string): string | null {
  if (value === 'off' || value === 'closed') return $localize`fermé`;
  const ranges = value.split(',').map((range) => {
    const match = TIME_RANGE.exec(range.trim());
    return match ? `${match[1]}h${match[2]} – ${match[3]}h${match[4]}` : null;
  });
  return ranges.every((range) => range !== null) ? ranges.join(', ') : null;
}

function rule(text: string): string {
  if (text === '24/7') return $localize`tous les jours, 24 heures sur 24`;
  const withDays = DAY_SELECTOR.exec(text);
  if (withDays) {
    const times = hours(withDays[2].trim());
    return times ? `${days(withDays[1])} : ${times}` : text;
  }
  const times = hours(text);
  return times ? $localize`tous les jours : ${times}:hours:` : text;
}

export function describeOpeningHours(openingHours: string | null | undefined): string[] {
  if (!openingHours?.trim()) return [];
  return openingHours
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map(rule);
}
