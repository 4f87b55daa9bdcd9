import {
  MOBILIZATION_MODE_LABELS,
  NEED_BOUQUETS,
  SERVICE_COST_LABELS,
  SERVICE_PUBLIC_LABELS,
  DATA_INCLUSION_THEMATIQUES,
  STRUCTURE_TYPE_LABELS,
  type DirectoryService,
  type ServicePublic,
  type StructureType,
} from '@passerelle/contracts';
import { createHash } from 'node:crypto';

/**
 * The directory as Open Referral HSDS 3.0 JSON: `organizations`, `services` (with their phones,
 * schedules, service areas, required documents and classification attributes), `locations` (with
 * their address) and `service_at_locations`. Pure: DirectoryExportService reads the rows.
 */

export const HSDS_VERSION = '3.0';

export interface HsdsStructure {
  id: string;
  name: string;
  type: StructureType;
  siret: string | null;
  email: string | null;
  phone: string | null;
  communeName: string | null;
}

export interface HsdsSite {
  id: string;
  structureId: string;
  name: string;
  kind: 'fixed' | 'itinerant';
  address: string | null;
  communeInsee: string;
  communeName: string;
  postalCode: string | null;
  openingHours: string | null;
  recurrenceLabel: string | null;
}

export interface HsdsInput {
  departement: { code: string; name: string };
  structures: HsdsStructure[];
  services: DirectoryService[];
  sites: HsdsSite[];
  generatedAt: Date;
}

type Json = Record<string, unknown>;

export interface HsdsExport {
  hsds_version: string;
  generated_at: string;
  organizations: Json[];
  services: Json[];
  locations: Json[];
  service_at_locations: Json[];
}

/** A UUID (version 5 layout) derived from its parts: the same export gives the same ids. */
export function stableUuid(...parts: string[]): string {
  const hash = createHash('sha1').update(parts.join('\u001f')).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** "0492000000" → "+33492000000" (E.164, as HSDS recommends international numbers). */
export function e164(phone: string): string {
  return /^0[1-9][0-9]{8}$/.test(phone) ? `+33${phone.slice(1)}` : phone;
}

const DAY = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];
const RULE = /^((?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?(?:,(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?)*) ((?:\d{2}:\d{2}-\d{2}:\d{2})(?:,\d{2}:\d{2}-\d{2}:\d{2})*)$/;

/** "Mo-We,Fr" → "MO,TU,WE,FR" (iCalendar BYDAY). */
function byday(selector: string): string {
  const days: string[] = [];
  for (const part of selector.split(',')) {
    const [from, to] = part.split('-');
    const start = DAY.indexOf(from);
    const end = to ? DAY.indexOf(to) : start;
    for (let i = start; i <= end; i++) days.push(DAY[i].toUpperCase());
  }
  return days.join(',');
}

/**
 * HSDS schedules (weekly RRULE parts) from OpenStreetMap opening hours: one per day selector and time
 * range ("Mo-Fr 08:30-12:00,13:30-17:00" → two WEEKLY schedules on MO..FR). A value the simple form
 * cannot express (public holidays, months, exceptions) gives one schedule whose description is the
 * opening_hours value itself.
 */
export function schedulesOf(openingHours: string | null, link: { service_id?: string; location_id?: string }, seed: string): Json[] {
  if (!openingHours) return [];
  const rules = openingHours.split(';').map((r) => r.trim());
  const parsed = rules.map((r) => RULE.exec(r));
  const description = `Horaires (heure de Paris, syntaxe OpenStreetMap opening_hours) : ${openingHours}`;
  if (parsed.some((m) => m === null)) return [{ id: stableUuid(seed, 'schedule'), ...link, description }];
  return parsed.flatMap((m, ruleIndex) =>
    (m as RegExpExecArray)[2].split(',').map((range, rangeIndex) => {
      const [opens, closes] = range.split('-');
      return {
        id: stableUuid(seed, 'schedule', String(ruleIndex), String(rangeIndex)),
        ...link,
        freq: 'WEEKLY',
        byday: byday((m as RegExpExecArray)[1]),
        opens_at: opens,
        closes_at: closes,
        description,
      };
    }),
  );
}

function attribute(serviceId: string, linkType: string, taxonomy: string, code: string, name: string, description: string): Json {
  const termId = stableUuid('taxonomy_term', taxonomy, code);
  return {
    id: stableUuid(serviceId, 'attribute', termId),
    link_id: serviceId,
    link_type: linkType,
    link_entity: 'service',
    taxonomy_term_id: termId,
    taxonomy_term: { id: termId, code, name, description, taxonomy },
  };
}

const BOUQUETS_TAXONOMY = 'ADRETS — bouquets de services (18 besoins)';
const THEMATIQUES_TAXONOMY = 'data·inclusion — thématiques';
const PUBLICS_TAXONOMY = 'data·inclusion — publics';

function serviceOf(s: DirectoryService, departement: HsdsInput['departement']): Json {
  const phone = s.contactPhone ?? s.structure.phone;
  const fees = [s.cost ? SERVICE_COST_LABELS[s.cost] : null, s.costDetails].filter(Boolean).join(' : ');
  const eligibility = [
    s.accessConditions,
    s.publics.length ? `Publics : ${s.publics.map((p) => SERVICE_PUBLIC_LABELS[p as ServicePublic] ?? p).join(', ')}.` : null,
  ]
    .filter(Boolean)
    .join(' ');
  const application = [
    s.mobilizationModes.length ? `${s.mobilizationModes.map((m) => MOBILIZATION_MODE_LABELS[m]).join(', ')}.` : null,
    s.mobilizationUrl ? `En ligne : ${s.mobilizationUrl}` : null,
  ]
    .filter(Boolean)
    .join(' ');
  const areas =
    s.zone.kind === 'departement'
      ? [{ id: stableUuid(s.id, 'area', departement.code), service_id: s.id, name: departement.name, description: `Tout le département (${departement.code})`, uri: `https://geo.api.gouv.fr/departements/${departement.code}` }]
      : s.zone.communes.map((c) => ({
          id: stableUuid(s.id, 'area', c.insee),
          service_id: s.id,
          name: c.name,
          description: `Commune de ${c.name} (code INSEE ${c.insee})`,
          uri: `https://geo.api.gouv.fr/communes/${c.insee}`,
        }));
  const service: Json = {
    id: s.id,
    organization_id: s.structure.id,
    name: s.name,
    status: s.active ? 'active' : 'inactive',
    assured_date: s.lastVerifiedAt.slice(0, 10),
    phones: phone ? [{ id: stableUuid(s.id, 'phone'), service_id: s.id, number: e164(phone), type: 'voice' }] : [],
    schedules: schedulesOf(s.openingHours, { service_id: s.id }, s.id),
    service_areas: areas,
    required_documents: s.documentsToBring.map((document, index) => ({ id: stableUuid(s.id, 'document', String(index)), service_id: s.id, document })),
    attributes: [
      ...s.bouquets.map((code) => {
        const label = NEED_BOUQUETS.find((b) => b.code === code)?.label ?? String(code);
        return attribute(s.id, 'service_type', BOUQUETS_TAXONOMY, String(code), label, `Bouquet de services n° ${code} : ${label}`);
      }),
      ...s.thematiques.map((code) => {
        const [parent, child] = code.split('--');
        const label = DATA_INCLUSION_THEMATIQUES.find((t) => t.code === parent)?.label ?? parent;
        return attribute(s.id, 'service_type', THEMATIQUES_TAXONOMY, code, child ? `${label} — ${child.replace(/-/g, ' ')}` : label, `Thématique data·inclusion « ${code} »`);
      }),
      ...s.publics.map((code) =>
        attribute(s.id, 'eligibility', PUBLICS_TAXONOMY, code, SERVICE_PUBLIC_LABELS[code as ServicePublic] ?? code, `Public data·inclusion « ${code} »`),
      ),
    ],
  };
  // Optional text fields are given only when known (HSDS has no null strings).
  if (s.description) service['description'] = s.description;
  if (s.website) service['url'] = s.website;
  if (s.contactEmail) service['email'] = s.contactEmail;
  if (fees) service['fees_description'] = fees;
  if (eligibility) service['eligibility_description'] = eligibility;
  if (application) service['application_process'] = application;
  return service;
}

function organizationOf(o: HsdsStructure, departement: HsdsInput['departement']): Json {
  const organization: Json = {
    id: o.id,
    name: o.name,
    description: `${STRUCTURE_TYPE_LABELS[o.type]}${o.communeName ? ` — ${o.communeName}` : ''} (${departement.name})`,
    phones: o.phone ? [{ id: stableUuid(o.id, 'phone'), organization_id: o.id, number: e164(o.phone), type: 'voice' }] : [],
    organization_identifiers: o.siret
      ? [{ id: stableUuid(o.id, 'siret'), organization_id: o.id, identifier_type: 'SIRET', identifier: o.siret }]
      : [],
  };
  if (o.email) organization['email'] = o.email;
  return organization;
}

function locationOf(site: HsdsSite, departement: HsdsInput['departement']): Json {
  const location: Json = {
    id: site.id,
    location_type: 'physical',
    organization_id: site.structureId,
    name: site.name,
    external_identifier: site.communeInsee,
    external_identifier_type: 'Code officiel géographique (INSEE) de la commune',
    schedules: schedulesOf(site.openingHours, { location_id: site.id }, site.id),
    addresses: site.address
      ? [
          {
            id: stableUuid(site.id, 'address'),
            location_id: site.id,
            address_1: site.address,
            city: site.communeName,
            state_province: departement.name,
            postal_code: site.postalCode ?? '',
            country: 'FR',
            address_type: 'physical',
          },
        ]
      : [],
  };
  if (site.kind === 'itinerant') location['description'] = `Permanence itinérante${site.recurrenceLabel ? ` : ${site.recurrenceLabel}` : ''}`;
  return location;
}

export function toHsds(input: HsdsInput): HsdsExport {
  const usedSites = new Set(input.services.flatMap((s) => s.sites.map((site) => site.id)));
  return {
    hsds_version: HSDS_VERSION,
    generated_at: input.generatedAt.toISOString(),
    organizations: input.structures.map((o) => organizationOf(o, input.departement)),
    services: input.services.map((s) => serviceOf(s, input.departement)),
    locations: input.sites.filter((site) => usedSites.has(site.id)).map((site) => locationOf(site, input.departement)),
    service_at_locations: input.services.flatMap((s) =>
      s.sites.map((site) => ({ id: stableUuid(s.id, 'at', site.id), service_id: s.id, location_id: site.id })),
    ),
  };
}
