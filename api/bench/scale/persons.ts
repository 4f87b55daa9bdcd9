import { fakerES, fakerFR, fakerFR_SN, fakerIT, fakerPL, fakerPT_PT } from '@faker-js/faker';
import { DAY_MS } from './calendar';
import type { CopyValue } from './copy-sink';
import { Random, Weighted } from './random';
import type { Structure } from './territory';

/** The identity of a person accueillie: faker's French names mostly, and names of other origins. */
export interface Identity {
  usageLastName: string;
  birthLastName: string | null;
  firstNames: string;
  birthDate: string | null;
  birthPrecision: 'day' | 'year' | null;
  /** Age at the first contact, in years. */
  age: number;
  communeInsee: string | null;
  noStableHome: boolean;
  domiciliation: string | null;
  phone: string | null;
  email: string | null;
  languages: string[];
  needsInterpreter: boolean;
  contactPreference: string | null;
  household: string | null;
  dependentChildren: number | null;
  nationalityGroup: string | null;
}

type Defs = Record<string, string[] | undefined> | undefined;
const list = (faker: typeof fakerFR, key: 'last_name' | 'first_name', sub: string) => ((faker.rawDefinitions.person?.[key] as Defs)?.[sub] ?? []) as string[];

const SURNAMES = Weighted.of<string[]>([
  [list(fakerFR, 'last_name', 'generic'), 62],
  [['Lefèvre', 'Lemaître', 'Benoît', 'Hébert', 'Ménard', 'Prévost', 'Régnier', 'Sénéchal', 'Vallée', 'Lévêque', 'Delétang', 'Noël', 'Guérin', "N'Diaye", "D'Almeida", "N'Guessan", "D'Hondt"], 6],
  [['Vandenbussche', 'Declercq', 'Vanhoutte', 'Dewaele', 'Verhaeghe', 'Deschamps', 'Delattre', 'Lemaire', 'Leroy', 'Duhamel', 'Vandamme', 'Desmet', 'Lefebvre', 'Dubois', 'Descamps', 'Leclercq'], 8],
  [list(fakerFR_SN, 'last_name', 'generic'), 8],
  [list(fakerPT_PT, 'last_name', 'generic'), 5],
  [list(fakerIT, 'last_name', 'generic'), 5],
  [list(fakerES, 'last_name', 'generic'), 3],
  [list(fakerPL, 'last_name', 'generic'), 3],
]);
const FIRST_NAMES = Weighted.of<{ female: string[]; male: string[] }>([
  [{ female: list(fakerFR, 'first_name', 'female'), male: list(fakerFR, 'first_name', 'male') }, 78],
  [{ female: list(fakerFR_SN, 'first_name', 'female'), male: list(fakerFR_SN, 'first_name', 'male') }, 10],
  [{ female: list(fakerPT_PT, 'first_name', 'female'), male: list(fakerPT_PT, 'first_name', 'male') }, 4],
  [{ female: list(fakerIT, 'first_name', 'female'), male: list(fakerIT, 'first_name', 'male') }, 4],
  [{ female: list(fakerES, 'first_name', 'female'), male: list(fakerES, 'first_name', 'male') }, 4],
]);
const OTHER_LANGUAGES = Weighted.of([
  ['arabe', 30],
  ['anglais', 12],
  ['portugais', 8],
  ['roumain', 8],
  ['turc', 6],
  ['wolof', 5],
  ['dari', 5],
  ['tamoul', 3],
  ['russe', 5],
  ['espagnol', 5],
  ['albanais', 4],
  ['polonais', 4],
  ['ukrainien', 5],
] as const);
const HOUSEHOLDS = Weighted.of([
  ['alone', 38],
  ['couple', 14],
  ['alone_with_children', 24],
  ['couple_with_children', 18],
  ['other', 6],
] as const);
const PREFERENCES = Weighted.of([
  ['phone', 40],
  ['sms', 25],
  ['email', 15],
  ['mail', 8],
  ['in_person', 12],
] as const);
const AGES = Weighted.of<[number, number]>([
  [[16, 25], 18],
  [[26, 39], 28],
  [[40, 59], 32],
  [[60, 74], 14],
  [[75, 95], 8],
]);

const MAIL_DOMAINS = ['orange.fr', 'gmail.com', 'free.fr', 'laposte.net', 'sfr.fr', 'hotmail.fr', 'yahoo.fr'];
const slug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

export class IdentityFactory {
  constructor(private readonly random: Random) {}

  private surname(): string {
    const r = this.random;
    const name = r.pick(SURNAMES.draw(r));
    return r.chance(0.05) ? `${name}-${r.pick(list(fakerFR, 'last_name', 'generic'))}` : name;
  }

  private firstName(sex: 'female' | 'male'): string {
    const r = this.random;
    const pool = FIRST_NAMES.draw(r)[sex];
    const name = r.pick(pool);
    return r.chance(0.07) ? `${name}-${r.pick(pool)}` : name;
  }

  /** A person first seen at `firstContact`, living in `communeInsee` (null: unknown, or no stable home, domiciled at `desk`). */
  make(firstContact: number, communeInsee: string | null, noStableHome: boolean, desk: Structure): Identity {
    const r = this.random;
    const sex = r.chance(0.56) ? 'female' : 'male';
    const own = this.surname();
    const married = sex === 'female' && r.chance(0.22);
    const [minAge, maxAge] = AGES.draw(r);
    const age = r.int(minAge, maxAge);
    const birth = new Date(firstContact - (age * 365.25 + r.int(0, 364)) * DAY_MS).toISOString().slice(0, 10);
    const known = r.chance(0.95);
    const yearOnly = known && r.chance(0.1);
    const first = this.firstName(sex);
    const language = r.next();
    const languages = language < 0.85 ? ['français'] : language < 0.95 ? ['français', OTHER_LANGUAGES.draw(r)] : [OTHER_LANGUAGES.draw(r)];
    const household = r.chance(0.7) ? HOUSEHOLDS.draw(r) : null;
    const nationality = r.chance(0.7) ? (r.chance(0.82) ? 'france' : r.chance(0.35) ? 'eu' : 'non_eu') : null;
    return {
      usageLastName: married ? this.surname() : own,
      birthLastName: married ? own : null,
      firstNames: first,
      birthDate: known ? (yearOnly ? `${birth.slice(0, 4)}-01-01` : birth) : null,
      birthPrecision: known ? (yearOnly ? 'year' : 'day') : null,
      age,
      communeInsee,
      noStableHome,
      domiciliation: noStableHome ? `${desk.name}, domiciliation` : null,
      phone: r.chance(0.75) ? (r.chance(0.85) ? (r.chance(0.5) ? '06' : '07') + String(r.int(0, 99_999_999)).padStart(8, '0') : `03${r.int(20, 29)}${String(r.int(0, 999_999)).padStart(6, '0')}`) : null,
      email: r.chance(0.3) ? `${slug(first)}.${slug(own)}${r.int(1, 999)}@${r.pick(MAIL_DOMAINS)}` : null,
      languages,
      needsInterpreter: !languages.includes('français') && r.chance(0.5),
      contactPreference: r.chance(0.5) ? PREFERENCES.draw(r) : null,
      household,
      dependentChildren: household === 'alone_with_children' || household === 'couple_with_children' ? Math.min(6, 1 + r.geometric(0.8)) : household ? 0 : null,
      nationalityGroup: nationality,
    };
  }
}

export const PERSON_COLUMNS = [
  'id',
  'tenant_id',
  'usage_last_name',
  'birth_last_name',
  'first_names',
  'birth_date',
  'birth_date_precision',
  'commune_insee',
  'no_stable_home',
  'domiciliation',
  'phone',
  'email',
  'languages',
  'needs_interpreter',
  'contact_preference',
  'household',
  'dependent_children',
  'nationality_group',
  'created_by_structure_id',
  'created_by_user_id',
  'created_at',
  'updated_at',
  'anonymized_at',
] as const;

/** The person row; an anonymised file (retention) keeps nothing but the placeholder name, as the CHECK requires. */
export function personRow(
  id: string,
  tenantId: string,
  p: Identity,
  created: { structureId: string; userId: string; at: string; updatedAt: string },
  anonymizedAt: string | null,
): CopyValue[] {
  if (anonymizedAt) {
    return [id, tenantId, 'Anonymisé', null, null, null, null, null, false, null, null, null, [], false, null, null, null, null, created.structureId, created.userId, created.at, anonymizedAt, anonymizedAt];
  }
  return [
    id,
    tenantId,
    p.usageLastName,
    p.birthLastName,
    p.firstNames,
    p.birthDate,
    p.birthPrecision,
    p.communeInsee,
    p.noStableHome,
    p.domiciliation,
    p.phone,
    p.email,
    p.languages,
    p.needsInterpreter,
    p.contactPreference,
    p.household,
    p.dependentChildren,
    p.nationalityGroup,
    created.structureId,
    created.userId,
    created.at,
    created.updatedAt,
    null,
  ];
}
