export interface Tenant {
  id: string;
  /** INSEE code of the département, e.g. "05". */
  code: string;
  name: string;
  communeCount: number;
}

export interface CreateTenantRequest {
  code: string;
}

export interface Commune {
  inseeCode: string;
  name: string;
  postalCodes: string[];
  population: number | null;
}

/** A territory filter of the dashboards and indicators: `epci:<SIREN>` (9 digits) or `commune:<INSEE>` (2A/2B included). */
export const TERRITORY_CODE_PATTERN = /^(epci:[0-9]{9}|commune:[0-9][0-9AB][0-9]{3})$/;

export interface TerritoryCode {
  kind: 'epci' | 'commune';
  code: string;
}

/** `epci:200067825` → { kind: 'epci', code: '200067825' }; null when the value is not a territory code. */
export function parseTerritoryCode(value: string | null | undefined): TerritoryCode | null {
  if (!value || !TERRITORY_CODE_PATTERN.test(value)) return null;
  const [kind, code] = value.split(':');
  return { kind: kind as TerritoryCode['kind'], code };
}
