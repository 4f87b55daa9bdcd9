import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { buttonByText, fieldByLabel, text, type, typeIn, wait } from '../../testing/dom';
import { aHitOf } from '../../testing/directory-fixtures';
import { DirectorySearchPage } from './directory-search-page';

/** The card's text, one space between blocks. */
function cardText(card: HTMLElement): string {
  return Array.from(card.querySelectorAll('h3, p, dt, dd, li'))
    .map((node) => node.textContent ?? '')
    .join(' ')
    .replace(/\s+/g, ' ');
}

/** The card's "label → value" list. */
function details(card: HTMLElement): Record<string, string> {
  return Object.fromEntries(
    Array.from(card.querySelectorAll('dl > div')).map((pair) => [
      (pair.querySelector('dt')?.textContent ?? '').trim(),
      Array.from(pair.querySelector('dd')?.childNodes ?? [])
        .filter((node) => node.nodeType !== Node.COMMENT_NODE)
        .map((node) => node.textContent ?? '')
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim(),
    ]),
  );
}

describe('DirectorySearchPage', () => {
  let fixture: ComponentFixture<DirectorySearchPage>;
  let element: HTMLElement;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(DirectorySearchPage);
    element = fixture.nativeElement;
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  async function chooseCommune(name: string, inseeCode: string): Promise<void> {
    typeIn(element.querySelector('#annuaire-commune') as HTMLInputElement, name.slice(0, 4));
    await wait(300);
    http.expectOne((r) => r.url === '/api/territory/communes').flush([{ inseeCode, name, postalCodes: ['05200'] }]);
    await fixture.whenStable();
    (element.querySelector('[role="option"]') as HTMLElement).click();
    await fixture.whenStable();
  }

  it('searches by need, commune and words, and shows each service as a card with everything an agent needs', async () => {
    type(fieldByLabel(element, 'Besoin'), '14');
    await chooseCommune('Embrun', '05046');
    type(fieldByLabel(element, 'Mots'), ' jeunes ');
    buttonByText(element, 'Rechercher').click();
    await fixture.whenStable();

    const request = http.expectOne((r) => r.url === '/api/directory/services');
    expect(request.request.params.toString()).toBe('bouquet=14&commune=05046&q=jeunes&limit=20');
    request.flush([
      aHitOf({ cost: 'free_under_conditions', costDetails: 'Selon les ressources' }, 'commune'),
      aHitOf(
        {
          id: 'service-2',
          name: 'Fonds de solidarité pour le logement',
          structure: { id: 'structure-3', name: 'Département des Hautes-Alpes', type: 'departmental_social_service', phone: null, email: null },
          stale: true,
          mobilizationUrl: 'https://www.exemple.fr/fsl',
          zone: { kind: 'communes', communes: [{ insee: '05046', name: 'Embrun' }, { insee: '05040', name: 'Chorges' }] },
          sites: [{ id: 'site-10', name: 'Bus du Département', kind: 'itinerant', communeInsee: '05040', communeName: 'Chorges' }],
        },
        'epci',
      ),
    ]);
    await fixture.whenStable();

    expect(element.querySelector('#annuaire-resultats')?.textContent).toContain('2 services pour Embrun');
    expect(text(fixture)).toContain('2 services trouvés.');
    const cards = Array.from(element.querySelectorAll('pa-service-card')) as HTMLElement[];
    expect(cards).toHaveLength(2);
    const [first, second] = cards.map(cardText);
    expect(details(cards[0])).toEqual({
      'Besoins couverts': 'Hébergement / logement',
      Publics: 'Jeunes',
      "Conditions d'accès": 'Avoir entre 16 et 25 ans.',
      Coût: 'Gratuit sous conditions : Selon les ressources',
      Accueil: 'En présentiel',
      'Comment le mobiliser': 'Se présenter, Téléphoner',
      "Zone d'intervention": 'Tout le département',
      Horaires: 'mercredi : 09h00 – 12h00, 14h00 – 17h00',
      Contact: '04 92 00 00 00',
    });
    expect(first).toContain('Logement des jeunes');
    expect(first).toContain('Mission locale des Hautes-Alpes · Mission locale');
    expect(first).toContain('Dans la commune');
    expect(first).toContain('Documents à apporter Pièce d’identité Justificatifs de ressources');
    expect(first).toContain('Lieux Antenne d’Embrun — Embrun');
    expect(first).toContain('vérifiées le 2 novembre 2026 par Lucie Faure');
    expect(first).not.toContain('À vérifier');
    expect(second).toContain('Dans l’intercommunalité');
    expect(second).toContain('À vérifier');
    expect(second).toContain('Permanence itinérante');
    expect(details(cards[1])["Zone d'intervention"]).toBe('Embrun, Chorges');
    const link = element.querySelectorAll('pa-service-card')[1].querySelector('a[href="https://www.exemple.fr/fsl"]');
    expect(link?.getAttribute('rel')).toBe('noopener');
  });

  it('searches every need when none is chosen, says when nothing matches, and shows the API’s errors', async () => {
    buttonByText(element, 'Rechercher').click();
    await fixture.whenStable();
    const all = http.expectOne((r) => r.url === '/api/directory/services');
    expect(all.request.params.toString()).toBe('limit=20');
    all.flush([]);
    await fixture.whenStable();
    expect(text(fixture)).toContain('Aucun service ne correspond à cette recherche.');
    expect(text(fixture)).toContain('Essayez un autre besoin');

    buttonByText(element, 'Rechercher').click();
    await fixture.whenStable();
    http
      .expectOne((r) => r.url === '/api/directory/services')
      .flush({ statusCode: 400, code: 'VALIDATION_FAILED', message: 'Code INSEE de commune invalide.' }, { status: 400, statusText: 'Bad Request' });
    await fixture.whenStable();
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('Code INSEE de commune invalide.');
  });
});
