import { BirthDatePrecision, PersonSearchQuery } from '@passerelle/contracts';

/** The names of a person; a partner structure may not receive them (identity not shared): absent. */
interface Named {
  usageLastName?: string | null;
  birthLastName?: string | null;
  firstNames?: string | null;
}

/** "Jean-Pierre N'Diaye": first names then usage name (the birth name when there is no usage name). */
export function personName(person: Named): string {
  const last = person.usageLastName?.trim() || person.birthLastName?.trim() || '';
  const name = [person.firstNames?.trim() ?? '', last].filter(Boolean).join(' ');
  return name || $localize`Personne sans nom`;
}

/** The birth name, when it differs from the usage name (shown to tell people apart). */
export function otherBirthName(person: Named): string | null {
  const birth = person.birthLastName?.trim();
  if (!birth || !person.usageLastName?.trim()) return null;
  return birth.localeCompare(person.usageLastName.trim(), 'fr', { sensitivity: 'base' }) === 0 ? null : birth;
}

/** Birth date as the user typed it and as we show it: "14/07/1984", "07/1984" or "1984". */
export function formatBirth(birthDate: string | null | undefined, precision: BirthDatePrecision | null | undefined): string {
  if (!birthDate) return '';
  const [year, month, day] = birthDate.slice(0, 10).split('-');
  switch (precision ?? 'day') {
    case 'year':
      return year;
    case 'month':
      return `${month}/${year}`;
    case 'day':
      return `${day}/${month}/${year}`;
  }
}

export interface ParsedBirth {
  birthDate: string;
  birthDatePrecision: BirthDatePrecision;
}

const pad = (value: number) => String(value).padStart(2, '0');

/**
 * Reads a birth date typed at the desk: "14/07/1984" (or 14.07.1984, 14-07-1984, 1984-07-14),
 * "07/1984" or "1984". Empty → null (unknown). Anything else, an impossible date or a date in the
 * future → 'invalid'. With precision month or year, the API stores the first day.
 */
export function parseBirth(text: string, today = new Date()): ParsedBirth | null | 'invalid' {
  const value = text.trim();
  if (!value) return null;
  let day: number | null = null;
  let month: number | null = null;
  let year: number;
  let match: RegExpMatchArray | null;
  if ((match = value.match(/^(\d{4})$/))) {
    year = Number(match[1]);
  } else if ((match = value.match(/^(\d{1,2})[/.-](\d{4})$/))) {
    month = Number(match[1]);
    year = Number(match[2]);
  } else if ((match = value.match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/))) {
    day = Number(match[1]);
    month = Number(match[2]);
    year = Number(match[3]);
  } else if ((match = value.match(/^(\d{4})-(\d{2})-(\d{2})$/))) {
    year = Number(match[1]);
    month = Number(match[2]);
    day = Number(match[3]);
  } else {
    return 'invalid';
  }
  if (year < 1900 || year > today.getFullYear()) return 'invalid';
  if (month !== null && (month < 1 || month > 12)) return 'invalid';
  if (day !== null && month !== null) {
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return 'invalid';
    if (date.getTime() > Date.UTC(today.getFullYear(), today.getMonth(), today.getDate())) return 'invalid';
    return { birthDate: `${year}-${pad(month)}-${pad(day)}`, birthDatePrecision: 'day' };
  }
  if (month !== null) {
    if (year === today.getFullYear() && month > today.getMonth() + 1) return 'invalid';
    return { birthDate: `${year}-${pad(month)}-01`, birthDatePrecision: 'month' };
  }
  return { birthDate: `${year}-01-01`, birthDatePrecision: 'year' };
}

/**
 * The desk's single search box also takes a birth year or date after the name ("dupont 1984",
 * "marie durand 14/07/1984"): that part goes to `birth`, the rest to `q`.
 */
export function toSearchQuery(text: string, limit?: number): PersonSearchQuery {
  const words = text.trim().split(/\s+/).filter(Boolean);
  let birth: string | undefined;
  const rest: string[] = [];
  for (const word of words) {
    const parsed = birth === undefined && /^(\d{4}|\d{1,2}[/.]\d{1,2}[/.]\d{4})$/.test(word) ? parseBirth(word) : null;
    if (parsed && parsed !== 'invalid') {
      birth = parsed.birthDatePrecision === 'year' ? parsed.birthDate.slice(0, 4) : parsed.birthDate;
    } else {
      rest.push(word);
    }
  }
  // A lone year is a search for people born that year: keep it in `q` too rather than send nothing.
  const q = rest.length ? rest.join(' ') : text.trim();
  return { q, ...(birth && rest.length ? { birth } : {}), ...(limit ? { limit } : {}) };
}

/**
 * What the desk can prefill in the new-person form from what the agent searched: an e-mail, a phone
 * number, or a name typed as "NOM Prénom(s)" (the usual order at French desks), plus a birth date.
 */
export function identityFromSearch(text: string): {
  usageLastName: string;
  firstNames: string;
  birth: string;
  phone: string;
  email: string;
} {
  const result = { usageLastName: '', firstNames: '', birth: '', phone: '', email: '' };
  const value = text.trim();
  if (!value) return result;
  if (value.includes('@')) return { ...result, email: value };
  if (/^\+?[\d\s.-]{6,}$/.test(value)) return { ...result, phone: value.replace(/[\s.-]/g, '') };
  const names: string[] = [];
  for (const word of value.split(/\s+/)) {
    const parsed = /\d/.test(word) ? parseBirth(word) : null;
    if (parsed && parsed !== 'invalid' && !result.birth) result.birth = word;
    else if (!/\d/.test(word)) names.push(word);
  }
  if (names.length) {
    result.usageLastName = names[0];
    result.firstNames = names.slice(1).join(' ');
  }
  return result;
}
