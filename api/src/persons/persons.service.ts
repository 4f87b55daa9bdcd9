import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { NetworkSearchHit, Person, PersonIdentity, PersonSearchHit } from '@passerelle/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../common/auth/auth-context';
import { DomainError } from '../common/errors/domain-error';
import { StructuresService } from '../structures/structures.service';
import { parseBirthDate, type BirthDate } from './birth-date';
import type { CreatePersonDto, MergePersonsDto, PersonIdentityDto, SearchPersonsQuery, UpdatePersonDto } from './dto/person.dto';
import { findActiveReferents, findFollowers } from './followers';
import { PersonAccessService, type PersonAccess } from './person-access.service';
import { projectPerson, type FullPerson } from './person-projection';
import { PersonEntity } from './person.entity';
import { PersonsRepository, type PersonRow, type VisibleSqlFor } from './persons.repository';
import { parseSearchQuery } from './search-query';

export const SEARCH_LIMIT_DEFAULT = 10;

/** The identity columns an agent may write (the entity's other columns are the system's). */
type IdentityChanges = Partial<Pick<PersonEntity, keyof PersonIdentity>>;
/** Written as sent (after the DTO's normalisation); the birth date and its precision are resolved together. */
const WRITABLE = [
  'usageLastName',
  'birthLastName',
  'firstNames',
  'communeInsee',
  'noStableHome',
  'domiciliation',
  'phone',
  'email',
  'languages',
  'needsInterpreter',
  'contactPreference',
  'household',
  'dependentChildren',
  'nationalityGroup',
] as const satisfies readonly (keyof PersonIdentity)[];

const M = {
  noName: 'Indiquez au moins un nom : nom d’usage, nom de naissance ou prénom.',
  precisionAlone: 'Indiquez la date de naissance avec sa précision.',
  precisionTooFine: 'La précision demandée ne correspond pas à la date : « day » demande AAAA-MM-JJ, « month » au moins AAAA-MM.',
  domiciliation: 'La domiciliation ne concerne que les personnes sans domicile stable : cochez « sans domicile stable ».',
  mergeConfirm: 'La fusion est irréversible : confirmez-la (confirm = true) après avoir vérifié qu’il s’agit de la même personne.',
  mergeSelf: 'Un dossier ne peut pas être fusionné avec lui-même.',
  mergeAnonymized:
    'Un dossier anonymisé ne peut pas être fusionné : son contenu a été effacé, et le rattacher à un autre dossier permettrait de reconnaître la personne.',
};

const invalid = (field: string, message: string) => new DomainError('VALIDATION_FAILED', message, [{ field, messages: [message] }]);

/**
 * Person files (usagers): search at the desk, creation with a duplicate warning, reading and editing
 * the identity, merging two files. Who may see a file is decided by PersonAccessService only; every
 * read and write is audited with ids and codes, never names nor the searched text.
 */
@Injectable()
export class PersonsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: PersonAccessService,
    private readonly persons: PersonsRepository,
    private readonly structures: StructuresService,
    private readonly audit: AuditService,
  ) {}

  async search(auth: AuthContext, query: SearchPersonsQuery): Promise<PersonSearchHit[]> {
    const input = parseSearchQuery(query.q);
    if (input.kind === 'none') return []; // nothing to look for yet: no read, nothing to audit
    const birth = query.birth ? parseBirthDate(query.birth) : null;
    return this.dataSource.transaction(async (manager) => {
      const visible: VisibleSqlFor = (alias, firstParam) => this.access.visibleSql(auth, alias, firstParam, { perRow: true });
      const hits = await this.persons.search(manager, visible, input, birth, query.limit ?? SEARCH_LIMIT_DEFAULT);
      await this.audit.record(auth, { action: 'person.search', entityType: 'person', reason: `by_${input.kind}` }, manager);
      return hits;
    });
  }

  /**
   * Search of the territory's network: persons who consented to "visibilité dans le réseau" and whom the
   * caller cannot open, with their minimal identity (names, birth year), the structures that know them and
   * their current référent's contact, so the person does not have to tell their story again. By name only: a phone number or an e-mail
   * address never reaches across the network.
   */
  async networkSearch(auth: AuthContext, query: SearchPersonsQuery): Promise<NetworkSearchHit[]> {
    const input = parseSearchQuery(query.q);
    if (input.kind !== 'name') return [];
    const birth = query.birth ? parseBirthDate(query.birth) : null;
    return this.dataSource.transaction(async (manager) => {
      const network = (alias: string, firstParam: number) => {
        const shared = this.access.networkVisibleSql(auth, alias, firstParam);
        const visible = this.access.visibleSql(auth, alias, firstParam + shared.params.length);
        return { sql: `(${shared.sql} AND NOT ${visible.sql})`, params: [...shared.params, ...visible.params] };
      };
      const hits = await this.persons.search(manager, network, input, birth, query.limit ?? SEARCH_LIMIT_DEFAULT);
      await this.audit.record(auth, { action: 'person.search', entityType: 'person', reason: 'network' }, manager);
      const knownBy = await findFollowers(manager, hits.map((h) => h.id));
      const referents = await findActiveReferents(manager, hits.map((h) => h.id));
      return hits.map((hit) => ({
        id: hit.id,
        usageLastName: hit.usageLastName,
        birthLastName: hit.birthLastName,
        firstNames: hit.firstNames,
        birthYear: hit.birthDate ? Number(hit.birthDate.slice(0, 4)) : null,
        knownBy: knownBy.get(hit.id) ?? [],
        referent: referents.get(hit.id) ?? null,
      }));
    });
  }

  async get(auth: AuthContext, id: string): Promise<Person> {
    return this.dataSource.transaction(async (manager) => {
      const access = await this.access.assertCanSee(auth, id, manager);
      await this.audit.record(auth, { action: 'person.read', entityType: 'person', entityId: id, reason: access.reason }, manager);
      return this.load(id, access, manager);
    });
  }

  async create(auth: AuthContext, dto: CreatePersonDto): Promise<Person> {
    const identity = resolveIdentity(dto, null);
    assertCoherent(identity);
    if (identity.communeInsee) await this.structures.assertCommuneOfTenant(auth.tenantId, identity.communeInsee);
    const structureId = auth.structureId as string; // PERSON_ROLES all belong to a structure
    const outcome = await this.dataSource.transaction(async (manager) => {
      if (dto.confirmNotDuplicate !== true) {
        const candidates = await this.persons.findDuplicates(manager, this.visibleFor(auth), {
          names: [identity.usageLastName, identity.birthLastName, identity.firstNames].filter(Boolean).join(' '),
          phone: identity.phone ?? null,
          email: identity.email ?? null,
          birthYear: identity.birthDate ? Number(identity.birthDate.slice(0, 4)) : null,
        });
        if (candidates.length > 0) return { candidates };
      }
      const person = await manager.save(
        manager.create(PersonEntity, { ...identity, tenantId: auth.tenantId, createdByStructureId: structureId, createdByUserId: auth.userId }),
      );
      await this.access.follow(auth.tenantId, person.id, structureId, 'created', manager);
      await this.audit.record(auth, { action: 'person.create', entityType: 'person', entityId: person.id }, manager);
      return { person: await this.load(person.id, await this.access.assertCanSee(auth, person.id, manager), manager) };
    });
    if ('candidates' in outcome) {
      // The agent was shown these files: traced like a search (nothing was written).
      await this.audit.record(auth, { action: 'person.search', entityType: 'person', reason: 'duplicate_check' });
      throw new DomainError('POSSIBLE_DUPLICATE', undefined, undefined, { candidates: outcome.candidates });
    }
    return outcome.person;
  }

  async update(auth: AuthContext, id: string, dto: UpdatePersonDto): Promise<Person> {
    return this.dataSource.transaction(async (manager) => {
      const access = await this.access.assertFollows(auth, id, manager);
      await this.persons.lock(manager, [id]);
      const current = await manager.findOneByOrFail(PersonEntity, { id });
      // The CHECK person_anonymized_holds_no_identity would refuse the write anyway: say why, clearly.
      if (current.anonymizedAt) throw new DomainError('PERSON_ANONYMIZED');
      const changes = changedFields(current, resolveIdentity(dto, current));
      assertCoherent({ ...current, ...changes });
      if (changes.communeInsee) await this.structures.assertCommuneOfTenant(auth.tenantId, changes.communeInsee);
      const fields = Object.keys(changes);
      if (fields.length > 0) {
        await manager.update(PersonEntity, { id }, changes);
        await this.audit.record(auth, { action: 'person.update', entityType: 'person', entityId: id, reason: fields.join(',') }, manager);
      } else {
        await this.audit.record(auth, { action: 'person.read', entityType: 'person', entityId: id, reason: access.reason }, manager);
      }
      return this.load(id, access, manager);
    });
  }

  /** Merges the source file into the target (`targetId`): irreversible, so `confirm` must be true. */
  async merge(auth: AuthContext, targetId: string, dto: MergePersonsDto): Promise<Person> {
    if (dto.confirm !== true) throw invalid('confirm', M.mergeConfirm);
    if (dto.sourcePersonId === targetId) throw invalid('sourcePersonId', M.mergeSelf);
    return this.dataSource.transaction(async (manager) => {
      await this.persons.lock(manager, [targetId, dto.sourcePersonId]);
      const access = await this.access.assertFollows(auth, targetId, manager);
      await this.access.assertFollows(auth, dto.sourcePersonId, manager);
      if (await this.persons.anyAnonymized(manager, [targetId, dto.sourcePersonId])) throw new DomainError('PERSON_ANONYMIZED', M.mergeAnonymized);
      await this.persons.merge(manager, dto.sourcePersonId, targetId);
      await this.audit.record(auth, { action: 'person.merge', entityType: 'person', entityId: dto.sourcePersonId, reason: `merged_into:${targetId}` }, manager);
      await this.audit.record(auth, { action: 'person.merge', entityType: 'person', entityId: targetId, reason: `absorbed:${dto.sourcePersonId}` }, manager);
      return this.load(targetId, access, manager);
    });
  }

  private visibleFor(auth: AuthContext): VisibleSqlFor {
    return (alias, firstParam) => this.access.visibleSql(auth, alias, firstParam);
  }

  /** The file as the caller may see it (projected by the access policy's categories). */
  private async load(id: string, access: PersonAccess, manager: EntityManager): Promise<Person> {
    const row = await this.persons.findById(id, manager);
    if (!row) throw new Error(`person ${id} vanished inside its transaction`);
    return projectPerson(toPerson(row), access);
  }
}

/**
 * The identity columns to write from a create/update DTO: absent fields are left out (unchanged),
 * the birth date is resolved with its precision ("1984" → 1984-01-01, 'year'), and clearing
 * "sans domicile stable" clears the domiciliation with it.
 */
function resolveIdentity(dto: PersonIdentityDto, current: PersonEntity | null): IdentityChanges {
  const { birthDate, birthDatePrecision } = dto;
  const out: IdentityChanges = Object.fromEntries(WRITABLE.filter((key) => dto[key] !== undefined).map((key) => [key, dto[key]]));
  if (birthDate !== undefined) {
    const birth = birthDate === null ? null : resolveBirth(birthDate, birthDatePrecision);
    out.birthDate = birth?.date ?? null;
    out.birthDatePrecision = birth?.precision ?? null;
  } else if (birthDatePrecision !== undefined) {
    if (birthDatePrecision === null || !current?.birthDate) throw invalid('birthDatePrecision', M.precisionAlone);
    out.birthDate = resolveBirth(current.birthDate, birthDatePrecision).date;
    out.birthDatePrecision = birthDatePrecision;
  }
  if (out.noStableHome === false && out.domiciliation === undefined && current?.domiciliation) out.domiciliation = null;
  return out;
}

function resolveBirth(value: string, precision: PersonIdentityDto['birthDatePrecision']): BirthDate {
  const birth = parseBirthDate(value, precision);
  if (!birth) throw invalid('birthDatePrecision', M.precisionTooFine);
  return birth;
}

/** Rules across fields (the database has the same CHECKs; these give a clear message first). */
function assertCoherent(p: IdentityChanges): void {
  if (!p.usageLastName && !p.birthLastName && !p.firstNames) throw invalid('usageLastName', M.noName);
  if (p.domiciliation && !p.noStableHome) throw invalid('domiciliation', M.domiciliation);
}

/** The fields whose value actually changes (so the audit lists real changes only). */
function changedFields(current: PersonEntity, next: IdentityChanges): IdentityChanges {
  return Object.fromEntries(
    Object.entries(next).filter(([key, value]) => JSON.stringify(current[key as keyof PersonEntity] ?? null) !== JSON.stringify(value ?? null)),
  ) as IdentityChanges;
}

export function toPerson(r: PersonRow): FullPerson {
  return {
    id: r.id,
    usageLastName: r.usage_last_name,
    birthLastName: r.birth_last_name,
    firstNames: r.first_names,
    birthDate: r.birth_date,
    birthDatePrecision: r.birth_date_precision,
    communeInsee: r.commune_insee,
    communeName: r.commune_name,
    noStableHome: r.no_stable_home,
    domiciliation: r.domiciliation,
    phone: r.phone,
    email: r.email,
    languages: r.languages,
    needsInterpreter: r.needs_interpreter,
    contactPreference: r.contact_preference,
    household: r.household,
    dependentChildren: r.dependent_children,
    nationalityGroup: r.nationality_group,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    anonymizedAt: r.anonymized_at?.toISOString() ?? null,
  };
}
