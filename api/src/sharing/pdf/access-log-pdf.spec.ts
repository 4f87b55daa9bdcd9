import type { AccessLogEntry } from '@passerelle/contracts';
import { actionLabel, buildAccessLogPdf, reasonLabel, type AccessLogPdfData } from './access-log-pdf';
import { extractPdfText } from './pdf-text.testing';

// Each text extraction starts a Node process with pdf.js (about a second, more on a busy machine).
jest.setTimeout(30_000);

const entry = (overrides: Partial<AccessLogEntry> = {}): AccessLogEntry => ({
  at: '2026-07-14T12:34:00.000Z',
  action: 'person.read',
  actionLabel: 'Consultation du dossier',
  userName: 'Claude Martin',
  structureName: 'CCAS de Gap',
  reason: 'followed_by_my_structure',
  outcome: 'success',
  flagged: false,
  ...overrides,
});

const base: AccessLogPdfData = {
  personName: 'Camille DURAND',
  structureName: 'France Services du Briançonnais',
  exportedAt: new Date('2026-11-03T13:05:00.000Z'),
  entries: [],
};

describe('buildAccessLogPdf', () => {
  it('prints the header (person, export date in Europe/Paris) and one row per access, with words for codes', async () => {
    const entries = [
      entry(),
      entry({
        at: '2026-01-10T08:00:00.000Z',
        action: 'person.access_override',
        actionLabel: 'Accès exceptionnel pour motif légal',
        userName: 'Alex Urgence',
        structureName: 'Département B',
        reason: 'danger',
        flagged: true,
      }),
      entry({ action: 'consent.create', actionLabel: 'Recueil d’un consentement', reason: 'coordinated_follow_up:structure' }),
      entry({ action: 'person.access_override', actionLabel: 'Accès exceptionnel pour motif légal', reason: 'no_permission', outcome: 'denied' }),
      entry({ action: 'consent.notice.print', actionLabel: 'consent.notice.print', reason: null }),
    ];
    const pdf = await buildAccessLogPdf({ ...base, entries });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { text, title } = await extractPdfText(pdf);

    expect(title).toBe('Journal des accès au dossier');
    expect(text).toContain('Personne : Camille DURAND');
    expect(text).toContain('Exporté le 03/11/2026 14:05, par France Services du Briançonnais'); // 13:05Z is 14:05 in Paris in winter
    expect(text).toContain('Nombre d’accès : 5');
    for (const column of ['Date et heure', 'Action', 'Agent', 'Structure', 'Motif', 'Signalé']) expect(text).toContain(column);
    expect(text).toContain('14/07/2026 14:34'); // summer time
    expect(text).toContain('10/01/2026 09:00'); // winter time
    expect(text).toContain('Consultation du dossier');
    expect(text).toContain('Claude Martin');
    expect(text).toContain('CCAS de Gap');
    expect(text).toContain('Vous accompagne');
    expect(text).toContain('Alex Urgence');
    expect(text).toContain('Danger pour la personne ou pour autrui');
    expect(text).toContain('Oui');
    expect(text).toContain('Suivi coordonné (structure nommée)');
    expect(text).toContain('(refusé)');
    expect(text).toContain('Impression de la notice de consentement');
    expect(text).not.toContain('followed_by_my_structure');
  });

  it('repeats the column titles on every page of a long log, and says when it was cut', async () => {
    const entries = Array.from({ length: 120 }, (_, i) => entry({ at: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString() }));
    const { text, pages } = await extractPdfText(await buildAccessLogPdf({ ...base, entries, limit: 120 }));
    expect(pages).toBeGreaterThan(1);
    expect(text.match(/Date et heure/g)).toHaveLength(pages);
    expect(text).toContain(`Page ${pages} / ${pages}`);
    expect(text).toContain('Seuls les 120 accès les plus récents figurent ici.');
  });

  it('says so when there is nothing to show', async () => {
    const { text } = await extractPdfText(await buildAccessLogPdf(base));
    expect(text).toContain('Aucun accès enregistré.');
    expect(text).not.toContain('Seuls les');
  });
});

describe('access log labels', () => {
  it('words the reasons, never prints identifiers', () => {
    expect(reasonLabel(null)).toBe('');
    expect(reasonLabel('consent')).toBe('Votre consentement');
    expect(reasonLabel('legal_obligation')).toBe('Obligation légale');
    expect(reasonLabel('network_visibility:network')).toBe('Visibilité dans le réseau (tout le réseau)');
    expect(reasonLabel('0b5f3d2e-1c1a-4c39-9a57-8f6f0b3c2d11')).toBe('');
    expect(reasonLabel('merged_into:0b5f3d2e-1c1a-4c39-9a57-8f6f0b3c2d11')).toBe('merged into');
  });

  it('marks refused and failed actions', () => {
    expect(actionLabel(entry({ outcome: 'denied' }))).toBe('Consultation du dossier (refusé)');
    expect(actionLabel(entry({ outcome: 'failure' }))).toBe('Consultation du dossier (échec)');
  });
});
