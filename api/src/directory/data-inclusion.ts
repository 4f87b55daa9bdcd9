import {
  bouquetOfThematique,
  DATA_INCLUSION_THEMATIQUES,
  type MobilizationMode,
  type NeedBouquetCode,
  type ReceptionMode,
  type ServiceCost,
  type StructureType,
} from '@passerelle/contracts';
import { isEmail, isURL } from 'class-validator';
import { FRENCH_PHONE, normalizeFrenchPhone } from '../structures/phone';
import { isValidSiret } from '../structures/siret';
import { canonicalOpeningHours } from '../structures/site-schedule';
import type { ServiceColumns } from './directory.repository';

/**
 * Reading data·inclusion files (schema "data-inclusion-schema", versions 0.x and 1.x field names):
 * `structures` and `services`, as JSON arrays (or `{ "items": [...] }` pages of its API) or CSV files
 * with the schema's column names. Pure functions: the database work is in DirectoryImportService.
 */

/** A record of a file, with its row number for the report. */
export interface SourceRow {
  row: number;
  values: Record<string, unknown>;
}

/** The tenant's territory: its département code and its communes (INSEE → EPCI). */
export interface Territory {
  departement: string;
  communes: ReadonlyMap<string, string | null>;
}

export interface StructureCandidate {
  row: number;
  sourceId: string;
  name: string;
  type: StructureType;
  siret: string | null;
  email: string | null;
  phone: string | null;
  communeInsee: string | null;
  /** The structure's reception address, as its main site (when its commune is known). */
  site: { address: string | null; openingHours: string | null } | null;
}

export interface ServiceCandidate {
  row: number;
  sourceId: string;
  structureSourceId: string;
  columns: ServiceColumns;
  /** `date_maj`: when the producer last updated the service (its freshness here). */
  verifiedAt: Date | null;
  /** Where it is delivered when it has its own address (else the structure's site, when in person). */
  site: { communeInsee: string; address: string | null } | null;
}

export type Mapped<T> =
  | { kind: 'ok'; value: T; warnings: string[] }
  | { kind: 'rejected'; message: string }
  | { kind: 'outside' };

export class SourceFileError extends Error {}

// ---------------------------------------------------------------------------------------------------
// Files

export const MAX_IMPORT_ROWS = 20_000;

/** JSON (array, or object with `items`) or CSV (`,` or `;` separated, header line), by content. */
export function parseSourceFile(content: string, file: 'structures' | 'services'): SourceRow[] {
  const text = content.replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  let rows: SourceRow[];
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new SourceFileError(`Le fichier « ${file} » n’est pas un JSON valide.`);
    }
    const items = Array.isArray(parsed) ? parsed : (parsed as { items?: unknown }).items;
    if (!Array.isArray(items)) throw new SourceFileError(`Le fichier JSON « ${file} » doit être un tableau d’objets (ou un objet avec « items »).`);
    rows = items.map((values, index) => ({
      row: index + 1,
      values: typeof values === 'object' && values !== null && !Array.isArray(values) ? (values as Record<string, unknown>) : {},
    }));
  } else {
    rows = parseCsv(text, file);
  }
  if (rows.length > MAX_IMPORT_ROWS) throw new SourceFileError(`Le fichier « ${file} » dépasse ${MAX_IMPORT_ROWS} lignes : découpez-le.`);
  return rows;
}

/** RFC 4180 CSV: quoted fields (with "" for a quote, and line breaks inside quotes); header line first. */
export function parseCsv(text: string, file: string): SourceRow[] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      records.push({ line: recordLine, cells });
      cells = [];
      cell = '';
      line++;
      recordLine = line;
    } else cell += c;
  }
  if (quoted) throw new SourceFileError(`Le fichier CSV « ${file} » se termine au milieu d’un champ entre guillemets.`);
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    records.push({ line: recordLine, cells });
  }
  const [header, ...data] = records.filter((r) => r.cells.some((value) => value.trim() !== ''));
  if (!header) return [];
  const names = header.cells.map((name) => name.trim());
  return data.map((r) => ({
    row: r.line,
    values: Object.fromEntries(names.map((name, index) => [name, r.cells[index] ?? ''])),
  }));
}

// ---------------------------------------------------------------------------------------------------
// Values

function text(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** A list: a JSON array, a JSON array written in a CSV cell, `{a,b}` (PostgreSQL), or `a|b`, `a;b`, `a,b`. */
export function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(text).filter((v): v is string => v !== null);
  const raw = text(value);
  if (!raw) return [];
  if (raw.startsWith('[')) {
    try {
      return list(JSON.parse(raw) as unknown);
    } catch {
      /* not JSON: split below */
    }
  }
  const inner = raw.startsWith('{') && raw.endsWith('}') ? raw.slice(1, -1) : raw;
  const separator = inner.includes('|') ? '|' : inner.includes(';') ? ';' : ',';
  return inner
    .split(separator)
    .map((v) => v.trim().replace(/^"(.*)"$/, '$1'))
    .filter(Boolean);
}

function first(values: Record<string, unknown>, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = text(values[key]);
    if (value) return value;
  }
  return null;
}

function cut(value: string | null, max: number, what: string, warnings: string[]): string | null {
  if (value && value.length > max) {
    warnings.push(`${what} tronqué(e) à ${max} caractères.`);
    return value.slice(0, max);
  }
  return value;
}

function phone(value: string | null, warnings: string[]): string | null {
  if (!value) return null;
  const normalized = normalizeFrenchPhone(value);
  if (FRENCH_PHONE.test(normalized)) return normalized;
  warnings.push(`Téléphone « ${value} » ignoré : 10 chiffres attendus.`);
  return null;
}

function email(value: string | null, warnings: string[]): string | null {
  if (!value) return null;
  if (isEmail(value) && value.length <= 254) return value;
  warnings.push(`Courriel « ${value} » ignoré : adresse invalide.`);
  return null;
}

function url(value: string | null, warnings: string[], what: string): string | null {
  if (!value) return null;
  if (value.length <= 500 && isURL(value, { protocols: ['http', 'https'], require_protocol: true })) return value;
  warnings.push(`${what} « ${value.slice(0, 80)} » ignoré(e) : adresse web invalide.`);
  return null;
}

function hours(value: string | null, warnings: string[]): string | null {
  if (!value) return null;
  const canonical = canonicalOpeningHours(value);
  if (canonical && canonical.length <= 500) return canonical;
  warnings.push(`Horaires « ${value.slice(0, 80)} » ignorés : syntaxe OpenStreetMap attendue.`);
  return null;
}

function address(values: Record<string, unknown>): string | null {
  const parts = [first(values, 'adresse'), first(values, 'complement_adresse')].filter(Boolean);
  return parts.length ? parts.join(', ').slice(0, 500) : null;
}

const INSEE = /^[0-9][0-9AB][0-9]{3}$/;

// ---------------------------------------------------------------------------------------------------
// Vocabularies (decision 0010)

/** data·inclusion `typologie` (typologies de structures) → Passerelle structure type. */
const TYPOLOGIES: Record<string, StructureType> = {
  CCAS: 'ccas',
  CIAS: 'ccas',
  MUNI: 'mairie',
  FS: 'france_services',
  MSAP: 'france_services',
  CD: 'departmental_social_service',
  DEPT: 'departmental_social_service',
  CAF: 'caf',
  CPAM: 'cpam',
  MSA: 'other',
  PE: 'france_travail',
  FT: 'france_travail',
  ML: 'mission_locale',
  ASSO: 'association',
  ASSO_CHOMEUR: 'association',
};

const COSTS: Record<string, ServiceCost> = {
  gratuit: 'free',
  'gratuit-sous-conditions': 'free_under_conditions',
  payant: 'paid',
  adhesion: 'membership',
  'pass-numerique': 'free_under_conditions',
};

const RECEPTION: Record<string, ReceptionMode> = { 'en-presentiel': 'in_person', 'a-distance': 'remote' };

const MOBILIZATION: Record<string, MobilizationMode> = {
  'se-presenter': 'show_up',
  telephoner: 'phone',
  'envoyer-un-mail': 'email',
  'envoyer-un-courriel': 'email',
  'completer-le-formulaire-dadhesion': 'online_form',
  'utiliser-le-lien-de-mobilisation': 'online_form',
  autre: 'other',
};

const THEMATIQUE_ROOTS: readonly string[] = DATA_INCLUSION_THEMATIQUES.map((t) => t.code);
const THEMATIQUE = /^[a-z0-9]+(-[a-z0-9]+)*(--[a-z0-9]+([- ][a-z0-9]+)*)?$/;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function mapped<T extends string>(values: string[], table: Record<string, T>, what: string, warnings: string[]): T[] {
  const out: T[] = [];
  for (const value of values) {
    const code = table[value.toLowerCase()];
    if (code) {
      if (!out.includes(code)) out.push(code);
    } else warnings.push(`${what} « ${value} » inconnu(e), ignoré(e).`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Rows

/** A data·inclusion structure, or why it is not taken. */
export function mapStructure(source: SourceRow, territory: Territory): Mapped<StructureCandidate> {
  const v = source.values;
  const sourceId = text(v['id']);
  if (!sourceId) return { kind: 'rejected', message: 'Identifiant data·inclusion (« id ») manquant.' };
  if (sourceId.length > 200) return { kind: 'rejected', message: 'Identifiant data·inclusion (« id ») de plus de 200 caractères.' };
  const name = text(v['nom']);
  if (!name) return { kind: 'rejected', message: 'Nom de la structure (« nom ») manquant.' };
  if (name.length > 200) return { kind: 'rejected', message: 'Nom de la structure (« nom ») de plus de 200 caractères.' };
  const warnings: string[] = [];
  const insee = text(v['code_insee'])?.toUpperCase() ?? null;
  if (insee && !INSEE.test(insee)) return { kind: 'rejected', message: `Code INSEE « ${insee} » invalide (5 caractères, par ex. 05046).` };
  if (insee && !territory.communes.has(insee)) return { kind: 'outside' };
  if (!insee) warnings.push('Sans code INSEE (« code_insee ») : pas de lieu d’accueil créé.');
  const typologie = text(v['typologie'])?.toUpperCase() ?? null;
  const type = (typologie && TYPOLOGIES[typologie]) || (typologie?.startsWith('ASSO') ? 'association' : 'other');
  let siret = text(v['siret'])?.replace(/\s/g, '') ?? null;
  if (siret && !(/^[0-9]{14}$/.test(siret) && isValidSiret(siret))) {
    warnings.push(`SIRET « ${siret} » ignoré : 14 chiffres avec une clé de contrôle correcte attendus.`);
    siret = null;
  }
  return {
    kind: 'ok',
    warnings,
    value: {
      row: source.row,
      sourceId,
      name,
      type,
      siret,
      email: email(text(v['courriel']), warnings),
      phone: phone(text(v['telephone']), warnings),
      communeInsee: insee,
      site: insee ? { address: address(v), openingHours: hours(text(v['horaires_accueil']), warnings) } : null,
    },
  };
}

/**
 * A data·inclusion service, or why it is not taken. Its structure must be in the same import or an
 * earlier one (checked by the caller). Bouquets come from the thématiques (a service without a
 * recognised thématique has no need to be found by, and is rejected).
 */
export function mapService(source: SourceRow, territory: Territory): Mapped<ServiceCandidate> {
  const v = source.values;
  const sourceId = text(v['id']);
  if (!sourceId) return { kind: 'rejected', message: 'Identifiant data·inclusion (« id ») manquant.' };
  if (sourceId.length > 200) return { kind: 'rejected', message: 'Identifiant data·inclusion (« id ») de plus de 200 caractères.' };
  const structureSourceId = text(v['structure_id']);
  if (!structureSourceId) return { kind: 'rejected', message: 'Structure du service (« structure_id ») manquante.' };
  const warnings: string[] = [];
  const rawName = text(v['nom']);
  if (!rawName) return { kind: 'rejected', message: 'Nom du service (« nom ») manquant.' };
  const name = cut(rawName, 150, 'Nom', warnings) as string;

  // Zone: commune, EPCI, département (this tenant only), region/country (covers it); none = département.
  const zoneType = text(v['zone_diffusion_type'])?.toLowerCase() ?? null;
  const zoneCode = text(v['zone_diffusion_code'])?.toUpperCase() ?? null;
  let zone: Pick<ServiceColumns, 'zoneKind' | 'zoneCommunes'> = { zoneKind: 'departement', zoneCommunes: [] };
  if (zoneType === 'commune') {
    if (!zoneCode || !INSEE.test(zoneCode)) return { kind: 'rejected', message: `Zone de diffusion : code INSEE de commune « ${zoneCode ?? ''} » invalide.` };
    if (!territory.communes.has(zoneCode)) return { kind: 'outside' };
    zone = { zoneKind: 'communes', zoneCommunes: [zoneCode] };
  } else if (zoneType === 'epci') {
    const members = [...territory.communes].filter(([, epci]) => epci !== null && epci === zoneCode).map(([insee]) => insee);
    if (members.length === 0) return { kind: 'outside' };
    zone = { zoneKind: 'communes', zoneCommunes: members.sort() };
  } else if (zoneType === 'departement') {
    if (zoneCode && zoneCode !== territory.departement) return { kind: 'outside' };
  } else if (zoneType && zoneType !== 'region' && zoneType !== 'pays') {
    warnings.push(`Type de zone de diffusion « ${zoneType} » inconnu : tout le département retenu.`);
  }

  const thematiques: string[] = [];
  for (const code of list(v['thematiques']).map((t) => t.toLowerCase())) {
    if (THEMATIQUE.test(code) && THEMATIQUE_ROOTS.includes(code.split('--')[0])) {
      if (!thematiques.includes(code)) thematiques.push(code);
    } else warnings.push(`Thématique « ${code} » inconnue, ignorée.`);
  }
  const bouquets = [...new Set(thematiques.map(bouquetOfThematique).filter((b): b is NeedBouquetCode => b !== null))].sort((a, b) => a - b);
  if (bouquets.length === 0) {
    return { kind: 'rejected', message: 'Aucune thématique reconnue (« thematiques ») : le service ne peut être rattaché à aucun besoin.' };
  }

  const publics = [...new Set([...list(v['publics']), ...list(v['profils'])].map((p) => p.toLowerCase()))].filter((p) => {
    if (SLUG.test(p) && p.length <= 100) return true;
    warnings.push(`Public « ${p} » invalide, ignoré.`);
    return false;
  });
  const costs = mapped(list(v['frais']), COSTS, 'Frais', warnings);
  const receptionModes = mapped(list(v['modes_accueil']), RECEPTION, 'Mode d’accueil', warnings);
  const mobilizationModes = mapped(
    [...list(v['modes_orientation_beneficiaire']), ...list(v['modes_mobilisation'])],
    MOBILIZATION,
    'Mode de mobilisation',
    warnings,
  );
  const documents = list(v['justificatifs'])
    .map((d) => d.slice(0, 200))
    .slice(0, 30);
  const prerequisites = list(v['pre_requis']);
  const conditions = [first(v, 'conditions_acces'), prerequisites.length ? prerequisites.join(' ; ') : null].filter(Boolean).join(' — ') || null;

  let verifiedAt: Date | null = null;
  const updated = text(v['date_maj']);
  if (updated) {
    const date = new Date(updated);
    if (Number.isNaN(date.getTime())) warnings.push(`Date de mise à jour « ${updated} » invalide : le service est compté comme vérifié aujourd’hui.`);
    else verifiedAt = date.getTime() > Date.now() ? null : date;
  }

  const insee = text(v['code_insee'])?.toUpperCase() ?? null;
  const site = insee && INSEE.test(insee) && territory.communes.has(insee) ? { communeInsee: insee, address: address(v) } : null;

  return {
    kind: 'ok',
    warnings,
    value: {
      row: source.row,
      sourceId,
      structureSourceId,
      verifiedAt,
      site,
      columns: {
        name,
        description: cut(first(v, 'presentation_detail', 'description', 'presentation_resume'), 4000, 'Description', warnings),
        bouquets,
        thematiques: thematiques.slice(0, 50),
        publics: publics.slice(0, 20),
        accessConditions: cut(conditions, 2000, 'Conditions d’accès', warnings),
        cost: costs[0] ?? null,
        costDetails: cut(first(v, 'frais_autres', 'frais_precisions'), 500, 'Précisions sur les frais', warnings),
        receptionModes,
        mobilizationModes,
        mobilizationUrl: url(first(v, 'formulaire_en_ligne', 'lien_mobilisation', 'prise_rdv'), warnings, 'Lien de mobilisation'),
        documentsToBring: documents,
        openingHours: hours(first(v, 'horaires_accueil', 'recurrence'), warnings),
        ...zone,
        contactPhone: phone(text(v['telephone']), warnings),
        contactEmail: email(text(v['courriel']), warnings),
        website: url(text(v['page_web']), warnings, 'Page web'),
        active: true,
      },
    },
  };
}
