import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { Structure } from '@passerelle/contracts';
import { buttonByText, fieldByLabel, type, typeIn } from '../../testing/dom';
import { AlertsPage } from './alerts-page';
import { anAlert, anUnsharedRequestAlert, aPage, forCoordinator } from './continuity-fixtures';

function aStructure(id: string, name: string): Structure {
  return { id, name, type: 'ccas', siret: null, email: null, phone: null, communeInsee: null, communeName: null, active: true, siteCount: 1 };
}

describe('AlertsPage', () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;
  let element: HTMLElement;

  async function open(url: string): Promise<void> {
    await harness.navigateByUrl(url, AlertsPage);
    element = harness.routeNativeElement as HTMLElement;
    document.body.appendChild(harness.fixture.nativeElement);
  }

  async function stable(): Promise<void> {
    await harness.fixture.whenStable();
  }

  const text = () => (element.textContent ?? '').replace(/\s+/g, ' ');
  const rows = () => Array.from(element.querySelectorAll('tbody tr')).map((row) => (row.textContent ?? '').replace(/\s+/g, ' '));
  const headers = () => Array.from(element.querySelectorAll('thead th')).map((th) => (th.textContent ?? '').trim());
  const alertsRequest = () => http.expectOne((request) => request.url === '/api/continuity/alerts');

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter(
          [
            { path: 'ruptures', component: AlertsPage, data: { scope: 'structure' } },
            { path: 'coordination/alertes', component: AlertsPage, data: { scope: 'coordinator' } },
          ],
          withComponentInputBinding(),
        ),
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

  describe('for a structure (/ruptures)', () => {
    it('lists the alerts: person linked to the file or "Identité non partagée", kind, need, other structure, delay, start', async () => {
      await open('/ruptures');
      const request = alertsRequest();
      expect(request.request.params.toString()).toBe('state=open&limit=20&offset=0');
      request.flush(aPage([anAlert(), anUnsharedRequestAlert()]));
      await stable();

      expect(headers()[0]).toBe('Personne');
      const [first, second] = rows();
      expect(first).toContain("Jean-Pierre N'Diaye");
      expect(first).toContain('Orientation sans réponse');
      expect(first).toContain('Hébergement / logement');
      expect(first).toContain('France Services du Briançonnais');
      expect(first).toContain('depuis 20 jours (seuil : 15)');
      expect(first).toContain('début : 01/11/2026');
      expect(first).toContain('À traiter');
      expect(second).toContain('Identité non partagée');
      expect(second).toContain('Demande ouverte sans contact');
      expect(second).toContain('Prestations sociales');
      expect(text()).toContain('2 alertes à traiter');

      const personLinks = Array.from(element.querySelectorAll('tbody th a')).map((a) => a.getAttribute('href'));
      expect(personLinks).toEqual(['/personnes/person-1']);
      expect(element.querySelector('tbody tr:nth-child(2) th a')).toBeNull();
      expect(element.querySelector('tbody tr:nth-child(2) th .pa-not-shared')?.textContent).toContain('Identité non partagée');
      // "Agir": the orientation for an orientation's alert, the person's file for a request's.
      const act = Array.from(element.querySelectorAll('tbody a.fr-btn')).map((a) => [(a.textContent ?? '').trim().replace(/\s+/g, ' '), a.getAttribute('href')]);
      expect(act).toEqual([
        ["Agir : Orientation sans réponse – Jean-Pierre N'Diaye", '/orientations/referral-1'],
        ['Agir : Demande ouverte sans contact – Identité non partagée', '/personnes/person-2'],
      ]);
      expect(element.querySelector('.fr-tag')?.textContent?.trim()).toBe('Orientation sans réponse');
    });

    it('says "Identité non partagée" when the API gives no person at all, and offers the orientation only', async () => {
      await open('/ruptures');
      alertsRequest().flush(aPage([forCoordinator(anAlert()), forCoordinator(anUnsharedRequestAlert())]));
      await stable();
      expect(rows()[0]).toContain('Identité non partagée');
      expect(rows()[1]).toContain('Identité non partagée');
      expect(element.querySelector('a[href^="/personnes"]')).toBeNull();
      const act = Array.from(element.querySelectorAll('tbody a.fr-btn')).map((a) => a.getAttribute('href'));
      expect(act).toEqual(['/orientations/referral-1']);
    });

    it('reads its filters from the URL and applies new ones through it, back to the first page', async () => {
      await open('/ruptures?type=referral_unanswered&etat=all&page=2&structure=ignored');
      const first = alertsRequest();
      // A structure's list never sends the coordinator's filters.
      expect(first.request.params.toString()).toBe('kind=referral_unanswered&state=all&limit=20&offset=20');
      first.flush(aPage([anAlert()], { total: 21, offset: 20 }));
      await stable();
      expect((fieldByLabel(element, 'Type de rupture') as HTMLSelectElement).value).toBe('referral_unanswered');
      expect((fieldByLabel(element, 'État') as HTMLSelectElement).value).toBe('all');
      expect(text()).toContain('21 alertes pour ces filtres – page 2 sur 2');
      expect(element.querySelector('.fr-pagination [aria-current="page"]')?.textContent?.trim()).toBe('2');

      type(fieldByLabel(element, 'Type de rupture'), 'request_without_contact');
      type(fieldByLabel(element, 'État'), 'acknowledged');
      buttonByText(element, 'Filtrer').click();
      await stable();
      await stable();
      // …and tidies them out of the URL.
      expect(TestBed.inject(Router).url).toBe('/ruptures?type=request_without_contact&etat=acknowledged');
      const second = alertsRequest();
      expect(second.request.params.toString()).toBe('kind=request_without_contact&state=acknowledged&limit=20&offset=0');
      second.flush(aPage([]));
      await stable();
      expect(text()).toContain('Aucune alerte pour ces filtres');
    });

    it('pages through the alerts in the URL, keeping the filters', async () => {
      await open('/ruptures?type=referral_unanswered');
      alertsRequest().flush(aPage([anAlert()], { total: 45 }));
      await stable();
      const next = Array.from(element.querySelectorAll<HTMLAnchorElement>('.fr-pagination a')).find((a) => a.textContent?.trim() === 'Page suivante');
      expect(next?.getAttribute('href')).toBe('/ruptures?type=referral_unanswered&page=2');
      expect(element.querySelector('.fr-pagination__link--prev')?.getAttribute('aria-disabled')).toBe('true');
      next?.click();
      await stable();
      expect(alertsRequest().request.params.get('offset')).toBe('20');
    });

    it('acknowledges with an optional comment: posts {key, comment}, updates the row and announces it', async () => {
      await open('/ruptures');
      alertsRequest().flush(aPage([anAlert()]));
      await stable();

      buttonByText(element, "Acquitter : Orientation sans réponse – Jean-Pierre N'Diaye").click();
      await stable();
      const comment = fieldByLabel(element, 'Commentaire') as unknown as HTMLTextAreaElement;
      expect(document.activeElement).toBe(comment);
      expect(text()).toContain("Ne notez ici ni information de santé ni contenu d'entretien");
      expect(comment.getAttribute('aria-describedby')).toContain('-commentaire-compteur');

      // Too long: nothing is sent, the message is under the field.
      typeIn(comment, 'x'.repeat(1001));
      await stable();
      expect(text()).toContain('1001 caractères sur 1000');
      buttonByText(element, "Confirmer l'acquittement").click();
      await stable();
      http.expectNone({ method: 'POST', url: '/api/continuity/alerts/acknowledgements' });
      expect(text()).toContain('Le commentaire comporte au plus 1000 caractères.');
      expect(comment.getAttribute('aria-invalid')).toBe('true');

      typeIn(comment, '  Rappel du partenaire prévu lundi.  ');
      await stable();
      buttonByText(element, "Confirmer l'acquittement").click();
      await stable();
      const request = http.expectOne({ method: 'POST', url: '/api/continuity/alerts/acknowledgements' });
      expect(request.request.body).toEqual({ key: anAlert().key, comment: 'Rappel du partenaire prévu lundi.' });
      request.flush(
        anAlert({
          acknowledgement: { at: '2026-11-21T10:15:00.000Z', userName: 'Marie Curie', structureName: 'CCAS de Gap', comment: 'Rappel du partenaire prévu lundi.' },
        }),
      );
      await stable();

      expect(rows()).toHaveLength(1);
      expect(rows()[0]).toContain('Acquittée');
      expect(rows()[0]).toContain('le 21/11/2026 par Marie Curie (CCAS de Gap)');
      expect(rows()[0]).toContain('« Rappel du partenaire prévu lundi. »');
      expect(element.querySelector('pa-acknowledge-form')).toBeNull();
      expect(element.querySelectorAll('tbody button')).toHaveLength(0);
      expect(element.querySelector('pa-status-message')?.getAttribute('role')).toBe('status');
      expect(element.querySelector('pa-status-message')?.textContent).toContain("Alerte acquittée : Orientation sans réponse – Jean-Pierre N'Diaye.");
      expect(document.activeElement?.id).toMatch(/-acquittement$/);
    });

    it('sends no comment when it is left empty, and "Annuler" gives the focus back', async () => {
      await open('/ruptures');
      alertsRequest().flush(aPage([anAlert()]));
      await stable();
      buttonByText(element, "Acquitter : Orientation sans réponse – Jean-Pierre N'Diaye").click();
      await stable();
      buttonByText(element, 'Annuler').click();
      await stable();
      expect(element.querySelector('pa-acknowledge-form')).toBeNull();
      expect(document.activeElement?.id).toMatch(/-acquitter$/);

      buttonByText(element, "Acquitter : Orientation sans réponse – Jean-Pierre N'Diaye").click();
      await stable();
      buttonByText(element, "Confirmer l'acquittement").click();
      await stable();
      const request = http.expectOne({ method: 'POST', url: '/api/continuity/alerts/acknowledgements' });
      expect(request.request.body).toEqual({ key: anAlert().key });
      request.flush({ statusCode: 404, code: 'NOT_FOUND', message: 'Cette alerte est close.' }, { status: 404, statusText: 'Not Found' });
      await stable();
      expect(element.querySelector('pa-acknowledge-form [role="alert"]')?.textContent).toContain('Cette alerte est close.');
    });

    it('shows the thresholds of the territory on demand, read-only', async () => {
      await open('/ruptures');
      alertsRequest().flush(aPage([]));
      await stable();
      expect(text()).toContain('Aucune alerte à traiter');
      const toggle = buttonByText(element, 'Seuils du territoire');
      expect(toggle.getAttribute('aria-expanded')).toBe('false');
      toggle.click();
      await stable();
      http.expectOne('/api/continuity/thresholds').flush({
        referral_unanswered: 10,
        referral_not_in_charge: 15,
        referral_failed_no_followup: 15,
        request_without_referent: 30,
        accompaniment_lost_contact: 90,
        request_without_contact: 45,
      });
      await stable();
      expect(toggle.getAttribute('aria-expanded')).toBe('true');
      expect(text()).toContain('Orientation sans réponse : 10 jours');
      expect(text()).toContain('Personne accompagnée perdue de vue : 90 jours');
      expect(element.querySelectorAll('#seuils-du-territoire input')).toHaveLength(0);
    });
  });

  describe('for a coordinator (/coordination/alertes)', () => {
    async function openAsCoordinator(url: string): Promise<void> {
      await open(url);
      http.expectOne('/api/structures').flush([aStructure('structure-3', 'France Services du Briançonnais'), aStructure('structure-1', 'CCAS de Gap')]);
      http.expectOne('/api/indicators/territories').flush([
        { code: 'commune:05061', label: 'Gap', kind: 'commune' },
        { code: 'epci:200067254', label: "CA Gap-Tallard-Durance", kind: 'epci' },
      ]);
    }

    it('lists every alert by structure that must act, never with a person column, each leading to its page', async () => {
      await openAsCoordinator('/coordination/alertes');
      alertsRequest().flush(aPage([forCoordinator(anAlert()), forCoordinator(anUnsharedRequestAlert())]));
      await stable();

      expect(headers()).toEqual(['Structure qui doit agir', 'Rupture', 'Besoin', 'Autre structure', 'Depuis', 'Acquittement', 'Actions']);
      expect(headers()).not.toContain('Personne');
      expect(text()).not.toContain('Identité non partagée');
      expect(text()).not.toContain("Jean-Pierre N'Diaye");
      expect(rows()[0]).toContain('CCAS de Gap');
      expect(element.querySelector('a[href^="/personnes"]')).toBeNull();
      expect(element.querySelector('a[href^="/orientations"]')).toBeNull();
      const see = element.querySelector<HTMLAnchorElement>('tbody a.fr-btn');
      expect(see?.textContent?.replace(/\s+/g, ' ').trim()).toBe('Voir : Orientation sans réponse – CCAS de Gap');
      expect(see?.getAttribute('href')).toBe('/coordination/alertes/referral_unanswered~referral-1~2026-11-01T09:00:00.000Z');
    });

    it('filters by structure, territory, kind and state, in the URL and the request', async () => {
      await openAsCoordinator('/coordination/alertes?structure=structure-1&type=referral_unanswered&etat=all');
      const first = alertsRequest();
      expect(first.request.params.toString()).toBe('kind=referral_unanswered&structureId=structure-1&state=all&limit=20&offset=0');
      first.flush(aPage([forCoordinator(anAlert())]));
      await stable();
      expect((fieldByLabel(element, 'Structure qui doit agir') as HTMLSelectElement).value).toBe('structure-1');
      const structureOptions = Array.from((fieldByLabel(element, 'Structure qui doit agir') as HTMLSelectElement).options).map((o) => o.text);
      expect(structureOptions).toEqual(['Toutes les structures', 'CCAS de Gap', 'France Services du Briançonnais']);
      const territory = fieldByLabel(element, 'Territoire') as HTMLSelectElement;
      expect(Array.from(territory.querySelectorAll('optgroup')).map((g) => g.label)).toEqual(['Intercommunalités', 'Communes']);

      type(fieldByLabel(element, 'Structure qui doit agir'), '');
      type(territory, 'epci:200067254');
      type(fieldByLabel(element, 'Type de rupture'), '');
      buttonByText(element, 'Filtrer').click();
      await stable();
      await stable();
      expect(TestBed.inject(Router).url).toBe('/coordination/alertes?etat=all&territoire=epci:200067254');
      const second = alertsRequest();
      expect(second.request.params.toString()).toBe('territory=epci:200067254&state=all&limit=20&offset=0');
      second.flush(aPage([]));
      await stable();
    });
  });
});
