import type { MobilizationMode, NeedBouquetCode, ReceptionMode, ServiceCost } from '@passerelle/contracts';
import type { EntityManager } from 'typeorm';
import { insertService, replaceServiceSites, type ServiceColumns } from './directory.repository';

interface DemoService {
  /** Key of the demo structure (DemoSeeder's STRUCTURES). */
  structure: string;
  name: string;
  description: string;
  bouquets: NeedBouquetCode[];
  thematiques?: string[];
  publics?: string[];
  accessConditions?: string;
  cost: ServiceCost;
  costDetails?: string;
  receptionModes: ReceptionMode[];
  mobilizationModes: MobilizationMode[];
  mobilizationUrl?: string;
  documentsToBring?: string[];
  openingHours?: string;
  /** INSEE codes; absent = the whole département. */
  zoneCommunes?: string[];
  /** Names of the structure's sites where it is delivered. */
  sites: string[];
  contactPhone?: string;
  contactEmail?: string;
  website?: string;
  /** Months since the last verification (a stale demo service for the admin home). */
  verifiedMonthsAgo?: number;
}

const IDENTITY = 'Pièce d’identité ou titre de séjour';
const RESOURCES = 'Justificatifs de ressources des trois derniers mois';
const TAX = 'Dernier avis d’imposition';
const ADDRESS = 'Justificatif de domicile (ou attestation de domiciliation)';

/** Hautes-Alpes: the partners' offer, as a reception agent would look it up (details fictitious). */
export const DEMO_SERVICES: DemoService[] = [
  {
    structure: 'cd05',
    name: 'Accompagnement social global',
    description:
      'Un travailleur social du Département écoute la personne, fait le point sur toute sa situation (ressources, logement, santé, famille) et l’accompagne dans la durée.',
    bouquets: [10, 5],
    thematiques: ['accompagnement-social-et-professionnel-personnalise', 'gestion-financiere--accompagnement-aux-personnes-en-difficultes-financieres'],
    publics: ['familles', 'seniors', 'personnes-en-situation-durgence'],
    cost: 'free',
    receptionModes: ['in_person', 'remote'],
    mobilizationModes: ['phone', 'show_up'],
    documentsToBring: [IDENTITY, RESOURCES],
    openingHours: 'Mo-Fr 08:30-12:00,13:30-17:00',
    sites: ['Centre médico-social de Gap', 'Centre médico-social de Briançon'],
    contactPhone: '0492000000',
  },
  {
    structure: 'cd05',
    name: 'Fonds de solidarité pour le logement (FSL)',
    description:
      'Aides financières pour accéder à un logement (dépôt de garantie, premier loyer) ou s’y maintenir (impayés de loyer, d’énergie ou d’eau). Dossier instruit avec un travailleur social.',
    bouquets: [14, 17],
    thematiques: ['logement-hebergement--etre-accompagne-en cas-de-difficultes-financieres', 'logement-hebergement--etre-accompagne-pour-se-loger'],
    publics: ['familles', 'jeunes', 'beneficiaires-des-minimas-sociaux'],
    accessConditions: 'Ressources sous plafond ; logement situé dans les Hautes-Alpes.',
    cost: 'free',
    receptionModes: ['in_person'],
    mobilizationModes: ['phone'],
    documentsToBring: [IDENTITY, RESOURCES, TAX, 'Bail ou promesse de location', 'Dernières quittances ou factures impayées'],
    openingHours: 'Mo-Fr 08:30-12:00,13:30-17:00',
    sites: ['Centre médico-social de Gap', 'Centre médico-social de Briançon'],
    contactPhone: '0492000000',
  },
  {
    structure: 'ccas-gap',
    name: 'Aide alimentaire d’urgence',
    description: 'Colis alimentaires et bons d’achat pour les personnes sans ressources suffisantes, après un entretien avec un agent du CCAS.',
    bouquets: [10],
    thematiques: ['gestion-financiere--obtenir-une-aide-alimentaire', 'equipement-et-alimentation--alimentation'],
    publics: ['familles', 'personnes-en-situation-durgence'],
    accessConditions: 'Habiter Gap.',
    cost: 'free',
    receptionModes: ['in_person'],
    mobilizationModes: ['show_up'],
    documentsToBring: [IDENTITY, ADDRESS, RESOURCES],
    openingHours: 'Mo-Fr 08:30-12:00',
    zoneCommunes: ['05061'],
    sites: ['CCAS de Gap — accueil'],
  },
  {
    structure: 'ccas-gap',
    name: 'Domiciliation administrative',
    description: 'Une adresse pour recevoir son courrier et faire valoir ses droits quand on n’a pas de domicile stable.',
    bouquets: [4, 14],
    thematiques: ['acces-aux-droits-et-citoyennete--accompagnement-dans-les-demarches-administratives', 'logement-hebergement--mal-loges-sans-logis'],
    publics: ['personnes-en-situation-durgence'],
    accessConditions: 'Lien avec la commune de Gap (y séjourner, y travailler, y être suivi).',
    cost: 'free',
    receptionModes: ['in_person'],
    mobilizationModes: ['show_up'],
    documentsToBring: [IDENTITY],
    openingHours: 'Mo-Fr 08:30-12:00,13:30-17:00',
    zoneCommunes: ['05061'],
    sites: ['CCAS de Gap — accueil'],
  },
  {
    structure: 'caf',
    name: 'Ouverture de droits aux prestations familiales et sociales',
    description: 'Étude des droits (RSA, prime d’activité, aides au logement, allocations familiales), aide à la demande et suivi du dossier.',
    bouquets: [5, 14],
    thematiques: ['acces-aux-droits-et-citoyennete--connaitre-ses-droits', 'gestion-financiere--beneficier-daides-financieres'],
    publics: ['familles', 'beneficiaires-des-minimas-sociaux', 'jeunes'],
    cost: 'free',
    receptionModes: ['in_person', 'remote'],
    mobilizationModes: ['online_form', 'phone', 'show_up'],
    mobilizationUrl: 'https://www.caf.fr/allocataires/mes-services-en-ligne',
    documentsToBring: [IDENTITY, 'Relevé d’identité bancaire (RIB)', TAX],
    openingHours: 'Mo-Fr 08:30-12:30',
    sites: ['CAF — accueil de Gap'],
    contactPhone: '0969322211',
    website: 'https://www.caf.fr',
  },
  {
    structure: 'cpam',
    name: 'Complémentaire santé solidaire (C2S)',
    description: 'Aide à la demande de la complémentaire santé solidaire, gratuite ou à moins de 1 € par jour selon les ressources.',
    bouquets: [8, 5],
    thematiques: ['sante--obtenir-la-prise-en-charge-de-frais-medicaux', 'sante--acces-aux-soins'],
    publics: ['beneficiaires-des-minimas-sociaux', 'familles', 'seniors'],
    accessConditions: 'Ressources des 12 derniers mois sous plafond.',
    cost: 'free_under_conditions',
    costDetails: 'Gratuite, ou participation de 8 à 30 € par mois selon l’âge et les ressources.',
    receptionModes: ['in_person', 'remote'],
    mobilizationModes: ['online_form', 'show_up'],
    mobilizationUrl: 'https://www.ameli.fr/assure/droits-demarches/difficultes-acces-droits-soins/complementaire-sante',
    documentsToBring: [IDENTITY, 'Carte Vitale', 'Justificatifs de ressources des 12 derniers mois'],
    openingHours: 'Mo-Fr 08:30-12:30',
    sites: ['CPAM — accueil de Gap'],
    website: 'https://www.ameli.fr',
  },
  {
    structure: 'ft-gap',
    name: 'Inscription et accompagnement des demandeurs d’emploi',
    description: 'Inscription, indemnisation, conseil en recherche d’emploi et accès aux formations.',
    bouquets: [11, 13],
    thematiques: ['trouver-un-emploi', 'preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation', 'se-former--trouver-sa-formation'],
    publics: ['demandeurs-emploi'],
    cost: 'free',
    receptionModes: ['in_person', 'remote'],
    mobilizationModes: ['online_form', 'phone'],
    mobilizationUrl: 'https://www.francetravail.fr/candidat/mes-droits-aux-aides-et-allocati/sinscrire.html',
    documentsToBring: [IDENTITY, 'Carte Vitale', 'Curriculum vitae', 'Relevé d’identité bancaire (RIB)'],
    openingHours: 'Mo-We 08:30-16:30; Th 08:30-12:30; Fr 08:30-15:30',
    sites: ['Agence France Travail de Gap'],
    contactPhone: '0972723949',
  },
  {
    structure: 'ml',
    name: 'Accompagnement des jeunes vers l’emploi',
    description: 'Un conseiller suit les jeunes de 16 à 25 ans sortis de l’école : projet professionnel, stages, contrat d’engagement jeune, aides à la mobilité.',
    bouquets: [11, 13, 15],
    thematiques: ['accompagnement-social-et-professionnel-personnalise--definition-du-projet-professionnel', 'trouver-un-emploi', 'mobilite'],
    publics: ['jeunes'],
    accessConditions: 'Avoir entre 16 et 25 ans et ne plus être scolarisé.',
    cost: 'free',
    receptionModes: ['in_person'],
    mobilizationModes: ['phone', 'show_up'],
    documentsToBring: [IDENTITY, 'Carte Vitale', 'Curriculum vitae (si vous en avez un)'],
    openingHours: 'Mo-Fr 09:00-12:00,14:00-17:30',
    sites: ['Mission locale — Gap', 'Mission locale — antenne d’Embrun'],
  },
  {
    structure: 'ml',
    name: 'Logement des jeunes',
    description: 'Information et aide à l’accès au logement des jeunes : recherche, garantie Visale, aides au premier loyer, foyers de jeunes travailleurs.',
    bouquets: [14],
    thematiques: ['logement-hebergement--etre-accompagne-pour-se-loger'],
    publics: ['jeunes'],
    accessConditions: 'Avoir entre 16 et 25 ans.',
    cost: 'free',
    receptionModes: ['in_person'],
    mobilizationModes: ['show_up', 'phone'],
    documentsToBring: [IDENTITY, RESOURCES],
    openingHours: 'We 09:00-12:00,14:00-17:00',
    sites: ['Mission locale — antenne d’Embrun'],
  },
  {
    structure: 'secours',
    name: 'Aide alimentaire et vestimentaire',
    description: 'Distribution de denrées et de vêtements, accueil et écoute par des bénévoles.',
    bouquets: [10],
    thematiques: ['equipement-et-alimentation--alimentation', 'equipement-et-alimentation--habillement'],
    publics: ['familles', 'personnes-en-situation-durgence'],
    cost: 'free_under_conditions',
    costDetails: 'Participation symbolique demandée selon les ressources.',
    receptionModes: ['in_person'],
    mobilizationModes: ['show_up'],
    documentsToBring: [IDENTITY, RESOURCES],
    openingHours: 'Tu,Th 14:00-17:00',
    sites: ['Secours populaire — Gap'],
  },
  {
    structure: 'epicerie',
    name: 'Épicerie solidaire',
    description: 'Produits alimentaires et d’hygiène à petit prix, sur orientation d’un travailleur social.',
    bouquets: [10],
    thematiques: ['equipement-et-alimentation--alimentation'],
    publics: ['familles'],
    accessConditions: 'Sur orientation d’un travailleur social, pour trois mois renouvelables.',
    cost: 'paid',
    costDetails: '10 à 30 % du prix habituel.',
    receptionModes: ['in_person'],
    mobilizationModes: ['other'],
    documentsToBring: ['Fiche d’orientation du travailleur social'],
    openingHours: 'We,Fr 09:00-12:00',
    zoneCommunes: ['05070', '05073', '05173', '05103', '05053'],
    sites: ['Épicerie solidaire — Laragne'],
  },
  {
    structure: 'mairie-embrun',
    name: 'Demande de logement social',
    description: 'Enregistrement de la demande de logement social, information sur les logements de la commune et les bailleurs.',
    bouquets: [14],
    thematiques: ['logement-hebergement--etre-accompagne-pour-se-loger', 'logement-hebergement--connaissance-de-ses-droits-et-interlocuteurs'],
    cost: 'free',
    receptionModes: ['in_person'],
    mobilizationModes: ['show_up', 'phone'],
    documentsToBring: [IDENTITY, TAX, 'Justificatif de situation familiale (livret de famille)'],
    openingHours: 'Mo-Fr 08:30-12:00,13:30-17:00',
    zoneCommunes: ['05046', '05012', '05045', '05128', '05036'],
    sites: ['Hôtel de ville d’Embrun'],
  },
  {
    structure: 'mairie-embrun',
    name: 'État civil et titres d’identité',
    description: 'Actes d’état civil, cartes d’identité et passeports (sur rendez-vous).',
    bouquets: [4],
    thematiques: ['acces-aux-droits-et-citoyennete--accompagnement-dans-les-demarches-administratives'],
    cost: 'free',
    receptionModes: ['in_person'],
    mobilizationModes: ['phone', 'online_form'],
    mobilizationUrl: 'https://rendezvouspasseport.ants.gouv.fr',
    documentsToBring: [IDENTITY, 'Photo d’identité de moins de 6 mois', ADDRESS],
    openingHours: 'Mo-Fr 08:30-12:00,13:30-17:00',
    sites: ['Hôtel de ville d’Embrun'],
  },
  {
    structure: 'fs-briancon',
    name: 'Accompagnement aux démarches administratives en ligne',
    description: 'Aide à l’usage des services publics en ligne (impôts, CAF, ANTS, retraite…), avec un agent France Services, au guichet ou dans le bus itinérant.',
    bouquets: [4, 1],
    thematiques: ['numerique--realiser-des-demarches-administratives-avec-un-accompagnement'],
    cost: 'free',
    receptionModes: ['in_person'],
    mobilizationModes: ['show_up', 'phone'],
    documentsToBring: ['Identifiants de vos comptes en ligne si vous en avez', IDENTITY],
    openingHours: 'Mo-Fr 09:00-12:00; Tu,Th 13:30-17:00',
    sites: ['France Services Briançon', 'France Services itinérante du Queyras'],
  },
  {
    structure: 'fs-briancon',
    name: 'Point d’accès au droit',
    description: 'Permanence d’information juridique gratuite (logement, famille, travail, dettes) tenue par un juriste.',
    bouquets: [3],
    thematiques: ['acces-aux-droits-et-citoyennete--accompagnement-juridique'],
    cost: 'free',
    receptionModes: ['in_person'],
    mobilizationModes: ['phone'],
    documentsToBring: ['Documents relatifs à votre question (courriers, contrats, jugements)'],
    openingHours: 'Th 14:00-17:00',
    sites: ['France Services Briançon'],
    verifiedMonthsAgo: 8,
  },
];

/** The stored columns of a demo service. */
export function demoServiceColumns(s: DemoService): ServiceColumns {
  return {
    name: s.name,
    description: s.description,
    bouquets: [...s.bouquets].sort((a, b) => a - b),
    thematiques: s.thematiques ?? [],
    publics: s.publics ?? [],
    accessConditions: s.accessConditions ?? null,
    cost: s.cost,
    costDetails: s.costDetails ?? null,
    receptionModes: s.receptionModes,
    mobilizationModes: s.mobilizationModes,
    mobilizationUrl: s.mobilizationUrl ?? null,
    documentsToBring: s.documentsToBring ?? [],
    openingHours: s.openingHours ?? null,
    zoneKind: s.zoneCommunes ? 'communes' : 'departement',
    zoneCommunes: s.zoneCommunes ? [...s.zoneCommunes].sort() : [],
    contactPhone: s.contactPhone ?? null,
    contactEmail: s.contactEmail ?? null,
    website: s.website ?? null,
    active: true,
  };
}

/** Loads the demo directory for the demo structures (`ids`: structure key → id). */
export async function seedDemoServices(manager: EntityManager, tenantId: string, ids: ReadonlyMap<string, string>): Promise<void> {
  for (const s of DEMO_SERVICES) {
    const structureId = ids.get(s.structure);
    if (!structureId) throw new Error(`Demo structure ${s.structure} missing`);
    const sites: { id: string; name: string }[] = await manager.query(`SELECT id, name FROM site WHERE structure_id = $1 AND name = ANY ($2::text[])`, [
      structureId,
      s.sites,
    ]);
    if (sites.length !== s.sites.length) throw new Error(`Demo sites missing for ${s.name}`);
    const verifiedAt = s.verifiedMonthsAgo ? new Date(Date.now() - s.verifiedMonthsAgo * 31 * 24 * 3600 * 1000) : undefined;
    const id = await insertService(manager, { tenantId, structureId, verifiedBy: null, verifiedAt, ...demoServiceColumns(s) });
    await replaceServiceSites(
      manager,
      tenantId,
      id,
      structureId,
      sites.map((site) => site.id),
    );
  }
}
