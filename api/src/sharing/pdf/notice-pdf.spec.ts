import {
  CONSENT_NOTICE_VERSION,
  CONSENT_PURPOSE_LABELS,
  DATA_CATEGORIES,
  DATA_CATEGORY_DESCRIPTIONS,
  DATA_CATEGORY_LABELS,
  type Consent,
} from '@passerelle/contracts';
import { buildNoticePdf, formatMonths, type NoticePdfData } from './notice-pdf';
import { printable } from './pdf-kit';
import { extractPdfText } from './pdf-text.testing';

// Each text extraction starts a Node process with pdf.js (about a second, more on a busy machine).
jest.setTimeout(30_000);

const consent = (overrides: Partial<Consent> = {}): Consent => ({
  id: '11111111-1111-4111-8111-111111111111',
  personId: '22222222-2222-4222-8222-222222222222',
  purpose: 'coordinated_follow_up',
  recipient: { kind: 'structure', structureId: '33333333-3333-4333-8333-333333333333', structureName: 'Département — action sociale de Gap' },
  categories: ['identity_contact', 'needs_requests', 'interview_summaries'],
  collectionMethod: 'signed_paper',
  noticeVersion: CONSENT_NOTICE_VERSION,
  collectedAt: '2026-10-05T08:30:00.000Z',
  collectedBy: { userName: 'Dominique Test', structureId: '44444444-4444-4444-8444-444444444444', structureName: 'France Services du Briançonnais' },
  validUntil: '2027-10-04T22:00:00.000Z',
  withdrawnAt: null,
  withdrawnBy: null,
  active: true,
  ...overrides,
});

const base: NoticePdfData = {
  personName: 'Camille DURAND',
  structureName: 'France Services du Briançonnais',
  agentName: 'Dominique Test',
  consents: [],
  printedAt: new Date('2026-11-03T13:05:00.000Z'),
};

/** Text as extracted, apostrophes and spaces made comparable with the source strings. */
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('buildNoticePdf', () => {
  it('prints an A4 French notice: the structure, what Passerelle is for, the six categories, retention, rights, version, signatures', async () => {
    const pdf = await buildNoticePdf(base);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { text, title } = await extractPdfText(pdf);

    expect(title).toBe('Notice d’information et formulaire de consentement');
    expect(text).toContain('Personne concernée : Camille DURAND');
    expect(text).toContain('France Services du Briançonnais enregistre dans Passerelle');
    expect(text).toContain('responsable du traitement');
    expect(text).toContain('À quoi sert Passerelle ?');
    for (const category of DATA_CATEGORIES) {
      expect(text).toContain(DATA_CATEGORY_LABELS[category]);
      expect(text).toContain(flat(DATA_CATEGORY_DESCRIPTIONS[category]));
    }
    for (const label of Object.values(CONSENT_PURPOSE_LABELS)) expect(text).toContain(label);
    expect(text).toContain('2 ans après votre dernier contact');
    expect(text).toContain('anonymisé');
    expect(text).toContain('Ce journal est gardé 12 mois');
    for (const right of ['Accéder', 'Faire corriger', 'Demander l’effacement', 'lorsque la loi le permet', 'Vous opposer', 'Retirer votre accord']) {
      expect(text).toContain(right);
    }
    expect(text).toContain('aucune conséquence sur l’aide que vous recevez');
    expect(text).toContain('CNIL');
    expect(text).toContain('www.cnil.fr');
    expect(text).toContain(`version ${CONSENT_NOTICE_VERSION}`);
    expect(text).toContain('Date : ____ / ____ / ________');
    expect(text).toContain('Signature de la personne');
    expect(text).toContain('Nom et signature du professionnel');
    expect(text).toContain('Remise le 03/11/2026, par Dominique Test');
  });

  it('without an active consent, is a blank form: the categories and purposes to tick, the recipients to write in', async () => {
    const withdrawn = consent({ active: false, withdrawnAt: '2026-10-20T10:00:00.000Z', withdrawnBy: { userName: 'X', structureName: 'Y' } });
    const { text } = await extractPdfText(await buildNoticePdf({ ...base, consents: [withdrawn] }));
    expect(text).toContain('Aucun partage n’est enregistré pour l’instant');
    expect(text).toContain('Avec la ou les structures suivantes :');
    expect(text).toContain('Jusqu’au (facultatif) :');
    expect(text).toContain('donne mon accord pour le partage coché ci-dessus');
    expect(text).not.toContain('Département — action sociale de Gap'); // the withdrawn consent's recipient
  });

  it('lists the active consents: recipient, purpose, categories, until when, how it was collected', async () => {
    const parcours = consent({
      id: '55555555-5555-4555-8555-555555555555',
      purpose: 'orientation',
      recipient: { kind: 'parcours', structureId: null, structureName: null },
      categories: ['resources_rights'],
      collectionMethod: 'oral',
      validUntil: null,
    });
    const network = consent({
      id: '66666666-6666-4666-8666-666666666666',
      purpose: 'network_visibility',
      recipient: { kind: 'network', structureId: null, structureName: null },
      categories: [],
    });
    const expired = consent({ recipient: { kind: 'structure', structureId: null, structureName: 'CCAS Expiré' }, active: false });
    const { text } = await extractPdfText(await buildNoticePdf({ ...base, consents: [consent(), parcours, network, expired] }));

    expect(text).toContain('Vous avez donné votre accord pour ces 3 partages');
    expect(text).toContain('1. Département — action sociale de Gap');
    expect(text).toContain('Identité et coordonnées, Besoins et demandes, Synthèses d’entretien');
    expect(text).toContain('Jusqu’au 05/10/2027'); // Europe/Paris: 2027-10-04T22:00Z is the 5th
    expect(text).toContain('le 05/10/2026 par France Services du Briançonnais (formulaire papier signé)');
    expect(text).toContain('2. Les structures qui vous accompagnent dans votre parcours');
    expect(text).toContain('Ressources et droits');
    expect(text).toContain('Jusqu’à ce que vous retiriez votre accord');
    expect(text).toContain('3. Toutes les structures du territoire');
    expect(text).toContain('Vos nom, prénoms et année de naissance, et les structures qui vous connaissent');
    expect(text).not.toContain('CCAS Expiré');
    expect(text).not.toContain('Aucun partage n’est enregistré');
    expect(text).toContain('confirme mon accord');
  });

  it('prints names outside the standard fonts’ characters readably', async () => {
    const { text } = await extractPdfText(await buildNoticePdf({ ...base, personName: 'Ayşe ŞAHIN-NGUYỄN Łucja' }));
    expect(text).toContain('Personne concernée : Ayse SAHIN-NGUYEN Lucja');
  });

  it('states the tenant’s retention durations when given', async () => {
    const { text } = await extractPdfText(await buildNoticePdf({ ...base, retention: { personMonths: 36, auditMonths: 6 } }));
    expect(text).toContain('Votre dossier est gardé 3 ans après votre dernier contact');
    expect(text).toContain('Ce journal est gardé 6 mois');
    expect([12, 18, 24, 120].map(formatMonths)).toEqual(['12 mois', '18 mois', '2 ans', '10 ans']);
  });

  it('numbers its pages and stays within a few pages', async () => {
    const many = Array.from({ length: 8 }, (_, i) => consent({ id: `77777777-7777-4777-8777-77777777777${i}` }));
    const { text, pages } = await extractPdfText(await buildNoticePdf({ ...base, consents: many }));
    expect(pages).toBeGreaterThan(1);
    expect(pages).toBeLessThanOrEqual(4);
    expect(text).toContain(`Page ${pages} / ${pages}`);
  });
});

describe('printable', () => {
  it('keeps French text and the signs of French typography', () => {
    const french = 'Données « partagées » : l’œuvre — été, Ç, É, ï, û, …, €';
    expect(printable(french)).toBe(french);
  });

  it('drops the accents the standard fonts cannot draw, and replaces other scripts', () => {
    expect(printable('Ștefan Şahin Nguyễn Łukasz Dvořák')).toBe('Stefan Sahin Nguyen Lukasz Dvorák') // á is Latin-1: kept;
    expect(printable('Иван')).toBe('????');
    expect(printable('a\u202fb\u2011c')).toBe('a\u00a0b-c');
  });
});
