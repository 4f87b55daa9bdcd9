import {
  CONSENT_NOTICE_VERSION,
  type AccessLogEntry,
  type Consent,
  type Contact,
  type Person,
  type PersonDocument,
  type PersonRequest,
  type Referent,
  type Referral,
  type SubjectAccessExport,
  type SubjectAccessHandoff,
} from '@passerelle/contracts';
import { extractPdfText } from './pdf-text.testing';
import { buildSubjectAccessPdf, formatBirth, formatSize, identityFields, needLabel, referentPeriod, referralState } from './subject-access-pdf';

// Each text extraction starts a Node process with pdf.js (about a second, more on a busy machine).
jest.setTimeout(30_000);

const PERSON_ID = '22222222-2222-4222-8222-222222222222';
const OWN = 'France Services du Briançonnais';
const OTHER = 'Département — action sociale de Gap';
const OWN_ID = '44444444-4444-4444-8444-444444444444';
const OTHER_ID = '33333333-3333-4333-8333-333333333333';
const THIRD = 'CCAS de Gap';

const person = (overrides: Partial<Person> = {}): Person => ({
  id: PERSON_ID,
  usageLastName: 'Durand',
  birthLastName: 'Martin',
  firstNames: 'Camille',
  birthDate: '1984-07-01',
  birthDatePrecision: 'month',
  communeInsee: '05023',
  communeName: 'Briançon',
  noStableHome: true,
  domiciliation: 'CCAS de Briançon, 1 rue Centrale',
  phone: '06 12 34 56 78',
  email: 'camille.durand@example.org',
  languages: ['français', 'arabe'],
  needsInterpreter: false,
  contactPreference: 'sms',
  household: 'alone_with_children',
  dependentChildren: 2,
  nationalityGroup: 'non_eu',
  createdAt: '2026-03-02T09:00:00.000Z',
  updatedAt: '2026-10-20T09:00:00.000Z',
  access: 'followed_by_my_structure',
  categories: ['identity_contact', 'family_housing', 'resources_rights', 'needs_requests', 'interview_summaries', 'documents'],
  ...overrides,
});

const contact = (overrides: Partial<Contact> = {}): Contact => ({
  id: '11111111-1111-4111-8111-111111111111',
  personId: PERSON_ID,
  structureId: '44444444-4444-4444-8444-444444444444',
  structureName: OWN,
  siteId: null,
  agent: { id: '55555555-5555-4555-8555-555555555555', name: 'Dominique Test' },
  channel: 'in_person',
  occurredAt: '2026-10-05T08:30:00.000Z',
  durationMinutes: 25,
  needs: [
    { bouquet: 14, subNeed: 'Expulsion', detail: 'audience le 12 novembre' },
    { bouquet: 5, subNeed: null, detail: null },
  ],
  answer: 'referral_needed',
  summary: 'Menace d’expulsion, dossier FSL à monter avec la CAF.',
  privateNote: 'Semble épuisée, rappeler vendredi.',
  requestIds: [],
  ...overrides,
});

const request = (overrides: Partial<PersonRequest> = {}): PersonRequest => ({
  id: '66666666-6666-4666-8666-666666666666',
  personId: PERSON_ID,
  structureId: '44444444-4444-4444-8444-444444444444',
  structureName: OWN,
  bouquet: 14,
  subNeed: 'Expulsion',
  description: 'Constituer le dossier du fonds de solidarité logement.',
  status: 'in_progress',
  closedReason: null,
  openedAt: '2026-10-05T08:30:00.000Z',
  closedAt: null,
  contactIds: [],
  ...overrides,
});

const document = (overrides: Partial<PersonDocument> = {}): PersonDocument => ({
  id: '77777777-7777-4777-8777-777777777777',
  personId: PERSON_ID,
  structureId: '44444444-4444-4444-8444-444444444444',
  structureName: OWN,
  uploadedBy: 'Dominique Test',
  kind: 'housing',
  category: 'family_housing',
  title: 'Commandement de quitter les lieux',
  mediaType: 'application/pdf',
  sizeBytes: 250_880,
  sha256: 'a'.repeat(64),
  createdAt: '2026-10-06T10:00:00.000Z',
  ...overrides,
});

const consent = (overrides: Partial<Consent> = {}): Consent => ({
  id: '88888888-8888-4888-8888-888888888888',
  personId: PERSON_ID,
  purpose: 'coordinated_follow_up',
  recipient: { kind: 'structure', structureId: '33333333-3333-4333-8333-333333333333', structureName: OTHER },
  categories: ['identity_contact', 'needs_requests', 'interview_summaries'],
  collectionMethod: 'signed_paper',
  noticeVersion: CONSENT_NOTICE_VERSION,
  collectedAt: '2026-10-05T08:30:00.000Z',
  collectedBy: { userName: 'Dominique Test', structureId: '44444444-4444-4444-8444-444444444444', structureName: OWN },
  validUntil: null,
  withdrawnAt: null,
  withdrawnBy: null,
  active: true,
  ...overrides,
});

const logEntry = (overrides: Partial<AccessLogEntry> = {}): AccessLogEntry => ({
  at: '2026-10-21T12:34:00.000Z',
  action: 'person.read',
  actionLabel: 'Consultation du dossier',
  userName: 'Léa Roux',
  structureName: OTHER,
  reason: 'consent',
  outcome: 'success',
  flagged: false,
  ...overrides,
});

const referral = (overrides: Partial<Referral> = {}): Referral => ({
  id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
  personId: PERSON_ID,
  personName: 'Camille DURAND (MARTIN)',
  from: { id: OWN_ID, name: OWN, type: 'france_services', userName: 'Dominique Test' },
  to: { id: OTHER_ID, name: OTHER, type: 'departmental_social_service' },
  service: { id: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', name: 'Fonds de solidarité logement' },
  fromContactId: null,
  requestId: null,
  parentReferralId: null,
  bouquet: 14,
  message: 'Dossier FSL à instruire, la personne préfère être appelée le matin.',
  categories: ['identity_contact', 'needs_requests'],
  status: 'refused',
  sentAt: '2026-10-05T09:00:00.000Z',
  receivedAt: '2026-10-05T14:00:00.000Z',
  answeredAt: '2026-10-06T08:00:00.000Z',
  refusalReason: 'no_capacity',
  redirectedTo: null,
  redirectReferralId: null,
  inChargeKind: null,
  inChargeAt: null,
  closedAt: null,
  outcome: null,
  brokenLink: 3,
  statusComment: 'Liste d’attente de trois mois',
  cancelledAt: null,
  remindedAt: null,
  expiredAt: null,
  events: [],
  allowedTransitions: [],
  ...overrides,
});

const referent = (overrides: Partial<Referent> = {}): Referent => ({
  id: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc',
  personId: PERSON_ID,
  user: { id: '55555555-5555-4555-8555-555555555557', name: 'Hugo Blanc' },
  structure: { id: OWN_ID, name: OWN, phone: '04 92 00 00 00', email: 'contact@fs-brianconnais.test' },
  criteria: ['person_preference', 'relevance'],
  chosenWithPerson: true,
  criteriaNote: 'Connaît déjà la famille',
  designatedBy: 'Dominique Test',
  startedAt: '2026-06-15T09:00:00.000Z',
  endedAt: null,
  endedReason: null,
  ...overrides,
});

const handoff = (overrides: Partial<SubjectAccessHandoff> = {}): SubjectAccessHandoff => ({
  id: 'dddddddd-dddd-4ddd-8ddd-dddddddddddd',
  from: { structureId: OTHER_ID, structureName: OTHER, userName: 'Léa Roux' },
  to: { structureId: OWN_ID, structureName: OWN, userName: 'Hugo Blanc' },
  status: 'accepted',
  proposedAt: '2026-06-14T09:00:00.000Z',
  answeredAt: '2026-06-15T09:00:00.000Z',
  ownStructure: true,
  note: 'Suivie pour le logement depuis mars, rendez-vous CAF à prévoir.',
  declineReason: null,
  ...overrides,
});

/** Another structure’s handoff: only that it took place (no names, no note). */
const OTHERS_HANDOFF = handoff({
  id: 'dddddddd-dddd-4ddd-8ddd-ddddddddddde',
  from: { structureId: OTHER_ID, structureName: OTHER, userName: null },
  to: { structureId: '12121212-1212-4212-8212-121212121212', structureName: THIRD, userName: null },
  status: 'declined',
  proposedAt: '2026-05-02T09:00:00.000Z',
  answeredAt: '2026-05-03T09:00:00.000Z',
  ownStructure: false,
  note: undefined,
  declineReason: undefined,
});

const JUSTIFICATION = 'Signalement de violences conjugales par la voisine';

const empty: SubjectAccessExport = {
  format: 'passerelle.subject-access/1',
  generatedAt: '2026-11-03T13:05:00.000Z',
  generatedBy: { structureName: OWN, userName: 'Alex Admin' },
  person: person(),
  followedBy: [{ structureName: OWN, since: '2026-03-02T09:00:00.000Z' }],
  contacts: [],
  requests: [],
  documents: [],
  consents: [],
  exceptionalAccesses: [],
  accessLog: [],
  referrals: [],
  referents: [],
  handoffs: [],
};

const full: SubjectAccessExport = {
  ...empty,
  followedBy: [...empty.followedBy, { structureName: OTHER, since: '2026-06-15T09:00:00.000Z' }],
  contacts: [
    contact(),
    // Another structure's contact, shared without its summary (no consent for summaries): never its note.
    contact({
      id: '99999999-9999-4999-8999-999999999999',
      structureName: OTHER,
      agent: { id: '55555555-5555-4555-8555-555555555556', name: 'Léa Roux' },
      channel: 'phone',
      occurredAt: '2026-09-01T07:00:00.000Z',
      durationMinutes: null,
      needs: [{ bouquet: 11, subNeed: null, detail: null }],
      answer: 'information',
      summary: undefined,
      privateNote: undefined,
    }),
  ],
  requests: [
    request(),
    request({
      id: '66666666-6666-4666-8666-666666666667',
      bouquet: 11,
      subNeed: null,
      description: null,
      status: 'no_follow_up',
      closedReason: 'La personne a retrouvé un emploi',
      openedAt: '2026-09-01T07:00:00.000Z',
      closedAt: '2026-09-15T10:00:00.000Z',
    }),
  ],
  documents: [document()],
  referrals: [
    referral(),
    // Received from another structure, taken in charge then closed as not done.
    referral({
      id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaab',
      from: { id: OTHER_ID, name: OTHER, type: 'departmental_social_service', userName: 'Léa Roux' },
      to: { id: OWN_ID, name: OWN, type: 'france_services' },
      service: null,
      bouquet: 4,
      message: null,
      status: 'closed',
      sentAt: '2026-09-01T07:00:00.000Z',
      answeredAt: '2026-09-02T07:00:00.000Z',
      refusalReason: null,
      inChargeKind: 'appointment',
      inChargeAt: '2026-09-10T08:00:00.000Z',
      closedAt: '2026-09-20T08:00:00.000Z',
      outcome: 'not_done',
      brokenLink: 6,
      statusComment: null,
    }),
  ],
  referents: [
    referent(),
    // A past référent of another structure: its criteria note is not the exporter's to give.
    referent({
      id: 'cccccccc-cccc-4ccc-8ccc-cccccccccccd',
      user: { id: '55555555-5555-4555-8555-555555555556', name: 'Léa Roux' },
      structure: { id: OTHER_ID, name: OTHER, phone: null, email: null },
      criteria: ['feasibility'],
      chosenWithPerson: false,
      criteriaNote: undefined,
      designatedBy: null,
      startedAt: '2026-03-02T09:00:00.000Z',
      endedAt: '2026-06-15T09:00:00.000Z',
      endedReason: 'handoff',
    }),
  ],
  handoffs: [handoff(), OTHERS_HANDOFF],
  consents: [
    consent(),
    consent({
      id: '88888888-8888-4888-8888-888888888889',
      purpose: 'orientation',
      recipient: { kind: 'parcours', structureId: null, structureName: null },
      categories: ['resources_rights'],
      collectionMethod: 'oral',
      active: false,
      withdrawnAt: '2026-10-20T10:00:00.000Z',
      withdrawnBy: { userName: 'Dominique Test', structureName: OWN },
    }),
  ],
  exceptionalAccesses: [
    // A justification must never reach the paper, even if a caller passed one along.
    {
      legalBasis: 'danger',
      userName: 'Paul Urgence',
      structureName: OTHER,
      at: '2026-08-10T20:00:00.000Z',
      until: '2026-08-11T00:00:00.000Z',
      reviewedAt: '2026-08-12T09:00:00.000Z',
      justification: JUSTIFICATION,
    } as SubjectAccessExport['exceptionalAccesses'][number],
    { legalBasis: 'legal_obligation', userName: 'Paul Urgence', structureName: OTHER, at: '2026-10-30T08:00:00.000Z', until: '2026-10-30T12:00:00.000Z', reviewedAt: null },
  ],
  accessLog: [
    logEntry({ action: 'person.export', actionLabel: 'Export des données (droit d’accès)', userName: 'Alex Admin', structureName: OWN, reason: 'followed_by_my_structure' }),
    logEntry(),
    logEntry({
      at: '2026-08-10T20:00:00.000Z',
      action: 'person.access_override',
      actionLabel: 'Accès exceptionnel pour motif légal',
      userName: 'Paul Urgence',
      reason: 'danger',
      flagged: true,
    }),
  ],
};

describe('buildSubjectAccessPdf', () => {
  it('prints, in plain French, who holds the data, why the person gets it, and who follows them', async () => {
    const pdf = await buildSubjectAccessPdf(full);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { text, title } = await extractPdfText(pdf);

    expect(title).toBe(`Vos données détenues par ${OWN}`);
    expect(text).toContain(`Vos données détenues par ${OWN}`);
    expect(text).toContain('Personne concernée : Camille DURAND (MARTIN)');
    expect(text).toContain(`Établi le 03/11/2026 14:05, par Alex Admin (${OWN})`); // Europe/Paris
    expect(text).toContain('article 15 du règlement général sur la protection des données');
    expect(text).toContain('adressez-vous à elle');
    expect(text).toContain('Votre dossier est suivi par ces 2 structures :');
    expect(text).toContain(`${OWN} : depuis le 02/03/2026`);
    expect(text).toContain(`${OTHER} : depuis le 15/06/2026`);
    for (const section of [
      'Identité et coordonnées',
      'Référent de parcours',
      'Passages',
      'Demandes',
      'Orientations',
      'Passages de relais',
      'Documents',
      'Consentements',
      'Accès exceptionnels',
      'Journal des accès',
      'Vos droits',
    ]) {
      expect(text).toContain(section);
    }
    expect(text).toContain('www.cnil.fr');
    expect(text).not.toContain('Dossier anonymisé');
  });

  it('says near the top when the file is anonymised', async () => {
    const anonymised = person({ usageLastName: 'Anonymisé', birthLastName: null, firstNames: null, anonymizedAt: '2026-10-31T10:00:00.000Z' });
    const { text } = await extractPdfText(await buildSubjectAccessPdf({ ...empty, person: anonymised }));
    expect(text).toContain('Dossier anonymisé le 31/10/2026 : votre identité et les textes écrits à votre sujet ont été effacés');
    expect(text.indexOf('Dossier anonymisé le')).toBeLessThan(text.indexOf('Ce que contient ce document'));
  });

  it('prints the référents, current and past, with the criteria in words and the exporter’s own note only', async () => {
    const { text } = await extractPdfText(await buildSubjectAccessPdf(full));
    expect(text).toContain('tout au long de votre parcours');
    expect(text).toContain(`Hugo Blanc (${OWN})`);
    expect(text).toContain('Période : depuis le 15/06/2026 (en cours)');
    expect(text).toContain('Critères du choix : Choix ou préférence de la personne ; Pertinence au regard de la situation');
    expect(text).toContain('Choisi(e) avec vous : Oui');
    expect(text).toContain(`Précisions de ${OWN} : Connaît déjà la famille`);
    expect(text).toContain('Désigné(e) par : Dominique Test');
    expect(text).toContain('Pour joindre la structure : 04 92 00 00 00, contact@fs-brianconnais.test');
    expect(text).toContain(`Léa Roux (${OTHER}) Période : du 02/03/2026 au 15/06/2026`);
    expect(text).toContain('Fin : Passage de relais');
    expect(text).toContain('Critères du choix : Faisabilité (disponibilité, proximité)');
    expect(text).toContain('Choisi(e) avec vous : Non');
    expect(text).not.toContain(`Précisions de ${OTHER}`);
  });

  it('prints the orientations: date, from and to, service, need, status in words with refusal reason, outcome and broken link, message', async () => {
    const { text } = await extractPdfText(await buildSubjectAccessPdf(full));
    expect(text).toContain(`05/10/2026 — ${OWN} vers ${OTHER}`);
    expect(text).toContain('Envoyée par : Dominique Test');
    expect(text).toContain('Service : Fonds de solidarité logement');
    expect(text).toContain('Besoin : Hébergement / logement');
    expect(text).toContain('État : Refusée le 06/10/2026');
    expect(text).toContain('Motif du refus : Plus de place ou délai trop long');
    expect(text).toContain('Ce qui a fait obstacle : Délais d’attente');
    expect(text).toContain('Commentaire : Liste d’attente de trois mois');
    expect(text).toContain('Message : Dossier FSL à instruire, la personne préfère être appelée le matin.');

    expect(text).toContain(`01/09/2026 — ${OTHER} vers ${OWN}`);
    expect(text).toContain('Besoin : Formalités administratives');
    expect(text).toContain('État : Clôturée le 20/09/2026');
    expect(text).toContain('Prise en charge : Rendez-vous fixé le 10/09/2026');
    expect(text).toContain('Résultat : Non réalisée');
    expect(text).toContain('Ce qui a fait obstacle : Transports');
  });

  it('prints the handoffs: the exporter’s with their note, the others’ only that they took place', async () => {
    const { text } = await extractPdfText(await buildSubjectAccessPdf(full));
    expect(text).toContain('il lui transmet une note');
    expect(text).toContain(`14/06/2026 — Léa Roux (${OTHER}) vers Hugo Blanc (${OWN})`);
    expect(text).toContain('État : Accepté le 15/06/2026');
    expect(text).toContain('Note de transmission : Suivie pour le logement depuis mars, rendez-vous CAF à prévoir.');
    expect(text).toContain(`02/05/2026 — ${OTHER} vers ${THIRD}`);
    expect(text).toContain('État : Décliné le 03/05/2026');
    expect(text).toContain(`Note de transmission : détenue par ${OTHER} ; vous pouvez la demander à cette structure`);
    expect(text).not.toContain('Motif du refus du relais');

    const declined = handoff({ status: 'declined', note: 'Note du relais décliné', declineReason: 'Pas de place dans mon portefeuille' });
    const own = await extractPdfText(await buildSubjectAccessPdf({ ...empty, handoffs: [declined] }));
    expect(own.text).toContain('Note de transmission : Note du relais décliné');
    expect(own.text).toContain('Motif du refus du relais : Pas de place dans mon portefeuille');
  });

  it('lists every identity field held, with its value in words', async () => {
    const { text } = await extractPdfText(await buildSubjectAccessPdf(full));
    expect(text).toContain('Nom d’usage : Durand');
    expect(text).toContain('Nom de naissance : Martin');
    expect(text).toContain('Prénom(s) : Camille');
    expect(text).toContain('Date de naissance : 07/1984');
    expect(text).toContain('Commune de résidence : Briançon (05023)');
    expect(text).toContain('Sans domicile stable : Oui');
    expect(text).toContain('Domiciliation : CCAS de Briançon, 1 rue Centrale');
    expect(text).toContain('Téléphone : 06 12 34 56 78');
    expect(text).toContain('Courriel : camille.durand@example.org');
    expect(text).toContain('Langues parlées : français, arabe');
    expect(text).toContain('Besoin d’un interprète : Non');
    expect(text).toContain('Préférence de contact : SMS');
    expect(text).toContain('Situation familiale : Seul(e) avec enfant(s)');
    expect(text).toContain('Enfants à charge : 2');
    expect(text).toContain('Nationalité : Hors UE');
    expect(text).toContain('Dossier créé le : 02/03/2026');
  });

  it('prints the contacts with needs and answers in words, the summaries, and the structure’s internal notes', async () => {
    const { text } = await extractPdfText(await buildSubjectAccessPdf(full));
    expect(text).toContain(`05/10/2026 10:30 — ${OWN}`);
    expect(text).toContain('Canal : Accueil physique, 25 min');
    expect(text).toContain('Reçu(e) par : Dominique Test');
    expect(text).toContain('Besoins : Hébergement / logement – Expulsion : audience le 12 novembre ; Prestations sociales');
    expect(text).toContain('Réponse apportée : Orientation à faire');
    expect(text).toContain('Synthèse : Menace d’expulsion, dossier FSL à monter avec la CAF.');
    expect(text).toContain(`Note interne de ${OWN} : Semble épuisée, rappeler vendredi.`);
    expect(text).toContain(`01/09/2026 09:00 — ${OTHER}`);
    expect(text).toContain('Canal : Téléphone');
    expect(text).toContain(`Synthèse : non partagée avec ${OWN} ; vous pouvez la demander à ${OTHER}`);
    expect(text).not.toContain(`Note interne de ${OTHER}`);
  });

  it('prints the requests with their status, the documents’ descriptions, the consents and the exceptional accesses', async () => {
    const { text } = await extractPdfText(await buildSubjectAccessPdf(full));
    expect(text).toContain('Hébergement / logement – Expulsion');
    expect(text).toContain('État : En cours');
    expect(text).toContain('Description : Constituer le dossier du fonds de solidarité logement.');
    expect(text).toContain('État : Sans suite');
    expect(text).toContain('Close le : 15/09/2026');
    expect(text).toContain('Motif de clôture : La personne a retrouvé un emploi');

    expect(text).toContain(
      `Commandement de quitter les lieux : Logement (bail, quittance…) ; catégorie « Situation familiale et logement » ; déposé le 06/10/2026 par ${OWN} ; 245 Ko`,
    );
    expect(text).toContain('Le contenu des documents n’est pas reproduit ici');

    expect(text).toContain(`1. ${OTHER}`);
    expect(text).toContain('Pour : Suivi coordonné');
    expect(text).toContain('Informations partagées : Identité et coordonnées, Besoins et demandes, Synthèses d’entretien');
    expect(text).toContain(`Accord recueilli : le 05/10/2026 par ${OWN} (formulaire papier signé)`);
    expect(text).toContain('Durée : Jusqu’à ce que vous retiriez votre accord');
    expect(text).toContain('2. Les structures qui vous accompagnent dans votre parcours');
    expect(text).toContain(`État : Retiré le 20/10/2026 par Dominique Test (${OWN})`);

    expect(text).toContain(`Le 10/08/2026 22:00, par Paul Urgence (${OTHER})`);
    expect(text).toContain('Motif légal : Danger pour la personne ou pour autrui');
    expect(text).toContain('Fin de l’accès : 11/08/2026 02:00');
    expect(text).toContain('Vérification : vérifié par l’administrateur de la structure le 12/08/2026');
    expect(text).toContain('Motif légal : Obligation légale');
    expect(text).toContain('Vérification : pas encore vérifié');
    expect(text).not.toContain(JUSTIFICATION);
    expect(text).not.toContain('violences');
  });

  it('ends with the access log table, in words', async () => {
    const { text } = await extractPdfText(await buildSubjectAccessPdf(full));
    for (const column of ['Date et heure', 'Action', 'Agent', 'Structure', 'Motif', 'Signalé']) expect(text).toContain(column);
    expect(text).toContain('Export des données (droit d’accès)');
    expect(text).toContain('21/10/2026 14:34');
    expect(text).toContain('Léa Roux');
    expect(text).toContain('Votre consentement');
    expect(text).toContain('Vous accompagne');
    expect(text).not.toContain('followed_by_my_structure');
  });

  it('says so for every empty section', async () => {
    const { text } = await extractPdfText(await buildSubjectAccessPdf(empty));
    expect(text).toContain('Votre dossier est suivi par :');
    expect(text).toContain('Aucun passage enregistré.');
    expect(text).toContain('Aucune demande enregistrée.');
    expect(text).toContain('Aucun document enregistré.');
    expect(text).toContain('Aucun consentement enregistré');
    expect(text).toContain('Aucun accès exceptionnel.');
    expect(text).toContain('Aucun accès enregistré.');
    expect(text).toContain('Aucun référent de parcours désigné.');
    expect(text).toContain('Aucune orientation enregistrée.');
    expect(text).toContain('Aucun passage de relais enregistré.');
    expect(text).not.toContain('Date et heure');
  });

  it('leaves out the identity fields the file does not hold', async () => {
    const lean = person({
      birthLastName: null,
      birthDate: null,
      birthDatePrecision: null,
      communeInsee: null,
      communeName: null,
      domiciliation: null,
      phone: null,
      email: null,
      languages: [],
      contactPreference: null,
      household: null,
      dependentChildren: null,
      nationalityGroup: null,
    });
    const { text } = await extractPdfText(await buildSubjectAccessPdf({ ...empty, person: lean }));
    expect(text).toContain('Personne concernée : Camille DURAND');
    for (const label of ['Nom de naissance', 'Date de naissance', 'Commune de résidence', 'Téléphone', 'Courriel', 'Langues parlées', 'Enfants à charge']) {
      expect(text).not.toContain(`${label} :`);
    }
  });

  it('spans several numbered pages for a long file, the log’s column titles on each of its pages', async () => {
    const contacts = Array.from({ length: 40 }, (_, i) =>
      contact({ id: `11111111-1111-4111-8111-1111111111${String(i).padStart(2, '0')}`, occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString() }),
    );
    const accessLog = Array.from({ length: 150 }, (_, i) => logEntry({ at: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString() }));
    const { text, pages } = await extractPdfText(await buildSubjectAccessPdf({ ...full, contacts, accessLog }, { accessLogLimit: 150 }));
    expect(pages).toBeGreaterThan(3);
    expect(text).toContain(`Page 1 / ${pages}`);
    expect(text).toContain(`Page ${pages} / ${pages}`);
    expect(text.match(/Date et heure/g)!.length).toBeGreaterThan(1);
    expect(text).toContain('Seuls les 150 accès les plus récents figurent ici.');
    expect(text.match(/Note interne de France Services du Briançonnais/g)).toHaveLength(40);
  });
});

describe('subject-access labels', () => {
  it('words birth dates, sizes and needs as the person would write them', () => {
    expect(formatBirth('1984-07-14', 'day')).toBe('14/07/1984');
    expect(formatBirth('1984-07-01', 'month')).toBe('07/1984');
    expect(formatBirth('1984-01-01', 'year')).toBe('1984');
    expect([800, 250_880, 1_468_006].map(formatSize)).toEqual(['800 octets', '245 Ko', '1,4 Mo']);
    expect(needLabel({ bouquet: 4, subNeed: null })).toBe('Formalités administratives');
    expect(needLabel({ bouquet: 14, subNeed: 'Expulsion', detail: 'audience' })).toBe('Hébergement / logement – Expulsion : audience');
  });

  it('words an orientation’s status with its date, and a référent’s period', () => {
    expect(referralState(referral({ status: 'sent' }))).toBe('Envoyée');
    expect(referralState(referral({ status: 'received' }))).toBe('Reçue le 05/10/2026');
    expect(referralState(referral({ status: 'accepted' }))).toBe('Acceptée le 06/10/2026');
    expect(referralState(referral({ status: 'redirected', redirectedTo: { id: OTHER_ID, name: THIRD, type: 'ccas' } }))).toBe(
      `Réorientée le 06/10/2026 vers ${THIRD}`,
    );
    expect(referralState(referral({ status: 'in_charge', inChargeAt: '2026-10-12T08:00:00.000Z' }))).toBe('Prise en charge le 12/10/2026');
    expect(referralState(referral({ status: 'cancelled', cancelledAt: '2026-10-07T08:00:00.000Z' }))).toBe(`Annulée le 07/10/2026 par ${OWN}`);
    expect(referentPeriod(referent())).toBe('depuis le 15/06/2026 (en cours)');
    expect(referentPeriod(referent({ endedAt: '2026-09-01T08:00:00.000Z' }))).toBe('du 15/06/2026 au 01/09/2026');
  });

  it('leaves out absent fields (a partner’s view) but keeps a held “no”', () => {
    const partial: Person = { id: PERSON_ID, createdAt: empty.person.createdAt, updatedAt: empty.person.updatedAt, access: 'consent', categories: [], needsInterpreter: false };
    expect(identityFields(partial).map(([label]) => label)).toEqual(['Besoin d’un interprète', 'Dossier créé le', 'Dernière modification le']);
  });
});
