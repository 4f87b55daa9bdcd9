import communes from '@etalab/decoupage-administratif/data/communes.json';
import departements from '@etalab/decoupage-administratif/data/departements.json';
import epcis from '@etalab/decoupage-administratif/data/epci.json';

export interface CommuneRecord {
  inseeCode: string;
  name: string;
  postalCodes: string[];
  epciCode: string | null;
  population: number | null;
}

interface RawCommune {
  code: string;
  nom: string;
  type: string;
  departement?: string;
  codesPostaux?: string[];
  population?: number;
}

/** Name of a département from the official list, or undefined when the code is unknown. */
export function departementName(code: string): string | undefined {
  return (departements as { code: string; nom: string }[]).find((d) => d.code === code)?.nom;
}

/** The current communes of a département (INSEE COG, from @etalab/decoupage-administratif), with their EPCI. */
export function communesOf(departement: string): CommuneRecord[] {
  const epciByCommune = new Map<string, string>();
  for (const epci of epcis as { code: string; membres: { code: string }[] }[]) {
    for (const member of epci.membres) epciByCommune.set(member.code, epci.code);
  }
  return (communes as RawCommune[])
    .filter((c) => c.departement === departement && c.type === 'commune-actuelle')
    .map((c) => ({
      inseeCode: c.code,
      name: c.nom,
      postalCodes: c.codesPostaux ?? [],
      epciCode: epciByCommune.get(c.code) ?? null,
      population: c.population ?? null,
    }));
}
