import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { BirthDatePrecision, ContactPreference, HouseholdSituation, NationalityGroup, Role, SiteKind, StructureType } from '@passerelle/contracts';
import { DataSource } from 'typeorm';
import { PasswordService } from '../auth/password.service';
import { AppConfig } from '../config/app-config';
import { seedDemoContacts } from '../contacts/demo-contacts';
import { seedDemoServices } from '../directory/demo-services';
import { PersonFollowEntity } from '../persons/person-follow.entity';
import { PersonEntity } from '../persons/person.entity';
import { seedDemoReferrals } from '../referrals/demo-referrals';
import { SiteEntity } from '../structures/site.entity';
import { StructureEntity } from '../structures/structure.entity';
import { TerritoryService } from '../territory/territory.service';
import { MembershipEntity } from '../users/membership.entity';
import { UserEntity } from '../users/user.entity';

interface DemoSite {
  name: string;
  kind: SiteKind;
  address: string;
  commune: string;
  openingHours?: string;
  recurrence?: string;
  recurrenceLabel?: string;
}
interface DemoStructure {
  key: string;
  name: string;
  type: StructureType;
  commune: string;
  phone?: string;
  sites: DemoSite[];
}

/** Hautes-Alpes (05): real places, fictitious structures' details. */
const STRUCTURES: DemoStructure[] = [
  {
    key: 'cd05',
    name: 'Département des Hautes-Alpes — Direction de l’action sociale',
    type: 'departmental_social_service',
    commune: '05061',
    phone: '0492000000',
    sites: [
      { name: 'Centre médico-social de Gap', kind: 'fixed', address: '2 avenue de Provence', commune: '05061', openingHours: 'Mo-Fr 08:30-12:00,13:30-17:00' },
      { name: 'Centre médico-social de Briançon', kind: 'fixed', address: '8 rue Alphand', commune: '05023', openingHours: 'Mo-Fr 09:00-12:00,14:00-17:00' },
    ],
  },
  {
    key: 'fs-briancon',
    name: 'France Services du Briançonnais',
    type: 'france_services',
    commune: '05023',
    sites: [
      { name: 'France Services Briançon', kind: 'fixed', address: '1 rue Aspirant Jan', commune: '05023', openingHours: 'Mo-Fr 09:00-12:00; Tu,Th 13:30-17:00' },
      {
        name: 'France Services itinérante du Queyras',
        kind: 'itinerant',
        address: 'Place de la mairie',
        commune: '05003',
        openingHours: 'Tu 09:00-12:00',
        recurrence: 'FREQ=WEEKLY;BYDAY=TU',
        recurrenceLabel: 'Chaque mardi de 9 h à 12 h, place de la mairie d’Aiguilles (bus France Services)',
      },
    ],
  },
  {
    key: 'fs-champsaur',
    name: 'France Services du Champsaur-Valgaudemar',
    type: 'france_services',
    commune: '05132',
    sites: [{ name: 'France Services Saint-Bonnet', kind: 'fixed', address: 'Place Grenette', commune: '05132', openingHours: 'Mo-Th 08:30-12:00,13:30-16:30; Fr 08:30-12:00' }],
  },
  {
    key: 'ccas-gap',
    name: 'CCAS de Gap',
    type: 'ccas',
    commune: '05061',
    sites: [{ name: 'CCAS de Gap — accueil', kind: 'fixed', address: '5 rue Colonel Roux', commune: '05061', openingHours: 'Mo-Fr 08:30-12:00,13:30-17:00' }],
  },
  {
    key: 'mairie-embrun',
    name: 'Mairie d’Embrun',
    type: 'mairie',
    commune: '05046',
    sites: [{ name: 'Hôtel de ville d’Embrun', kind: 'fixed', address: 'Place Barthelon', commune: '05046', openingHours: 'Mo-Fr 08:30-12:00,13:30-17:00' }],
  },
  {
    key: 'caf',
    name: 'CAF des Hautes-Alpes',
    type: 'caf',
    commune: '05061',
    sites: [{ name: 'CAF — accueil de Gap', kind: 'fixed', address: '8 boulevard Georges Pompidou', commune: '05061', openingHours: 'Mo-Fr 08:30-12:30' }],
  },
  {
    key: 'cpam',
    name: 'CPAM des Hautes-Alpes',
    type: 'cpam',
    commune: '05061',
    sites: [{ name: 'CPAM — accueil de Gap', kind: 'fixed', address: '1 place Saint-Arnoux', commune: '05061', openingHours: 'Mo-Fr 08:30-12:30' }],
  },
  {
    key: 'ft-gap',
    name: 'France Travail Gap',
    type: 'france_travail',
    commune: '05061',
    sites: [{ name: 'Agence France Travail de Gap', kind: 'fixed', address: '12 avenue Jean Jaurès', commune: '05061', openingHours: 'Mo-We 08:30-16:30; Th 08:30-12:30; Fr 08:30-15:30' }],
  },
  {
    key: 'ml',
    name: 'Mission locale pour les jeunes des Hautes-Alpes',
    type: 'mission_locale',
    commune: '05061',
    sites: [
      { name: 'Mission locale — Gap', kind: 'fixed', address: '4 rue Jean Eymar', commune: '05061', openingHours: 'Mo-Fr 09:00-12:00,14:00-17:30' },
      { name: 'Mission locale — antenne d’Embrun', kind: 'fixed', address: 'Rue de la Liberté', commune: '05046', openingHours: 'We 09:00-12:00,14:00-17:00' },
    ],
  },
  {
    key: 'secours',
    name: 'Secours populaire — fédération des Hautes-Alpes',
    type: 'association',
    commune: '05061',
    sites: [{ name: 'Secours populaire — Gap', kind: 'fixed', address: '3 rue des Silos', commune: '05061', openingHours: 'Tu,Th 14:00-17:00' }],
  },
  {
    key: 'epicerie',
    name: 'Épicerie solidaire du Buëch',
    type: 'association',
    commune: '05070',
    sites: [{ name: 'Épicerie solidaire — Laragne', kind: 'fixed', address: 'Avenue de Provence', commune: '05070', openingHours: 'We,Fr 09:00-12:00' }],
  },
];

interface DemoPerson {
  usageLastName: string | null;
  birthLastName?: string;
  firstNames: string;
  /** YYYY-MM-DD, or YYYY when only the year is known. */
  birth?: string;
  commune?: string;
  noStableHome?: boolean;
  domiciliation?: string;
  phone?: string;
  email?: string;
  languages?: string[];
  needsInterpreter?: boolean;
  contactPreference?: ContactPreference;
  household?: HouseholdSituation;
  dependentChildren?: number;
  nationalityGroup?: NationalityGroup;
  /** Structures (keys of STRUCTURES) that follow the person; the first one created the file. */
  followedBy: string[];
}

/**
 * Fictitious persons accueillies (any resemblance is coincidental), mostly followed by the France
 * Services du Briançonnais (the demo reception agent's structure), a few by the Département only:
 * names with accents, hyphens and apostrophes, approximate birth dates, one "sans domicile stable".
 * Their contacts are loaded by the contacts part of the demo.
 */
export const DEMO_PERSONS: DemoPerson[] = [
  { usageLastName: "N'Diaye", firstNames: 'Jean-Pierre', birth: '1967-03-14', commune: '05023', phone: '0612345678', languages: ['français', 'wolof'], contactPreference: 'phone', household: 'couple_with_children', dependentChildren: 2, followedBy: ['fs-briancon', 'cd05'] },
  { usageLastName: 'Lefèvre', firstNames: 'Zoé', birth: '1998-11-02', commune: '05023', email: 'zoe.lefevre@exemple.fr', contactPreference: 'email', household: 'alone', followedBy: ['fs-briancon'] },
  { usageLastName: 'Dupont', birthLastName: 'Rostand', firstNames: 'Marie-Thérèse', birth: '1952', commune: '05183', phone: '0492211045', contactPreference: 'mail', household: 'alone', followedBy: ['fs-briancon'] },
  { usageLastName: 'Haddad', firstNames: 'Mohamed', birth: '1985', noStableHome: true, domiciliation: 'CCAS de Gap, 5 rue Colonel Roux, 05000 Gap', phone: '0751203344', languages: ['arabe'], needsInterpreter: true, nationalityGroup: 'non_eu', household: 'alone', followedBy: ['fs-briancon', 'cd05'] },
  { usageLastName: 'Martin', firstNames: 'Lucas', birth: '2004-07-21', commune: '05006', phone: '0698765432', contactPreference: 'sms', household: 'alone', followedBy: ['fs-briancon'] },
  { usageLastName: 'Garnier', firstNames: 'Élise', birth: '1990-05-30', commune: '05023', phone: '0633445566', household: 'alone_with_children', dependentChildren: 2, followedBy: ['fs-briancon'] },
  { usageLastName: 'Brunet', firstNames: 'Gérard', birth: '1948', commune: '05093', phone: '0492204512', contactPreference: 'phone', household: 'couple', followedBy: ['fs-briancon'] },
  { usageLastName: 'Diallo', firstNames: 'Fatou', birth: '1979-09-09', commune: '05023', languages: ['français', 'peul', 'wolof'], household: 'alone_with_children', dependentChildren: 3, followedBy: ['fs-briancon'] },
  { usageLastName: "D'Almeida", firstNames: 'Stéphane', birth: '1975-06-01', commune: '05133', email: 'stephane.dalmeida@exemple.fr', nationalityGroup: 'eu', followedBy: ['fs-briancon'] },
  { usageLastName: 'Popescu', firstNames: 'Ioana', birth: '1989', commune: '05085', languages: ['roumain'], needsInterpreter: true, nationalityGroup: 'eu', followedBy: ['fs-briancon'] },
  { usageLastName: 'Bernard', firstNames: 'Océane', birth: '2001-12-25', commune: '05161', phone: '0755667788', household: 'alone', followedBy: ['fs-briancon'] },
  { usageLastName: 'Roux-Chabert', firstNames: 'Anaïs', birth: '1993-02-17', commune: '05046', phone: '0644332211', household: 'alone_with_children', dependentChildren: 1, followedBy: ['cd05'] },
  { usageLastName: 'Lefebvre', firstNames: 'Kévin', birth: '1987', commune: '05061', followedBy: ['cd05'] },
];

export const DEMO_ACCOUNTS: { email: string; firstName: string; lastName: string; role: Role; structure: string | null; label: string }[] = [
  { email: 'accueil@demo.passerelle.fr', firstName: 'Camille', lastName: 'Arnaud', role: 'reception_agent', structure: 'fs-briancon', label: "agent d'accueil — France Services du Briançonnais" },
  { email: 'social@demo.passerelle.fr', firstName: 'Samia', lastName: 'Benali', role: 'social_worker', structure: 'cd05', label: 'travailleuse sociale — Département (action sociale)' },
  { email: 'coordination@demo.passerelle.fr', firstName: 'Jean', lastName: 'Martel', role: 'coordinator', structure: 'cd05', label: 'coordinateur territorial — Département' },
  { email: 'admin@demo.passerelle.fr', firstName: 'Lucie', lastName: 'Faure', role: 'structure_admin', structure: 'fs-briancon', label: 'administratrice — France Services du Briançonnais' },
  { email: 'plateforme@demo.passerelle.fr', firstName: 'Paul', lastName: 'Reynaud', role: 'platform_admin', structure: null, label: 'administrateur de la plateforme' },
];

/** Loads the Hautes-Alpes demo once (never in production: main.ts checks config.demoDataEnabled). */
@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: TerritoryService,
    private readonly passwords: PasswordService,
    private readonly config: AppConfig,
  ) {}

  /** Returns true when the demo was loaded now, false when it was already there. */
  async seedOnce(): Promise<boolean> {
    if (await this.dataSource.getRepository(UserEntity).existsBy({ email: DEMO_ACCOUNTS[0].email })) return false;
    const passwordHash = await this.passwords.hash(this.config.DEMO_PASSWORD);
    await this.dataSource.transaction(async (manager) => {
      const tenant = await this.territory.ensureTenant('05', manager);
      const ids = new Map<string, string>();
      for (const s of STRUCTURES) {
        const structure = await manager.save(
          manager.create(StructureEntity, { tenantId: tenant.id, name: s.name, type: s.type, communeInsee: s.commune, phone: s.phone ?? null }),
        );
        ids.set(s.key, structure.id);
        for (const site of s.sites) {
          await manager.save(
            manager.create(SiteEntity, {
              tenantId: tenant.id,
              structureId: structure.id,
              name: site.name,
              kind: site.kind,
              address: site.address,
              communeInsee: site.commune,
              openingHours: site.openingHours ?? null,
              recurrence: site.recurrence ?? null,
              recurrenceLabel: site.recurrenceLabel ?? null,
            }),
          );
        }
      }
      await seedDemoServices(manager, tenant.id, ids);
      for (const account of DEMO_ACCOUNTS) {
        const user = await manager.save(
          manager.create(UserEntity, { tenantId: tenant.id, email: account.email, firstName: account.firstName, lastName: account.lastName, passwordHash }),
        );
        await manager.save(
          manager.create(MembershipEntity, {
            tenantId: tenant.id,
            userId: user.id,
            role: account.role,
            structureId: account.structure ? (ids.get(account.structure) ?? null) : null,
          }),
        );
      }
      for (const p of DEMO_PERSONS) {
        const [creator, ...others] = p.followedBy.map((key) => ids.get(key) as string);
        const precision: BirthDatePrecision | null = p.birth ? (p.birth.length === 4 ? 'year' : 'day') : null;
        const person = await manager.save(
          manager.create(PersonEntity, {
            tenantId: tenant.id,
            usageLastName: p.usageLastName,
            birthLastName: p.birthLastName ?? null,
            firstNames: p.firstNames,
            birthDate: p.birth ? (precision === 'year' ? `${p.birth}-01-01` : p.birth) : null,
            birthDatePrecision: precision,
            communeInsee: p.commune ?? null,
            noStableHome: p.noStableHome ?? false,
            domiciliation: p.domiciliation ?? null,
            phone: p.phone ?? null,
            email: p.email ?? null,
            languages: p.languages ?? [],
            needsInterpreter: p.needsInterpreter ?? false,
            contactPreference: p.contactPreference ?? null,
            household: p.household ?? null,
            dependentChildren: p.dependentChildren ?? null,
            nationalityGroup: p.nationalityGroup ?? null,
            createdByStructureId: creator,
          }),
        );
        await manager.insert(PersonFollowEntity, [
          { tenantId: tenant.id, personId: person.id, structureId: creator, reason: 'created' },
          ...others.map((structureId) => ({ tenantId: tenant.id, personId: person.id, structureId, reason: 'handoff' as const })),
        ]);
      }
      await seedDemoContacts(manager, tenant.id);
      await seedDemoReferrals(manager, tenant.id);
    });
    this.logger.log('Données de démonstration chargées (Hautes-Alpes)');
    return true;
  }
}
