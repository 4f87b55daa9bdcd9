import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { Structure } from '@passerelle/contracts';
import { buttonByText, fieldByLabel, type } from '../../testing/dom';
import { aSummary } from '../continuity/continuity-fixtures';
import { CoordinationHomePage } from './coordination-home-page';

function aStructure(id: string, name: string, type: Structure['type']): Structure {
  return { id, name, type, siret: null, email: null, phone: null, communeInsee: null, communeName: 'Gap', active: true, siteCount: 2 };
}

describe('CoordinationHomePage', () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;
  let element: HTMLElement;

  const text = () => (element.textContent ?? '').replace(/\s+/g, ' ');
  const summaryRequest = () => http.expectOne((request) => request.url === '/api/continuity/summary');

  async function stable(): Promise<void> {
    await harness.fixture.whenStable();
  }

  async function open(url: string): Promise<void> {
    await harness.navigateByUrl(url, CoordinationHomePage);
    element = harness.routeNativeElement as HTMLElement;
    document.body.appendChild(harness.fixture.nativeElement);
    http.expectOne('/api/structures').flush([aStructure('structure-1', 'CCAS de Gap', 'ccas'), aStructure('structure-2', 'Mairie de Veynes', 'mairie')]);
    http.expectOne('/api/indicators/territories').flush([
      { code: 'commune:05061', label: 'Gap', kind: 'commune' },
      { code: 'epci:200067254', label: 'CA Gap-Tallard-Durance', kind: 'epci' },
    ]);
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'coordination', component: CoordinationHomePage }], withComponentInputBinding()),
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

  it('shows a tile per kind with its count and threshold, leading to the alerts of that kind', async () => {
    await open('/coordination');
    const request = summaryRequest();
    expect(request.request.params.keys()).toEqual([]);
    request.flush(aSummary());
    await stable();

    expect(text()).toContain('7 alertes en cours – Tout le département');
    expect(text()).toContain('dont 2 acquittées par leur structure.');
    const tiles = Array.from(element.querySelectorAll('.fr-tile')).map((tile) => ({
      text: (tile.textContent ?? '').replace(/\s+/g, ' ').trim(),
      href: tile.querySelector('a')?.getAttribute('href'),
    }));
    expect(tiles).toHaveLength(6);
    expect(tiles[0].text).toContain('Orientation sans réponse');
    expect(tiles[0].text).toContain('3 alertes');
    expect(tiles[0].text).toContain('Seuil : 15 jours');
    expect(tiles[0].href).toBe('/coordination/alertes?type=referral_unanswered&etat=all');
    expect(tiles[1].text).toContain('Aucune alerte');
    expect(tiles[3].text).toContain('1 alerte');
    expect(tiles[4].text).toContain('Seuil : 90 jours');
  });

  it('tabulates the counts by structure and kind, each count linking to its alerts', async () => {
    await open('/coordination');
    summaryRequest().flush(aSummary());
    await stable();

    const table = element.querySelector('table') as HTMLTableElement;
    expect(table.querySelector('caption')?.textContent).toContain('Alertes en cours par structure qui doit agir et par type de rupture');
    const columns = Array.from(table.querySelectorAll('thead th')).map((th) => th.getAttribute('scope') + ':' + th.textContent?.trim());
    expect(columns[0]).toBe('col:Structure');
    expect(columns[1]).toBe('col:Orientation sans réponse');
    expect(columns[7]).toBe('col:Total');
    // Most alerts first; the structures without alert are left out.
    const rowHeaders = Array.from(table.querySelectorAll('tbody th[scope="row"]')).map((th) => th.textContent?.trim());
    expect(rowHeaders).toEqual(['CCAS de Gap', 'France Services du Briançonnais']);

    const links = Array.from(table.querySelectorAll('tbody tr:first-child a')).map((a) => [
      (a.textContent ?? '').replace(/\s+/g, ' ').trim(),
      a.getAttribute('href'),
    ]);
    expect(links).toEqual([
      ['3 : Orientation sans réponse, CCAS de Gap', '/coordination/alertes?structure=structure-1&etat=all&type=referral_unanswered'],
      ['1 : Demande ouverte sans référent de parcours, CCAS de Gap', '/coordination/alertes?structure=structure-1&etat=all&type=request_without_referent'],
      ['4 : toutes les alertes, CCAS de Gap', '/coordination/alertes?structure=structure-1&etat=all'],
    ]);

    const hrefs = Array.from(element.querySelectorAll('a')).map((a) => a.getAttribute('href'));
    expect(hrefs).toContain('/coordination/indicateurs');
    expect(hrefs).toContain('/coordination/seuils');
    // The structures of the territory are still there.
    expect(text()).toContain('2 structures actives');
  });

  it('filters by territory through the URL', async () => {
    await open('/coordination?territoire=epci:200067254');
    const first = summaryRequest();
    expect(first.request.params.toString()).toBe('territory=epci:200067254');
    first.flush(aSummary());
    await stable();
    const territory = fieldByLabel(element, 'Territoire') as HTMLSelectElement;
    expect(territory.value).toBe('epci:200067254');
    expect(text()).toContain('7 alertes en cours – CA Gap-Tallard-Durance');
    expect(element.querySelector('.fr-tile a')?.getAttribute('href')).toBe('/coordination/alertes?type=referral_unanswered&etat=all&territoire=epci:200067254');

    type(territory, 'commune:05061');
    buttonByText(element, 'Afficher').click();
    await stable();
    await stable();
    expect(TestBed.inject(Router).url).toBe('/coordination?territoire=commune:05061');
    const second = summaryRequest();
    expect(second.request.params.toString()).toBe('territory=commune:05061');
    second.flush(aSummary({ totals: { ...aSummary().totals, referral_unanswered: 0, request_without_referent: 0, request_without_contact: 0 }, acknowledged: 0, byStructure: [] }));
    await stable();
    expect(text()).toContain('Aucune alerte en cours – Gap');
    expect(text()).toContain("Aucune structure n'a d'alerte en cours sur ce territoire.");

    type(fieldByLabel(element, 'Territoire'), '');
    buttonByText(element, 'Afficher').click();
    await stable();
    await stable();
    expect(TestBed.inject(Router).url).toBe('/coordination');
    summaryRequest().flush(aSummary());
    await stable();
  });
});
