import type { ContactAnswer, ContactChannel, NeedBouquetCode, RefusalReason, ReferralOutcome, StructureType } from '@passerelle/contracts';
import { Weighted } from './random';

/** What people come for, how often (share of needs expressed at a first desk, in %). */
export const BOUQUETS = Weighted.of<NeedBouquetCode>([
  [5, 20],
  [4, 15],
  [14, 10],
  [11, 10],
  [10, 9],
  [8, 8],
  [1, 7],
  [17, 5],
  [3, 3],
  [15, 3],
  [6, 2],
  [13, 2],
  [7, 1.5],
  [9, 1.5],
  [18, 1.5],
  [12, 1],
  [2, 0.5],
  [16, 0.5],
]);
/** The young (16–25) come more for work, training, mobility; the old for health, home help, pensions. */
export const YOUNG_BOUQUETS = Weighted.of<NeedBouquetCode>([
  [11, 25],
  [13, 10],
  [15, 8],
  [14, 12],
  [5, 12],
  [4, 10],
  [8, 6],
  [10, 6],
  [1, 6],
  [18, 3],
  [6, 2],
]);
export const SENIOR_BOUQUETS = Weighted.of<NeedBouquetCode>([
  [5, 25],
  [8, 15],
  [9, 14],
  [4, 14],
  [17, 10],
  [10, 8],
  [1, 6],
  [14, 5],
  [3, 3],
]);

export const SUB_NEEDS: Record<NeedBouquetCode, string[]> = {
  1: ['Horaires et coordonnées d’un service', 'Orientation vers un partenaire', 'Accès aux droits'],
  2: ['Violences intrafamiliales', 'Dépôt de plainte', 'Aide aux victimes'],
  3: ['Litige avec un bailleur', 'Surendettement', 'Aide juridictionnelle', 'Tutelle, curatelle'],
  4: ['Carte d’identité, passeport', 'Titre de séjour', 'Déclaration de revenus', 'Carte grise', 'Acte d’état civil'],
  5: ['RSA', 'Prime d’activité', 'Aide au logement (APL)', 'Allocations familiales', 'Complémentaire santé solidaire', 'Retraite', 'AAH'],
  6: ['Mode de garde', 'Consultation PMI', 'Assistante maternelle'],
  7: ['Inscription scolaire', 'Cantine, périscolaire', 'Bourse scolaire'],
  8: ['Médecin traitant', 'Carte Vitale', 'Soins dentaires', 'Santé mentale', 'Addiction'],
  9: ['Aide ménagère', 'Portage de repas', 'Téléassistance'],
  10: ['Aide alimentaire', 'Aide financière d’urgence', 'Accompagnement social', 'Budget'],
  11: ['Inscription France Travail', 'CV et lettre de motivation', 'Recherche d’emploi', 'Insertion par l’activité économique'],
  12: ['Création de micro-entreprise', 'Déclaration URSSAF'],
  13: ['Formation qualifiante', 'Apprentissage', 'Illettrisme, français langue étrangère'],
  14: ['Demande de logement social', 'Hébergement d’urgence', 'Impayés de loyer', 'Expulsion locative', 'Logement indigne'],
  15: ['Aide au permis de conduire', 'Transport à la demande', 'Carte de transport solidaire'],
  16: ['Activités pour les enfants', 'Inscription en club', 'Vacances'],
  17: ['Facture d’énergie impayée', 'Chèque énergie', 'Facture d’eau', 'Démarches La Poste'],
  18: ['Ouverture de compte bancaire', 'Accès à internet', 'Assurance'],
};

/** At a first desk: ~80 % answered at once (information, procedure done, appointment made). */
export const DESK_ANSWERS = Weighted.of<ContactAnswer>([
  ['information', 44],
  ['procedure_done', 22],
  ['appointment', 14],
  ['referral_needed', 12],
  ['support_started', 5],
  ['other', 3],
]);
/** At a partner that took the person in charge: follow-up. */
export const FOLLOW_UP_ANSWERS = Weighted.of<ContactAnswer>([
  ['support_started', 32],
  ['information', 28],
  ['procedure_done', 22],
  ['appointment', 12],
  ['referral_needed', 4],
  ['other', 2],
]);
/** The sender calling the person back after a failed orientation: another path is often found. */
export const CALLBACK_ANSWERS = Weighted.of<ContactAnswer>([
  ['information', 40],
  ['appointment', 20],
  ['referral_needed', 35],
  ['other', 5],
]);
export const ANONYMOUS_ANSWERS = Weighted.of<ContactAnswer>([
  ['information', 78],
  ['procedure_done', 12],
  ['appointment', 6],
  ['other', 4],
]);

/** Chance that a need of a contact with this answer opens a request (when none is open for it). */
export const OPENS_REQUEST: Record<ContactAnswer, number> = {
  information: 0.06,
  procedure_done: 0.25,
  appointment: 0.45,
  referral_needed: 0.85,
  support_started: 0.8,
  other: 0.2,
};
/** Median days before a request without orientation is closed, by the answer of the contact that opened it. */
export const REQUEST_MEDIAN_DAYS: Record<ContactAnswer, number> = {
  information: 7,
  procedure_done: 10,
  appointment: 21,
  referral_needed: 30,
  support_started: 30,
  other: 20,
};
export const RESOLVED_REASONS = ['Droit ouvert', 'Démarche aboutie', 'Rendez-vous honoré', 'Solution trouvée avec la personne'];
export const NO_FOLLOW_UP_REASONS = [
  'La personne n’a pas donné suite',
  'Personne injoignable',
  'Déménagement hors du département',
  'Demande réglée par ailleurs',
];
export const ANONYMIZED_REASON = 'Anonymisé (durée de conservation échue)';

export const CHANNELS = Weighted.of<ContactChannel>([
  ['in_person', 56],
  ['phone', 27],
  ['email', 7],
  ['video', 2],
  ['itinerant', 5],
  ['home_visit', 2],
  ['mail', 1],
]);
export const MEDIAN_MINUTES: Record<ContactChannel, number> = {
  in_person: 20,
  phone: 8,
  email: 10,
  video: 25,
  itinerant: 20,
  home_visit: 60,
  mail: 10,
};

const SUMMARY: Record<ContactAnswer, string> = {
  information: 'Information donnée',
  procedure_done: 'Démarche faite avec la personne',
  appointment: 'Rendez-vous pris',
  referral_needed: 'Orientation à prévoir',
  support_started: 'Accompagnement engagé',
  other: 'Échange',
};
export const summaryOf = (answer: ContactAnswer, need: string) => `${SUMMARY[answer]} : ${need.charAt(0).toLowerCase()}${need.slice(1)}.`;
export const PRIVATE_NOTES = ['À revoir dans quinze jours.', 'Situation fragile : rappeler la personne.', 'Hébergée chez un proche provisoirement.'];

/** Who handles what: the partner types an orientation for a bouquet goes to, with their weights. */
export const PARTNERS: Record<NeedBouquetCode, [StructureType, number][]> = {
  1: [
    ['france_services', 3],
    ['mairie', 2],
    ['ccas', 2],
  ],
  2: [
    ['other', 3],
    ['departmental_social_service', 3],
    ['association', 1],
  ],
  3: [
    ['other', 5],
    ['association', 1],
  ],
  4: [
    ['france_services', 4],
    ['mairie', 3],
  ],
  5: [
    ['caf', 6],
    ['cpam', 2],
    ['departmental_social_service', 2],
  ],
  6: [
    ['departmental_social_service', 5],
    ['caf', 2],
    ['ccas', 1],
  ],
  7: [
    ['mairie', 3],
    ['ccas', 2],
  ],
  8: [
    ['cpam', 6],
    ['association', 1],
    ['departmental_social_service', 2],
  ],
  9: [
    ['ccas', 4],
    ['departmental_social_service', 2],
    ['association', 1],
  ],
  10: [
    ['departmental_social_service', 6],
    ['ccas', 3],
    ['association', 2],
  ],
  11: [
    ['france_travail', 7],
    ['mission_locale', 3],
  ],
  12: [
    ['other', 2],
    ['france_travail', 3],
  ],
  13: [
    ['mission_locale', 3],
    ['france_travail', 3],
  ],
  14: [
    ['departmental_social_service', 3],
    ['ccas', 3],
    ['association', 1],
    ['other', 2],
    ['caf', 1],
  ],
  15: [
    ['mission_locale', 2],
    ['association', 2],
    ['france_services', 1],
  ],
  16: [
    ['mairie', 2],
    ['association', 3],
  ],
  17: [
    ['ccas', 3],
    ['other', 3],
    ['association', 2],
  ],
  18: [
    ['association', 3],
    ['france_services', 2],
  ],
};
/** Types whose taking in charge is an accompaniment (a référent de parcours may be designated there). */
export const ACCOMPANYING_TYPES: readonly StructureType[] = ['departmental_social_service', 'ccas', 'mission_locale', 'france_travail', 'association'];

export const REFUSALS = Weighted.of<RefusalReason>([
  ['not_eligible', 25],
  ['not_our_service', 20],
  ['no_capacity', 15],
  ['person_declined', 10],
  ['insufficient_information', 9],
  ['out_of_zone', 8],
  ['already_supported', 8],
  ['other', 5],
]);
/** The link of the accessibility chain that broke, by refusal reason. */
export const REFUSAL_LINKS: Record<RefusalReason, Weighted<number>> = {
  not_eligible: Weighted.of([
    [8, 8],
    [9, 1],
    [1, 1],
  ]),
  not_our_service: Weighted.of([
    [1, 5],
    [11, 5],
  ]),
  no_capacity: Weighted.of([
    [3, 8],
    [4, 1],
  ]),
  person_declined: Weighted.of([
    [10, 4],
    [9, 2],
    [5, 2],
    [6, 2],
  ]),
  insufficient_information: Weighted.of([
    [1, 5],
    [2, 3],
    [11, 2],
  ]),
  out_of_zone: Weighted.of([
    [5, 6],
    [6, 4],
  ]),
  already_supported: Weighted.of([[11, 1]]),
  other: Weighted.of([
    [7, 2],
    [10, 2],
    [4, 2],
    [2, 2],
  ]),
};
export const OUTCOMES = Weighted.of<ReferralOutcome>([
  ['done', 72],
  ['not_done', 9],
  ['unreachable', 8],
  ['abandoned', 7],
  ['other', 4],
]);
/** When an orientation taken in charge fails: where access broke. */
export const FAILURE_LINKS = Weighted.of([
  [3, 5],
  [4, 3],
  [5, 3],
  [6, 4],
  [9, 3],
  [10, 4],
  [2, 3],
  [7, 1],
  [11, 2],
]);
