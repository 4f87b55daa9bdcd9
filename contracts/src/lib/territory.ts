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
