import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { buttonByText, fieldByLabel, type } from '../../testing/dom';
import { aReferral, daysAgo } from '../../testing/referrals';
import { InboxPage } from './inbox-page';

describe('InboxPage', () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;
  let element: HTMLElement;

  const unshared = aReferral({
    id: 'referral-2',
    personName: null,
    bouquet: 5,
    service: null,
    sentAt: daysAgo(12),
    status: 'received',
    receivedAt: daysAgo(11),
  });

  async function open(url: string): Promise<void> {
    await harness.navigateByUrl(url, InboxPage);
    element = harness.routeNativeElement as HTMLElement;
    document.body.appendChild(harness.fixture.nativeElement);
  }

  async function stable(): Promise<void> {
    await harness.fixture.whenStable();
  }

  const text = () => (element.textContent ?? '').replace(/\s+/g, ' ');
  const rows = () => Array.from(element.querySelectorAll('tbody tr')).map((row) => (row.textContent ?? '').replace(/\s+/g, ' '));

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'orientations/recues', component: InboxPage }], withComponentInputBinding()),
        provideHttpClient(),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
  });

  afterEach(() => {
    http.verify();
    harness.fixture.nativeElement.remove();
  });

  it('lists the incoming orientations: who, from where, need, service, age (highlighted beyond 10 days) and status', async () => {
    await open('/orientations/recues');
    http.expectOne('/api/referrals/inbox').flush([aReferral(), unshared]);
    await stable();

    const [first, second] = rows();
    expect(first).toContain("Jean-Pierre N'Diaye");
    expect(first).toContain('France Services du Briançonnais');
    expect(first).toContain('Camille Arnaud');
    expect(first).toContain('Hébergement / logement');
    expect(first).toContain('Aide au logement');
    expect(first).toContain('il y a 2 jours');
    expect(first).toContain('Envoyée');
    expect(second).toContain('Identité non partagée');
    expect(second).toContain('Prestations sociales');
    expect(second).toContain('Reçue');
    expect(second).toContain('il y a 12 jours (plus de 10 jours)');
    expect(element.querySelectorAll('tbody .fr-badge--warning')).toHaveLength(1);
    expect(text()).toContain('2 orientations');
    // The person's name leads to the orientation.
    expect(element.querySelector('tbody a')?.getAttribute('href')).toBe('/orientations/referral-1');
  });

  it('reads its filters from the URL and applies new ones through it', async () => {
    await open('/orientations/recues?statut=received&besoin=14&anciennete=10');
    const first = http.expectOne((request) => request.url === '/api/referrals/inbox');
    expect(first.request.params.toString()).toBe('status=received&bouquet=14&olderThanDays=10');
    first.flush([unshared]);
    await stable();
    expect((fieldByLabel(element, 'Statut') as HTMLSelectElement).value).toBe('received');
    expect((fieldByLabel(element, 'Besoin') as HTMLSelectElement).value).toBe('14');
    expect((fieldByLabel(element, 'Envoyée depuis') as HTMLSelectElement).value).toBe('10');
    expect(text()).toContain('1 orientation pour ces filtres');

    type(fieldByLabel(element, 'Statut'), 'sent');
    type(fieldByLabel(element, 'Besoin'), '');
    buttonByText(element, 'Filtrer').click();
    await stable();
    await stable();
    expect(TestBed.inject(Router).url).toBe('/orientations/recues?statut=sent&anciennete=10');
    const second = http.expectOne((request) => request.url === '/api/referrals/inbox');
    expect(second.request.params.toString()).toBe('status=sent&olderThanDays=10');
    second.flush([]);
    await stable();
    expect(text()).toContain('Aucune orientation pour ces filtres');
  });

  it('accepts in one click, with the right body, and shows the new status in the row', async () => {
    await open('/orientations/recues');
    http.expectOne('/api/referrals/inbox').flush([aReferral()]);
    await stable();

    const accept = buttonByText(element, "Accepter : Jean-Pierre N'Diaye – Hébergement / logement");
    accept.click();
    await stable();
    const request = http.expectOne({ method: 'POST', url: '/api/referrals/referral-1/status' });
    expect(request.request.body).toEqual({ status: 'accepted' });
    request.flush(aReferral({ status: 'accepted', answeredAt: daysAgo(0), allowedTransitions: ['in_charge', 'closed'] }));
    await stable();
    expect(rows()[0]).toContain('Acceptée');
    expect(text()).toContain("Orientation de Jean-Pierre N'Diaye (Hébergement / logement) : Acceptée.");
    // No more answer buttons; the focus is on the row's link.
    expect(element.querySelectorAll('tbody button')).toHaveLength(0);
    expect(document.activeElement?.id).toBe('orientation-referral-1-lien');
  });

  it('refuses only with a reason and the broken link, and a comment for "Autre motif"', async () => {
    await open('/orientations/recues');
    http.expectOne('/api/referrals/inbox').flush([aReferral()]);
    await stable();

    buttonByText(element, "Refuser : Jean-Pierre N'Diaye – Hébergement / logement").click();
    await stable();
    const firstReason = element.querySelector('#refus-referral-1-motif-not_eligible') as HTMLInputElement;
    expect(document.activeElement).toBe(firstReason);

    buttonByText(element, 'Confirmer le refus').click();
    await stable();
    http.expectNone({ method: 'POST', url: '/api/referrals/referral-1/status' });
    expect(text()).toContain('Choisissez le motif du refus.');
    expect(text()).toContain("Indiquez le maillon de l'accès qui fait défaut.");

    (element.querySelector('#refus-referral-1-motif-other') as HTMLInputElement).click();
    type(fieldByLabel(element, "Maillon de l'accès qui fait défaut"), '4');
    await stable();
    buttonByText(element, 'Confirmer le refus').click();
    await stable();
    http.expectNone({ method: 'POST', url: '/api/referrals/referral-1/status' });
    expect(text()).toContain('Précisez le motif du refus dans le commentaire.');
    expect(document.activeElement?.id).toBe('refus-referral-1-commentaire');

    (element.querySelector('#refus-referral-1-motif-out_of_zone') as HTMLInputElement).click();
    await stable();
    buttonByText(element, 'Confirmer le refus').click();
    await stable();
    const request = http.expectOne({ method: 'POST', url: '/api/referrals/referral-1/status' });
    expect(request.request.body).toEqual({ status: 'refused', refusalReason: 'out_of_zone', brokenLink: 4 });
    request.flush(aReferral({ status: 'refused', refusalReason: 'out_of_zone', brokenLink: 4, answeredAt: daysAgo(0), allowedTransitions: [] }));
    await stable();
    expect(rows()).toHaveLength(1);
    expect(rows()[0]).toContain('Refusée');
  });

  it('cancelling a refusal sends nothing and gives the focus back to "Refuser"', async () => {
    await open('/orientations/recues');
    http.expectOne('/api/referrals/inbox').flush([aReferral()]);
    await stable();
    buttonByText(element, "Refuser : Jean-Pierre N'Diaye – Hébergement / logement").click();
    await stable();
    buttonByText(element, 'Annuler').click();
    await stable();
    http.expectNone({ method: 'POST', url: '/api/referrals/referral-1/status' });
    expect(element.querySelector('pa-refusal-form')).toBeNull();
    expect(document.activeElement?.id).toBe('orientation-referral-1-refuser');
  });

  it('offers no answer on an orientation already answered, only a link to follow it', async () => {
    await open('/orientations/recues');
    http.expectOne('/api/referrals/inbox').flush([aReferral({ status: 'in_charge', allowedTransitions: ['closed'] })]);
    await stable();
    expect(element.querySelectorAll('tbody button')).toHaveLength(0);
    expect(rows()[0]).toContain('Suivre');
  });
});
