import epcis from '@etalab/decoupage-administratif/data/epci.json';

let names: Map<string, string> | null = null;

/** The name of an EPCI (SIREN) from the official list (@etalab/decoupage-administratif, as communes-source.ts). */
export function epciName(code: string): string {
  names ??= new Map((epcis as { code: string; nom: string }[]).map((e) => [e.code, e.nom]));
  return names.get(code) ?? `EPCI ${code}`;
}
