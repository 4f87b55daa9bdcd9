import type { fakerFR } from '@faker-js/faker';
import type { NeedBouquetCode, Role, StructureType } from '@passerelle/contracts';
import { communesOf, departementName, type CommuneRecord } from '../../src/territory/communes-source';
import { DAY_MS, iso } from './calendar';
import { CopySink } from './copy-sink';
import { Random, Weighted } from './random';

/**
 * The département: its communes (INSEE COG, with their EPCI), ~150 structures of every type on real
 * communes chosen by population, ~300 sites (fixed, and itinerant permanences in small communes), the
 * services of the directory, ~1,000 professionals with their memberships (every role).
 */
export interface Commune extends CommuneRecord {
  weight: number;
}

export interface Site {
  id: string;
  kind: 'fixed' | 'itinerant';
  communeInsee: string;
}

export interface Agent {
  userId: string;
  role: Role;
  /** When the membership began, and ended (deactivated) if it did. */
  from: number;
  to: number | null;
}

export interface Service {
  id: string;
  bouquets: NeedBouquetCode[];
}

export interface Structure {
  id: string;
  /** Position in Territory.structures (cache keys). */
  index: number;
  name: string;
  type: StructureType;
  communeInsee: string;
  epci: string | null;
  /** Relative volume of people it welcomes (first desks) or receives (partners). */
  weight: number;
  sites: Site[];
  /** Reception agents, social workers and admins: who records contacts and answers orientations. */
  agents: Agent[];
  services: Service[];
  /** A first desk (premier accueil): people walk in; otherwise a partner that receives orientations. */
  firstDesk: boolean;
}

export interface Territory {
  tenantId: string;
  code: string;
  name: string;
  communes: Commune[];
  communeByInsee: Map<string, Commune>;
  structures: Structure[];
  byId: Map<string, Structure>;
  /** The Département's own direction, where the coordinators work. */
  direction: Structure;
  users: number;
  memberships: number;
  sites: number;
  services: number;
  /** Named accounts for the load benchmark (all with the bench password). */
  accounts: { email: string; role: Role; structureId: string | null; label: string }[];
  userRows: UserRow[];
}

export interface UserRow {
  id: string;
  first: string;
  last: string;
  email: string;
  memberships: { structureId: string | null; role: Role; from: number; to: number | null }[];
}

/** What each type of structure offers, by bouquet (services of the directory, orientation targets). */
export const TYPE_BOUQUETS: Record<StructureType, NeedBouquetCode[]> = {
  ccas: [10, 9, 17, 14, 5, 6, 7],
  mairie: [4, 1, 7, 16],
  france_services: [4, 5, 1, 11, 18, 15],
  departmental_social_service: [10, 14, 6, 8, 5, 2],
  caf: [5, 14, 6],
  cpam: [8, 5],
  france_travail: [11, 13, 12],
  mission_locale: [11, 13, 15, 14, 8],
  association: [10, 17, 16, 18, 15, 14],
  other: [3, 2, 14, 17, 12],
};

interface TypePlan {
  type: StructureType;
  count: number;
  /** Sites per structure: the first one at the structure's commune. */
  sites: (r: Random) => number;
  itinerantShare: number;
  name: (commune: Commune, index: number) => string;
  /** Where they are: weight of a commune by its population. */
  place: (population: number) => number;
  /** Activity from the commune's population (before the type's factor). */
  activity: number;
  firstDesk: boolean;
  /** Share of social workers among the agents (the rest are reception agents). */
  socialShare: number;
}

/** "de Lille", "d’Armentières", "du Cateau-Cambrésis", "des Moëres". */
export function ofCommune(name: string): string {
  if (name.startsWith('Le ')) return `du ${name.slice(3)}`;
  if (name.startsWith('Les ')) return `des ${name.slice(4)}`;
  return /^[AEIOUYÉÈÊÂÎÔH]/i.test(name) ? `d’${name}` : `de ${name}`;
}

const ASSOCIATIONS = [
  (c: Commune) => `Secours populaire — comité ${ofCommune(c.name)}`,
  (c: Commune) => `Restos du cœur — centre ${ofCommune(c.name)}`,
  (c: Commune) => `Croix-Rouge française — unité locale ${ofCommune(c.name)}`,
  (c: Commune) => `Secours catholique — équipe ${ofCommune(c.name)}`,
  (c: Commune) => `Épicerie solidaire ${ofCommune(c.name)}`,
  (c: Commune) => `Emmaüs Connect — ${c.name}`,
];
const OTHERS = [
  () => 'CIDFF du Nord',
  () => 'ADIL du Nord',
  (c: Commune) => `PIMMS ${ofCommune(c.name)}`,
  (c: Commune) => `Point-justice ${ofCommune(c.name)}`,
  () => 'France Victimes 59',
  () => 'UDAF du Nord',
  (c: Commune) => `Maison de l’habitat ${ofCommune(c.name)}`,
];
const CPAM = ['CPAM de Lille-Douai', 'CPAM de Roubaix-Tourcoing', 'CPAM des Flandres', 'CPAM du Hainaut', 'CPAM du Cambrésis'];

function plans(scale: number, department = 'Département'): TypePlan[] {
  const n = (count: number) => Math.max(1, Math.round(count * scale));
  const big = (p: number) => (p >= 15000 ? p : p / 10);
  return [
    { type: 'departmental_social_service', count: n(12), sites: (r) => r.int(4, 6), itinerantShare: 0.1, name: (c) => `${department} — UTPAS ${ofCommune(c.name)}`, place: big, activity: 3.2, firstDesk: true, socialShare: 0.7 },
    { type: 'ccas', count: n(40), sites: (r) => (r.chance(0.4) ? 2 : 1), itinerantShare: 0, name: (c) => `CCAS ${ofCommune(c.name)}`, place: (p) => p, activity: 1.3, firstDesk: true, socialShare: 0.5 },
    { type: 'mairie', count: n(22), sites: () => 1, itinerantShare: 0, name: (c) => `Mairie ${ofCommune(c.name)}`, place: (p) => (p >= 800 && p <= 12000 ? 1 : 0.01), activity: 0.35, firstDesk: true, socialShare: 0.1 },
    { type: 'france_services', count: n(25), sites: (r) => (r.chance(0.5) ? 2 : 1), itinerantShare: 1, name: (c) => `France Services ${ofCommune(c.name)}`, place: (p) => (p >= 2500 && p <= 40000 ? Math.sqrt(p) : 0.01), activity: 0.9, firstDesk: true, socialShare: 0 },
    { type: 'caf', count: 1, sites: () => n(12), itinerantShare: 0, name: () => 'CAF du Nord', place: big, activity: 4, firstDesk: false, socialShare: 0.3 },
    { type: 'cpam', count: Math.min(CPAM.length, n(4)), sites: () => 4, itinerantShare: 0, name: (_c, i) => CPAM[i], place: big, activity: 1.5, firstDesk: false, socialShare: 0.3 },
    { type: 'france_travail', count: n(16), sites: () => 1, itinerantShare: 0, name: (c) => `France Travail ${c.name}`, place: big, activity: 0.8, firstDesk: false, socialShare: 0.6 },
    { type: 'mission_locale', count: n(10), sites: () => 3, itinerantShare: 0.2, name: (c) => `Mission locale ${ofCommune(c.name)}`, place: big, activity: 0.7, firstDesk: false, socialShare: 0.6 },
    { type: 'association', count: n(16), sites: (r) => (r.chance(0.3) ? 2 : 1), itinerantShare: 0.3, name: (c, i) => ASSOCIATIONS[i % ASSOCIATIONS.length](c), place: (p) => p, activity: 0.5, firstDesk: true, socialShare: 0.5 },
    { type: 'other', count: Math.min(OTHERS.length, n(6)), sites: (r) => (r.chance(0.5) ? 2 : 1), itinerantShare: 0, name: (c, i) => OTHERS[i](c), place: big, activity: 0.4, firstDesk: false, socialShare: 0.7 },
  ];
}

const OPENING_HOURS = ['Mo-Fr 08:30-12:00,13:30-17:00', 'Mo-Fr 09:00-12:00,14:00-17:00', 'Mo-Th 08:30-12:00,13:30-17:30; Fr 08:30-12:00', 'Mo,Tu,Th,Fr 09:00-12:00,14:00-16:30; We 09:00-12:00'];
const DAYS = [
  ['MO', 'lundi'],
  ['TU', 'mardi'],
  ['WE', 'mercredi'],
  ['TH', 'jeudi'],
  ['FR', 'vendredi'],
] as const;

export interface TerritoryOptions {
  code: string;
  persons: number;
  structures?: number;
  agents?: number;
  windowStart: number;
  now: number;
  passwordHash: string;
}

/** Builds the territory in memory (ids drawn from `random`), ready to be loaded. */
export function buildTerritory(random: Random, faker: typeof fakerFR, options: TerritoryOptions): Territory {
  const name = departementName(options.code);
  if (!name) throw new Error(`unknown département ${options.code}`);
  const department = options.code === '59' ? 'Département du Nord' : `Département (${name})`;
  const communes: Commune[] = communesOf(options.code).map((c) => ({ ...c, weight: c.population ?? 100 }));
  const communeByInsee = new Map(communes.map((c) => [c.inseeCode, c]));
  const scale = (options.structures ?? Math.max(30, Math.round((150 * options.persons) / 300_000))) / 150;
  const structures: Structure[] = [];
  const names = new Set<string>();

  const used = new Map<StructureType, Set<string>>();
  for (const plan of plans(scale, department)) {
    const taken = used.get(plan.type) ?? new Set<string>();
    used.set(plan.type, taken);
    for (let i = 0; i < plan.count; i++) {
      const candidates = communes.filter((c) => !taken.has(c.inseeCode));
      const commune = Weighted.of(candidates.map((c) => [c, plan.place(c.population ?? 100)] as const)).draw(random);
      let structureName = plan.name(commune, i);
      if (names.has(structureName.toLowerCase())) structureName = `${structureName} (${commune.name})`;
      if (names.has(structureName.toLowerCase())) continue;
      names.add(structureName.toLowerCase());
      taken.add(commune.inseeCode);
      const siteCount = plan.sites(random);
      const sites: Site[] = [{ id: random.uuid(), kind: 'fixed', communeInsee: commune.inseeCode }];
      for (let s = 1; s < siteCount; s++) {
        const itinerant = random.chance(plan.itinerantShare);
        // Antennes in towns of the same EPCI; itinerant permanences in its villages.
        const around = communes.filter((c) => c.epciCode === commune.epciCode && c.inseeCode !== commune.inseeCode);
        const pool = around.length > 0 ? around : communes;
        const place = Weighted.of(pool.map((c) => [c, itinerant ? 1 / Math.sqrt(c.population ?? 100) : (c.population ?? 100)] as const)).draw(random);
        sites.push({ id: random.uuid(), kind: itinerant ? 'itinerant' : 'fixed', communeInsee: place.inseeCode });
      }
      const population = sites.reduce((sum, s) => sum + (communeByInsee.get(s.communeInsee)?.population ?? 100), 0);
      structures.push({
        id: random.uuid(),
        index: 0,
        name: structureName,
        type: plan.type,
        communeInsee: commune.inseeCode,
        epci: commune.epciCode,
        weight: plan.activity * Math.pow(population, 0.6) * random.logNormal(1, 0.3),
        sites,
        agents: [],
        services: [],
        firstDesk: plan.firstDesk,
      });
    }
  }
  const lille = communes.reduce((a, b) => ((a.population ?? 0) >= (b.population ?? 0) ? a : b));
  const direction: Structure = {
    id: random.uuid(),
    index: 0,
    name: `${department} — Direction de l’action sociale`,
    type: 'departmental_social_service',
    communeInsee: lille.inseeCode,
    epci: lille.epciCode,
    weight: 0,
    sites: [{ id: random.uuid(), kind: 'fixed', communeInsee: lille.inseeCode }],
    agents: [],
    services: [],
    firstDesk: false,
  };
  structures.unshift(direction);
  structures.forEach((s, i) => (s.index = i));

  for (const s of structures) {
    const bouquets = TYPE_BOUQUETS[s.type];
    const count = s === direction ? 0 : random.int(1, 3);
    for (let i = 0; i < count; i++) {
      const first = i === 0 ? bouquets.slice(0, 2) : random.sample(bouquets, random.int(1, 3));
      s.services.push({ id: random.uuid(), bouquets: [...new Set(first)] });
    }
  }

  // Professionals: one admin per structure, coordinators at the direction, the rest by activity.
  const totalAgents = options.agents ?? Math.max(60, Math.round((1000 * options.persons) / 300_000));
  const coordinators = Math.max(2, Math.round(totalAgents / 125));
  const spread = Math.max(structures.length, totalAgents - structures.length - coordinators - 1);
  const activity = structures.reduce((sum, s) => sum + s.weight, 0);
  const users: UserRow[] = [];
  const firstNames = [...(faker.rawDefinitions.person?.first_name?.female ?? []), ...(faker.rawDefinitions.person?.first_name?.male ?? [])];
  const lastNames = faker.rawDefinitions.person?.last_name?.generic ?? [];
  const slug = (s: string) =>
    s
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z]+/g, '-');
  const accounts: Territory['accounts'] = [];
  const newUser = (email?: string): UserRow => {
    const first = random.pick(firstNames);
    const last = random.pick(lastNames);
    const user: UserRow = { id: random.uuid(), first, last, email: email ?? `${slug(first)}.${slug(last)}.${users.length + 1}@scale.passerelle.test`, memberships: [] };
    users.push(user);
    return user;
  };
  // Most memberships span the whole window; some began later, some ended (deactivated).
  const interval = (stable: boolean): { from: number; to: number | null } => {
    const span = options.now - options.windowStart;
    if (stable || random.chance(0.8)) return { from: options.windowStart - 30 * DAY_MS, to: null };
    if (random.chance(0.5)) return { from: options.windowStart + Math.floor(random.next() * span * 0.9), to: null };
    return { from: options.windowStart - 30 * DAY_MS, to: options.windowStart + Math.floor(span * (0.1 + 0.85 * random.next())) };
  };
  const addMembership = (user: UserRow, s: Structure | null, role: Role, stable: boolean, label?: string) => {
    const { from, to } = interval(stable);
    if (s && role !== 'coordinator') s.agents.push({ userId: user.id, role, from, to });
    user.memberships.push({ structureId: s?.id ?? null, role, from, to });
    if (label) accounts.push({ email: user.email, role, structureId: s?.id ?? null, label });
  };

  addMembership(newUser('plateforme@scale.passerelle.test'), null, 'platform_admin', true, 'administrateur de la plateforme');
  for (let i = 0; i < coordinators; i++) {
    addMembership(newUser(i === 0 ? 'coordination@scale.passerelle.test' : undefined), direction, 'coordinator', true, i === 0 ? `coordinateur — ${direction.name}` : undefined);
  }
  const busiest = structures.filter((s) => s.firstDesk).reduce((a, b) => (a.weight >= b.weight ? a : b));
  for (const s of structures) {
    const own = s === busiest;
    addMembership(newUser(own ? 'admin@scale.passerelle.test' : undefined), s, 'structure_admin', true, own ? `administrateur — ${s.name}` : undefined);
    if (s === direction) continue;
    const plan = plans(1).find((p) => p.type === s.type) as TypePlan;
    const count = Math.max(2, Math.round((spread * s.weight) / activity));
    for (let i = 0; i < count; i++) {
      // The first two are always there: a reception agent (a social worker where there are mostly those) and a social worker.
      let role: Role = random.chance(plan.socialShare) ? 'social_worker' : 'reception_agent';
      if (i === 0) role = plan.socialShare > 0.6 ? 'social_worker' : 'reception_agent';
      if (i === 1 && plan.socialShare > 0) role = 'social_worker';
      if (own && i < 2) {
        role = i === 0 ? 'reception_agent' : 'social_worker';
        const email = i === 0 ? 'accueil@scale.passerelle.test' : 'social@scale.passerelle.test';
        addMembership(newUser(email), s, role, true, `${i === 0 ? 'agent d’accueil' : 'travailleur social'} — ${s.name}`);
        continue;
      }
      addMembership(newUser(), s, role, i < 2);
    }
  }
  // A few social workers also work for a second structure (a permanence at a CCAS, a France Services…).
  const socialWorkers = users.filter((u) => u.memberships.length === 1 && u.memberships[0].role === 'social_worker' && !u.email.startsWith('social@'));
  for (const user of random.sample(socialWorkers, Math.round(socialWorkers.length * 0.05))) {
    const current = user.memberships[0].structureId;
    addMembership(user, random.pick(structures.filter((s) => s.firstDesk && s.id !== current)), 'social_worker', false);
  }

  const territory: Territory = {
    tenantId: random.uuid(),
    code: options.code,
    name,
    communes,
    communeByInsee,
    structures,
    byId: new Map(structures.map((s) => [s.id, s])),
    direction,
    users: users.length,
    memberships: users.reduce((sum, u) => sum + u.memberships.length, 0),
    sites: structures.reduce((sum, s) => sum + s.sites.length, 0),
    services: structures.reduce((sum, s) => sum + s.services.length, 0),
    accounts,
    userRows: users,
  };
  return territory;
}

/** Writes the tenant and the small tables (COPY, foreign keys and triggers in force), one after the other. */
export async function loadTerritory(url: string, t: Territory, random: Random, faker: typeof fakerFR, options: TerritoryOptions): Promise<Record<string, number>> {
  const users = t.userRows;
  const created = iso(options.windowStart - 60 * DAY_MS);
  const counts: Record<string, number> = {};
  const copy = async (table: string, columns: string[], fill: (sink: CopySink) => void) => {
    const sink = new CopySink(table, columns);
    await sink.open(url);
    fill(sink);
    counts[table] = await sink.close();
  };
  await copy('tenant', ['id', 'code', 'name', 'created_at'], (s) => s.push([t.tenantId, t.code, t.name, created]));
  await copy('commune', ['tenant_id', 'insee_code', 'name', 'postal_codes', 'epci_code', 'population'], (s) => {
    for (const c of t.communes) s.push([t.tenantId, c.inseeCode, c.name, c.postalCodes, c.epciCode, c.population]);
  });
  await copy('structure', ['id', 'tenant_id', 'name', 'type', 'siret', 'email', 'phone', 'commune_insee', 'active', 'created_at', 'updated_at'], (s) => {
    for (const st of t.structures) {
      const phone = `03${random.int(20, 29)}${String(random.int(0, 999999)).padStart(6, '0')}`;
      s.push([st.id, t.tenantId, st.name, st.type, null, null, phone, st.communeInsee, true, created, created]);
    }
  });
  await copy(
    'site',
    ['id', 'tenant_id', 'structure_id', 'name', 'kind', 'address', 'commune_insee', 'opening_hours', 'recurrence', 'recurrence_label', 'active', 'created_at', 'updated_at'],
    (s) => {
      for (const st of t.structures) {
        for (const [i, site] of st.sites.entries()) {
          const commune = t.communeByInsee.get(site.communeInsee) as Commune;
          const address = `${random.int(1, 120)} ${faker.location.street()}`;
          if (site.kind === 'itinerant') {
            const [code, day] = random.pick(DAYS);
            const label = `Chaque ${day} de 9 h à 12 h, place de la mairie ${ofCommune(commune.name)}`;
            s.push([site.id, t.tenantId, st.id, `${st.name} — permanence ${ofCommune(commune.name)}`, 'itinerant', 'Place de la mairie', site.communeInsee, null, `FREQ=WEEKLY;BYDAY=${code}`, label, true, created, created]);
          } else {
            const siteName = i === 0 ? `${st.name} — accueil` : `${st.name} — antenne ${ofCommune(commune.name)}`;
            s.push([site.id, t.tenantId, st.id, siteName, 'fixed', address, site.communeInsee, random.pick(OPENING_HOURS), null, null, true, created, created]);
          }
        }
      }
    },
  );
  const verified = (i: number) => iso(options.now - (10 + ((i * 37) % 300)) * DAY_MS);
  await copy(
    'service',
    ['id', 'tenant_id', 'structure_id', 'name', 'description', 'bouquets', 'cost', 'reception_modes', 'mobilization_modes', 'active', 'last_verified_at', 'created_at', 'updated_at'],
    (s) => {
      let i = 0;
      for (const st of t.structures) {
        for (const [k, service] of st.services.entries()) {
          const label = service.bouquets.map((b) => BOUQUET_SHORT[b]).join(', ');
          s.push([service.id, t.tenantId, st.id, `${label} (${k + 1})`, `Accueil, information et accompagnement : ${label.toLowerCase()}.`, service.bouquets, 'free', ['in_person', 'remote'], ['show_up', 'phone'], true, verified(i++), created, created]);
        }
      }
    },
  );
  await copy('service_site', ['tenant_id', 'service_id', 'site_id', 'structure_id'], (s) => {
    for (const st of t.structures) for (const service of st.services) for (const site of st.sites) s.push([t.tenantId, service.id, site.id, st.id]);
  });
  await copy('app_user', ['id', 'tenant_id', 'email', 'first_name', 'last_name', 'password_hash', 'created_at', 'updated_at'], (s) => {
    for (const u of users) s.push([u.id, t.tenantId, u.email, u.first, u.last, options.passwordHash, created, created]);
  });
  await copy('membership', ['id', 'tenant_id', 'user_id', 'structure_id', 'role', 'deactivated_at', 'created_at', 'may_override_consent'], (s) => {
    for (const u of users) {
      for (const m of u.memberships) {
        s.push([random.uuid(), t.tenantId, u.id, m.structureId, m.role, m.to === null ? null : iso(m.to), iso(m.from), m.role === 'social_worker' && random.chance(0.03)]);
      }
    }
  });
  return counts;
}

const BOUQUET_SHORT: Record<NeedBouquetCode, string> = {
  1: 'Information et orientation',
  2: 'Sécurité, aide aux victimes',
  3: 'Accès au droit',
  4: 'Démarches administratives',
  5: 'Prestations sociales',
  6: 'Petite enfance',
  7: 'Scolarité',
  8: 'Santé, accès aux soins',
  9: 'Aide à domicile',
  10: 'Accompagnement social',
  11: 'Emploi',
  12: 'Création d’activité',
  13: 'Formation',
  14: 'Logement et hébergement',
  15: 'Mobilité',
  16: 'Culture, sport et loisirs',
  17: 'Énergie, eau, factures',
  18: 'Numérique et vie quotidienne',
};
