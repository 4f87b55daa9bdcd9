import {
  CONTACT_CHANNELS,
  ContactChannel,
  IndicatorFilters,
  IndicatorScope,
  NEED_BOUQUET_CODES,
  NeedBouquetCode,
  TERRITORY_CODE_PATTERN,
} from '@passerelle/contracts';

/**
 * The page's level (route data), the contract's `IndicatorScope`: `territory` for coordinators (any
 * structure, small counts suppressed), `structure` for structure admins (their own structure, exact),
 * who may switch to the territory's figures for comparison (the URL's `perimetre=territoire`).
 */
export type { IndicatorScope };

/** A structure admin's choice: their structure, or the territory. */
export type IndicatorPerimeter = 'structure' | 'territoire';

/** The longest period the API accepts. */
export const MAX_PERIOD_YEARS = 5;

/**
 * The filters in the URL, in French like the rest of the app:
 * `?du=2026-08-01&au=2026-10-31&territoire=epci:200067825&structure=…&besoin=5&canal=phone&lieu=…&perimetre=territoire`.
 */
export interface IndicatorQueryParams {
  du?: string;
  au?: string;
  territoire?: string;
  structure?: string;
  besoin?: string;
  canal?: string;
  lieu?: string;
  perimetre?: string;
}

export const INDICATOR_QUERY_PARAMS: readonly (keyof IndicatorQueryParams)[] = [
  'du',
  'au',
  'territoire',
  'structure',
  'besoin',
  'canal',
  'lieu',
  'perimetre',
];

export interface IndicatorContext {
  scope: IndicatorScope;
  /** The structure a structure admin acts for. */
  ownStructureId: string | null;
  today: Date;
}

/** The filters as the page understands them, before they become the API's query. */
export interface ResolvedFilters {
  from: string;
  to: string;
  territory: string;
  structureId: string;
  bouquet: string;
  channel: string;
  siteId: string;
  perimeter: IndicatorPerimeter;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const IDENTIFIER = /^[0-9A-Za-z-]{1,64}$/;

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** A local date as `YYYY-MM-DD`. */
export function isoDay(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** True for a real calendar day written `YYYY-MM-DD` (not 2026-02-30). */
export function isIsoDay(value: string | undefined | null): value is string {
  const match = value ? ISO_DAY.exec(value) : null;
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(year, month - 1, day);
  return date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day;
}

/** The last three full months before `today`: on 24 November, from 1 August to 31 October. */
export function defaultPeriod(today: Date): { from: string; to: string } {
  const from = new Date(today.getFullYear(), today.getMonth() - 3, 1);
  const to = new Date(today.getFullYear(), today.getMonth(), 0);
  return { from: isoDay(from), to: isoDay(to) };
}

function valid(value: string | undefined, pattern: RegExp): string {
  return value && pattern.test(value) ? value : '';
}

/** Reads the URL's filters; unknown or malformed values are ignored, a missing, reversed or too long period is the default one. */
export function resolveFilters(params: IndicatorQueryParams, context: IndicatorContext): ResolvedFilters {
  let { from, to } = { from: params.du, to: params.au };
  if (!isIsoDay(from) || !isIsoDay(to) || from > to || periodTooLong(from, to)) ({ from, to } = defaultPeriod(context.today));
  const bouquet = Number(params.besoin);
  const perimeter: IndicatorPerimeter = context.scope === 'structure' && params.perimetre === 'territoire' ? 'territoire' : 'structure';
  const structureId =
    context.scope === 'structure' ? (perimeter === 'structure' ? (context.ownStructureId ?? '') : '') : valid(params.structure, IDENTIFIER);
  return {
    from,
    to,
    territory: valid(params.territoire, TERRITORY_CODE_PATTERN),
    structureId,
    bouquet: (NEED_BOUQUET_CODES as number[]).includes(bouquet) ? String(bouquet) : '',
    channel: params.canal && (CONTACT_CHANNELS as readonly string[]).includes(params.canal) ? params.canal : '',
    // A site belongs to one structure: without a structure it means nothing.
    siteId: structureId ? valid(params.lieu, IDENTIFIER) : '',
    perimeter,
  };
}

/**
 * The API's query for the resolved filters (absent keys: no filter). A structure admin's own figures
 * carry their structure's id; their territory view asks for `scope=territory` with no structure.
 */
export function apiFiltersOf(resolved: ResolvedFilters, scope: IndicatorScope): IndicatorFilters {
  const filters: IndicatorFilters = { from: resolved.from, to: resolved.to };
  if (resolved.territory) filters.territory = resolved.territory;
  if (resolved.structureId) filters.structureId = resolved.structureId;
  if (resolved.bouquet) filters.bouquet = Number(resolved.bouquet) as NeedBouquetCode;
  if (resolved.channel) filters.channel = resolved.channel as ContactChannel;
  if (resolved.siteId) filters.siteId = resolved.siteId;
  if (scope === 'structure' && resolved.perimeter === 'territoire') filters.scope = 'territory';
  return filters;
}

/** The URL's query parameters for the values of the filter form (null removes a parameter). */
export function queryParamsOf(value: ResolvedFilters, scope: IndicatorScope): Record<keyof IndicatorQueryParams, string | null> {
  const structureMode = scope === 'structure';
  const hasStructure = structureMode ? value.perimeter === 'structure' : !!value.structureId;
  return {
    du: value.from,
    au: value.to,
    territoire: value.territory || null,
    structure: structureMode ? null : value.structureId || null,
    besoin: value.bouquet || null,
    canal: value.channel || null,
    lieu: hasStructure ? value.siteId || null : null,
    perimetre: structureMode && value.perimeter === 'territoire' ? 'territoire' : null,
  };
}

/** The end of a period of at most 5 years starting on `from` (exclusive): `to` must be before it. */
export function periodTooLong(from: string, to: string): boolean {
  const [year, month, day] = from.split('-').map(Number);
  return isoDay(new Date(year + MAX_PERIOD_YEARS, month - 1, day - 1)) < to;
}

/** Same filters, whatever the key order: a navigation that changes nothing reloads nothing. */
export function sameFilters(a: IndicatorFilters, b: IndicatorFilters): boolean {
  const keys: (keyof IndicatorFilters)[] = ['from', 'to', 'territory', 'structureId', 'bouquet', 'channel', 'siteId', 'scope'];
  return keys.every((key) => a[key] === b[key]);
}
