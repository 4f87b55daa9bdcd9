import {
  CONSENT_NOTICE_VERSION,
  type AccessLogEntry,
  type Consent,
  type Contact,
  type Person,
  type PersonDocument,
  type PersonRequest,
  type SubjectAccessExport,
} from '@passerelle/contracts';
import { extractPdfText } from './pdf-text.testing';
import { buildSubjectAccessPdf, formatBirth, formatSize, identityFields, needLabel } from './subject-access-pdf';

// Each text extraction starts a Node process with pdf.js (about a second, more on a busy machine).
jest.setTimeout(30_000);

const PERSON_ID = '22222222-2222-4222-8222-222222222222';
const OWN = 'France Services du Briançonnais';
const OTHER = 'Département — action sociale de Gap';

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
    for (const section of ['Identité et coordonnées', 'Passages', 'Demandes', 'Documents', 'Consentements', 'Accès exceptionnels', 'Journal des accès', 'Vos droits']) {
      expect(text).toContain(section);
    }
    expect(text).toContain('www.cnil.fr');
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

  it('leaves out absent fields (a partner’s view) but keeps a held “no”', () => {
    const partial: Person = { id: PERSON_ID, createdAt: empty.person.createdAt, updatedAt: empty.person.updatedAt, access: 'consent', categories: [], needsInterpreter: false };
    expect(identityFields(partial).map(([label]) => label)).toEqual(['Besoin d’un interprète', 'Dossier créé le', 'Dernière modification le']);
  });
});
