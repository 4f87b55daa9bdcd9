import type { Contact } from '@passerelle/contracts';
import { hasDuplicateNeeds, occurredAtProblem, personDisplayName, summarizeContacts } from './contact-rules';

describe('occurredAtProblem', () => {
  const now = new Date('2026-03-12T10:00:00Z');

  it('accepts now, a few minutes ahead, and up to a year back, with an explicit offset', () => {
    expect(occurredAtProblem('2026-03-12T10:00:00Z', now)).toBeNull();
    expect(occurredAtProblem('2026-03-12T11:04:00+01:00', now)).toBeNull();
    expect(occurredAtProblem('2026-03-12T10:05:00.000Z', now)).toBeNull();
    expect(occurredAtProblem('2025-03-12T10:00:00Z', now)).toBeNull();
  });

  it('refuses the future beyond 5 minutes, more than a year back, and ambiguous or malformed dates', () => {
    expect(occurredAtProblem('2026-03-12T10:05:01Z', now)).toContain('futur');
    expect(occurredAtProblem('2025-03-10T09:59:59Z', now)).toContain('plus d’un an');
    expect(occurredAtProblem('2026-03-12T10:00:00', now)).toContain('ISO 8601');
    expect(occurredAtProblem('2026-03-12', now)).toContain('ISO 8601');
    expect(occurredAtProblem('2026-02-30T10:00:00Z', now)).not.toBeNull();
    expect(occurredAtProblem('hier', now)).not.toBeNull();
    expect(occurredAtProblem(1741773600000, now)).not.toBeNull();
  });
});

describe('hasDuplicateNeeds', () => {
  it('spots the same bouquet and sub-need twice, whatever the case, accents or spaces', () => {
    expect(hasDuplicateNeeds([{ bouquet: 5, subNeed: 'Prime d’activité' }, { bouquet: 5, subNeed: ' prime  D’ACTIVITE ' }])).toBe(true);
    expect(hasDuplicateNeeds([{ bouquet: 5, subNeed: null }, { bouquet: 5 }])).toBe(true);
  });
  it('allows the same bouquet with different sub-needs, and the same sub-need in two bouquets', () => {
    expect(hasDuplicateNeeds([{ bouquet: 5, subNeed: 'RSA' }, { bouquet: 5, subNeed: 'APL' }, { bouquet: 5, subNeed: null }])).toBe(false);
    expect(hasDuplicateNeeds([{ bouquet: 5, subNeed: 'Dossier' }, { bouquet: 4, subNeed: 'Dossier' }])).toBe(false);
  });
});

describe('personDisplayName', () => {
  it('names "Prénom NOM", with the birth name when it differs from the usage name', () => {
    expect(personDisplayName({ firstNames: 'Élodie', usageLastName: 'Garnier', birthLastName: null })).toBe('Élodie GARNIER');
    expect(personDisplayName({ firstNames: 'Élodie', usageLastName: 'Garnier', birthLastName: 'Roux' })).toBe('Élodie GARNIER (ROUX)');
    expect(personDisplayName({ firstNames: null, usageLastName: null, birthLastName: 'Roux' })).toBe('ROUX');
    expect(personDisplayName({ firstNames: 'Karim', usageLastName: null, birthLastName: null })).toBe('Karim');
    expect(personDisplayName({ firstNames: null, usageLastName: null, birthLastName: null })).toBeNull();
  });
});

describe('summarizeContacts', () => {
  const c = (personId: string | null, channel: Contact['channel'], bouquets: number[]) =>
    ({ personId, channel, needs: bouquets.map((b) => ({ bouquet: b, subNeed: null, detail: null })) }) as Pick<Contact, 'personId' | 'channel' | 'needs'>;

  it('counts contacts by channel and by need (once per bouquet per contact), most frequent first, and the anonymous ones', () => {
    const summary = summarizeContacts([c(null, 'phone', [1]), c('p1', 'in_person', [5, 5, 14]), c('p2', 'in_person', [5]), c(null, 'in_person', [1])]);
    expect(summary).toEqual({
      total: 4,
      anonymous: 2,
      byChannel: [
        { channel: 'in_person', count: 3 },
        { channel: 'phone', count: 1 },
      ],
      byNeed: [
        { bouquet: 1, count: 2 },
        { bouquet: 5, count: 2 },
        { bouquet: 14, count: 1 },
      ],
    });
    expect(summarizeContacts([])).toEqual({ total: 0, anonymous: 0, byChannel: [], byNeed: [] });
  });
});
