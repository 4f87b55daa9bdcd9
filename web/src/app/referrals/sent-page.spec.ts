import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { aReferral, daysAgo } from '../../testing/referrals';
import { SentPage } from './sent-page';

describe('SentPage', () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;
  let element: HTMLElement;

  const to = { id: 'structure-2', name: 'Département — action sociale', type: 'departmental_social_service' as const };
  const from = { id: 'structure-1', name: 'CCAS de Gap', type: 'ccas' as const, userName: 'Marie Curie' };

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'orientations/envoyees', component: SentPage }], withComponentInputBinding()),
        provideHttpClient(),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
  });

  afterEach(() => http.verify());

  const rows = () => Array.from(element.querySelectorAll('tbody tr')).map((row) => (row.textContent ?? '').replace(/\s+/g, ' '));

  it("shows where each orientation stands, the closed loop included, and flags those left without answer", async () => {
    await harness.navigateByUrl('/orientations/envoyees?statut=closed', SentPage);
    element = harness.routeNativeElement as HTMLElement;
    const request = http.expectOne((r) => r.url === '/api/referrals/sent');
    expect(request.request.params.toString()).toBe('status=closed');
    request.flush([
      aReferral({ id: 'r-1', from, to, sentAt: daysAgo(14), allowedTransitions: ['cancelled'] }),
      aReferral({
        id: 'r-2',
        from,
        to,
        status: 'closed',
        outcome: 'done',
        sentAt: daysAgo(20),
        receivedAt: '2026-11-02T09:00:00.000Z',
        answeredAt: '2026-11-03T09:00:00.000Z',
        inChargeKind: 'appointment',
        inChargeAt: '2026-11-05T13:30:00.000Z',
        closedAt: '2026-11-20T09:00:00.000Z',
        allowedTransitions: [],
      }),
      aReferral({ id: 'r-3', from, to, status: 'refused', refusalReason: 'out_of_zone', sentAt: daysAgo(15), answeredAt: daysAgo(14), allowedTransitions: [] }),
    ]);
    await harness.fixture.whenStable();

    const [open, closed, refused] = rows();
    expect(open).toContain("Jean-Pierre N'Diaye");
    expect(open).toContain('Département — action sociale');
    expect(open).toContain('Aide au logement');
    expect(open).toContain('il y a 14 jours (plus de 10 jours)');
    expect(open).toContain('Pas encore ouverte par le partenaire');
    expect(closed).toContain('Clôturée — Réalisée');
    expect(closed).toContain('Reçue le 02/11/2026');
    expect(closed).toContain('Réponse le 03/11/2026');
    expect(closed).toMatch(/Rendez-vous fixé : 05\/11\/2026 à \d\dh30/);
    expect(closed).toContain('Clôturée le 20/11/2026');
    // A closed loop is not flagged, however old.
    expect(closed).not.toContain('plus de 10 jours');
    expect(refused).toContain('Refusée');
    expect(refused).toContain('Motif : Hors de notre zone d’intervention');
    expect(element.querySelector('tbody a')?.getAttribute('href')).toBe('/orientations/r-1');
    // Cancelling is done on the orientation's page, not here.
    expect(element.querySelectorAll('tbody button')).toHaveLength(0);
  });
});
