import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { CaseloadEntry, ReferentTimelineEntry } from '@passerelle/contracts';
import { text } from '../../testing/dom';
import { aCaseloadEntry, aReferent } from '../../testing/referents';
import { CaseloadPage } from './caseload-page';
import { ReferentTimelineEntryView } from './referent-timeline-entry';

describe('CaseloadPage', () => {
  let fixture: ComponentFixture<CaseloadPage>;
  let element: HTMLElement;
  let http: HttpTestingController;

  async function create(entries: CaseloadEntry[] | 'error'): Promise<void> {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(CaseloadPage);
    element = fixture.nativeElement;
    await fixture.whenStable();
    const request = http.expectOne('/api/caseload');
    if (entries === 'error') request.flush({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'Erreur.' }, { status: 500, statusText: 'Error' });
    else request.flush(entries);
    await fixture.whenStable();
  }

  afterEach(() => http.verify());

  it('lists my persons with their file, last contact, open requests and orientations', async () => {
    await create([
      aCaseloadEntry(),
      aCaseloadEntry({
        personId: 'person-2',
        personName: 'Zoé LEFÈVRE',
        lastContactAt: null,
        openRequests: [],
        openReferrals: [{ id: 'referral-2', bouquet: 11, status: 'received', toStructureName: 'CCAS de Gap', direction: 'received' }],
      }),
    ]);
    expect(text(fixture)).toContain('2 personnes');
    const rows = Array.from(element.querySelectorAll('tbody tr')).map((row) => (row.textContent ?? '').replace(/\s+/g, ' '));
    expect(rows[0]).toContain("Jean-Pierre N'DIAYE : ouvrir le dossier");
    expect(rows[0]).toContain('01/11/2026');
    expect(rows[0]).toContain('20/11/2026');
    expect(rows[0]).toContain('Prestations sociales (En cours)');
    expect(rows[0]).toContain('Hébergement / logement — envoyée à CCAS de Gap (Envoyée)');
    expect(rows[1]).toContain('—');
    expect(rows[1]).toContain('Aucune');
    expect(rows[1]).toContain('reçue par votre structure (Reçue)');
    const links = Array.from(element.querySelectorAll('tbody a')).map((a) => a.getAttribute('href'));
    expect(links).toEqual(['/personnes/person-1', '/orientations/referral-1', '/personnes/person-2', '/orientations/referral-2']);
  });

  it('says when I follow no one, and shows a loading error', async () => {
    await create([]);
    expect(text(fixture)).toContain('Aucune personne');
    expect(element.querySelector('table')).toBeNull();
  });

  it('shows the API error', async () => {
    await create('error');
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('Erreur.');
  });
});

describe('ReferentTimelineEntryView', () => {
  function render(entry: ReferentTimelineEntry): string {
    const fixture = TestBed.createComponent(ReferentTimelineEntryView);
    fixture.componentRef.setInput('entry', entry);
    fixture.detectChanges();
    return text(fixture);
  }

  it('tells who became référent and why, whose term ended, who handed the case to whom', () => {
    expect(render({ kind: 'referent_designated', at: '2026-11-01T10:00:00.000Z', referent: aReferent() })).toContain(
      'Référent de parcours : Samia Benali',
    );
    expect(render({ kind: 'referent_designated', at: '2026-11-01T10:00:00.000Z', referent: aReferent() })).toContain(
      'critères : Choix ou préférence de la personne, Pertinence au regard de la situation · choisi avec la personne',
    );
    expect(
      render({ kind: 'referent_ended', at: '2026-11-02T10:00:00.000Z', referent: aReferent({ endedAt: '2026-11-02T10:00:00.000Z', endedReason: 'handoff' }) }),
    ).toContain("Fin de l'accompagnement par Samia Benali");
    const handoff = {
      id: 'handoff-1',
      personId: 'person-1',
      from: { structureId: 'structure-1', structureName: 'CCAS de Gap', userName: 'Marie Curie' },
      to: { structureId: 'structure-2', structureName: 'Département — action sociale', userId: 'user-2', userName: 'Samia Benali' },
      proposeReferent: true,
      status: 'accepted' as const,
      proposedAt: '2026-11-01T10:00:00.000Z',
      answeredAt: '2026-11-02T10:00:00.000Z',
    };
    expect(render({ kind: 'handoff_proposed', at: handoff.proposedAt, handoff })).toContain(
      'Relais proposé à Samia Benali (Département — action sociale)',
    );
    expect(render({ kind: 'handoff_answered', at: handoff.proposedAt, handoff })).toContain('Relais vers Samia Benali : Accepté');
  });
});
