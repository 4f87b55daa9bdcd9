import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Title } from '@angular/platform-browser';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { buttonByText, fieldByLabel, typeIn } from '../../testing/dom';
import { AlertPage } from './alert-page';
import { anAlert, forCoordinator } from './continuity-fixtures';

describe('AlertPage', () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;
  let element: HTMLElement;

  const key = anAlert().key;
  const apiUrl = `/api/continuity/alerts/${encodeURIComponent(key)}`;
  const text = () => (element.textContent ?? '').replace(/\s+/g, ' ');
  /** The value next to a term of the details list. */
  const detail = (term: string) => {
    const dt = Array.from(element.querySelectorAll('dt')).find((d) => d.textContent?.trim() === term);
    return (dt?.nextElementSibling?.textContent ?? '').replace(/\s+/g, ' ').trim();
  };

  async function open(): Promise<void> {
    await harness.navigateByUrl(`/coordination/alertes/${encodeURIComponent(key)}`, AlertPage);
    element = harness.routeNativeElement as HTMLElement;
    document.body.appendChild(harness.fixture.nativeElement);
  }

  async function stable(): Promise<void> {
    await harness.fixture.whenStable();
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'coordination/alertes/:key', component: AlertPage }], withComponentInputBinding()),
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

  it('shows everything of the alert, with its key encoded in the request, and no person', async () => {
    await open();
    http.expectOne(apiUrl).flush(forCoordinator(anAlert()));
    await stable();

    expect(element.querySelector('h1')?.textContent).toContain('Rupture de parcours : Orientation sans réponse');
    expect(text()).toContain('À traiter');
    expect(text()).toContain('Orientation envoyée, ni acceptée ni refusée');
    expect(detail('Structure qui doit agir')).toBe('CCAS de Gap');
    expect(detail('Autre structure concernée')).toBe('France Services du Briançonnais');
    expect(detail('Concerne')).toBe('Une orientation');
    expect(detail('Besoin')).toBe('Hébergement / logement');
    expect(detail('Début de la rupture')).toBe('01/11/2026');
    expect(detail('Durée')).toBe('depuis 20 jours (seuil : 15 jours)');
    expect(text()).toContain("Personne n'a encore acquitté cette alerte.");
    expect(element.querySelector('a[href^="/personnes"]')).toBeNull();
  });

  it('acknowledges the alert from its page and shows who did', async () => {
    await open();
    http.expectOne(apiUrl).flush(forCoordinator(anAlert()));
    await stable();

    buttonByText(element, "Acquitter l'alerte").click();
    await stable();
    const comment = fieldByLabel(element, 'Commentaire') as unknown as HTMLTextAreaElement;
    expect(document.activeElement).toBe(comment);
    typeIn(comment, 'Point prévu au comité de suivi.');
    await stable();
    buttonByText(element, "Confirmer l'acquittement").click();
    await stable();
    const request = http.expectOne({ method: 'POST', url: '/api/continuity/alerts/acknowledgements' });
    expect(request.request.body).toEqual({ key, comment: 'Point prévu au comité de suivi.' });
    request.flush(
      forCoordinator(
        anAlert({ acknowledgement: { at: '2026-11-21T10:15:00.000Z', userName: 'Marie Curie', structureName: null, comment: 'Point prévu au comité de suivi.' } }),
      ),
    );
    await stable();
    expect(text()).toContain('Alerte acquittée.');
    expect(text()).toMatch(/Acquittée le 21\/11\/2026 à \d\d:\d\d par Marie Curie/);
    expect(text()).toContain('Point prévu au comité de suivi.');
    expect(element.querySelector('pa-acknowledge-form')).toBeNull();
    expect(document.activeElement?.id).toBe('alerte-acquittement');
  });

  it('reads the key back from the link the lists build (with its "~" and ":" left as they are)', async () => {
    await harness.navigateByUrl(`/coordination/alertes/${key}`, AlertPage);
    element = harness.routeNativeElement as HTMLElement;
    http.expectOne(apiUrl).flush(forCoordinator(anAlert()));
    await stable();
    expect(element.querySelector('h1')?.textContent).toContain('Orientation sans réponse');
  });

  it('says the alert is closed when the API no longer knows it (404)', async () => {
    await open();
    http.expectOne(apiUrl).flush({ statusCode: 404, code: 'NOT_FOUND', message: 'Alerte introuvable.' }, { status: 404, statusText: 'Not Found' });
    await stable();
    expect(element.querySelector('h1')?.textContent).toContain('Alerte close');
    expect(text()).toContain('Cette alerte est close');
    expect(element.querySelector('a.fr-btn')?.getAttribute('href')).toBe('/coordination/alertes');
    expect(TestBed.inject(Title).getTitle()).toBe('Alerte close – Passerelle');
  });
});
