import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { INDICATOR_SECTIONS, IndicatorSection, IndicatorTerritory, Role, Structure } from '@passerelle/contracts';
import { firstValueFrom } from 'rxjs';
import { buttonByText, fieldByLabel, type } from '../../testing/dom';
import { aCurrentUser, aSite } from '../../testing/fixtures';
import { AuthService } from '../core/auth/auth.service';
import { defaultPeriod } from './indicator-filters';
import { someBarriers, someContacts, someContinuity, someFlows, someReferrals } from './indicator-fixtures';
import { IndicatorReports } from './indicators.api';
import { IndicatorsPage } from './indicators-page';

const territories: IndicatorTerritory[] = [
  { code: 'epci:200067825', label: 'CC du Briançonnais', kind: 'epci' },
  { code: 'commune:05061', label: 'Gap', kind: 'commune' },
];

function aStructure(id: string, name: string): Structure {
  return { id, name, type: 'ccas', siret: null, email: null, phone: null, communeInsee: null, communeName: null, active: true, siteCount: 1 };
}

const reports: { [S in IndicatorSection]: () => IndicatorReports[S] } = {
  contacts: someContacts,
  referrals: someReferrals,
  flows: someFlows,
  barriers: someBarriers,
  continuity: someContinuity,
};

describe('IndicatorsPage', () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;
  let element: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter(
          [
            { path: 'coordination/indicateurs', component: IndicatorsPage, data: { scope: 'territory' } },
            { path: 'administration/indicateurs', component: IndicatorsPage, data: { scope: 'structure' } },
          ],
          withComponentInputBinding(),
        ),
        provideHttpClient(),
        provideHttpClientTesting(),
      ],
    });
    // jsdom has no canvas: Chart.js draws nothing, the tables are what these tests read.
    jest.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
    http = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
  });

  afterEach(() => {
    http.verify();
    harness.fixture.nativeElement.remove();
    jest.restoreAllMocks();
  });

  async function signIn(role: Role): Promise<void> {
    const login = firstValueFrom(TestBed.inject(AuthService).login({ email: 'a@b.fr', password: 'x' }));
    http.expectOne('/api/auth/login').flush(aCurrentUser(role));
    await login;
  }

  async function stable(): Promise<void> {
    await harness.fixture.whenStable();
  }

  async function open(url: string): Promise<void> {
    await harness.navigateByUrl(url, IndicatorsPage);
    element = harness.routeNativeElement as HTMLElement;
    document.body.appendChild(harness.fixture.nativeElement);
    await stable();
  }

  /** Answers the territories and (for coordinators) the structures of the filters. */
  function flushOptions(withStructures = true): void {
    http.expectOne('/api/indicators/territories').flush(territories);
    if (withStructures) http.expectOne('/api/structures').flush([aStructure('ccas', 'CCAS de Gap'), aStructure('caf', 'CAF des Hautes-Alpes')]);
  }

  /** Each section asked once with `params`; answered with its fixture. Returns nothing left pending. */
  function flushSections(params: string): void {
    for (const section of INDICATOR_SECTIONS) {
      const request = http.expectOne((r) => r.url === `/api/indicators/${section}`);
      expect(`${section}?${request.request.params.toString()}`).toBe(`${section}?${params}`);
      request.flush(reports[section]());
    }
  }

  const text = (root: Element = element) => (root.textContent ?? '').replace(/[\s\u202f\u00a0]+/g, ' ');
  const table = (id: string) => {
    const found = element.querySelector(`#${id}`);
    if (!found) throw new Error(`No table #${id}`);
    return found as HTMLTableElement;
  };
  const rows = (id: string) =>
    Array.from(table(id).querySelectorAll('tr')).map((row) =>
      Array.from(row.children)
        .map((cell) => text(cell).trim())
        .join(' | '),
    );
  /** The key figures of a section: "label = value / detail". */
  const figures = (root: Element) =>
    Array.from(root.querySelectorAll('dl > div')).map(
      (pair) => `${text(pair.querySelector('dt') ?? pair).trim()} = ${Array.from(pair.querySelectorAll('dd')).map((dd) => text(dd).trim()).join(' / ')}`,
    );
  const section = (title: string) => {
    const found = Array.from(element.querySelectorAll('section')).find((s) => s.querySelector('h2')?.textContent?.trim() === title);
    if (!found) throw new Error(`No section "${title}"`);
    return found;
  };

  it('reads the filters from the URL, sends them to every section, and applies new ones through the URL', async () => {
    await signIn('coordinator');
    await open('/coordination/indicateurs?du=2026-01-01&au=2026-03-31&territoire=epci:200067825&structure=caf&besoin=5&canal=phone&lieu=site-1');
    flushOptions();
    http.expectOne('/api/structures/caf/sites').flush([aSite({ id: 'site-1', name: 'Accueil de Gap' }), aSite({ id: 'site-2', name: 'Permanence de Veynes' })]);
    flushSections('from=2026-01-01&to=2026-03-31&territory=epci:200067825&structureId=caf&bouquet=5&channel=phone&siteId=site-1');
    await stable();

    expect(element.querySelector('h1')?.textContent).toBe('Indicateurs du territoire');
    expect(text()).toContain('Du 1 janvier 2026 au 31 mars 2026');
    expect(fieldByLabel(element, 'Du').value).toBe('2026-01-01');
    expect(fieldByLabel(element, 'Au').value).toBe('2026-03-31');
    expect(fieldByLabel(element, 'Territoire').value).toBe('epci:200067825');
    expect(fieldByLabel(element, 'Structure').value).toBe('caf');
    expect(fieldByLabel(element, 'Besoin').value).toBe('5');
    expect(fieldByLabel(element, 'Canal').value).toBe('phone');
    expect(fieldByLabel(element, "Lieu d'accueil").value).toBe('site-1');

    type(fieldByLabel(element, 'Besoin'), '');
    type(fieldByLabel(element, 'Canal'), 'email');
    type(fieldByLabel(element, 'Du'), '2026-02-01');
    buttonByText(element, 'Afficher les indicateurs').click();
    await stable();
    await stable();
    expect(TestBed.inject(Router).url).toBe(
      '/coordination/indicateurs?du=2026-02-01&au=2026-03-31&territoire=epci:200067825&structure=caf&canal=email&lieu=site-1',
    );
    flushSections('from=2026-02-01&to=2026-03-31&territory=epci:200067825&structureId=caf&channel=email&siteId=site-1');
    await stable();

    // Another structure: its sites are offered, the site chosen for the previous one is dropped.
    type(fieldByLabel(element, 'Structure'), 'ccas');
    await stable();
    http.expectOne('/api/structures/ccas/sites').flush([]);
    buttonByText(element, 'Afficher les indicateurs').click();
    await stable();
    await stable();
    expect(TestBed.inject(Router).url).toBe('/coordination/indicateurs?du=2026-02-01&au=2026-03-31&territoire=epci:200067825&structure=ccas&canal=email');
    flushSections('from=2026-02-01&to=2026-03-31&territory=epci:200067825&structureId=ccas&channel=email');
  });

  it('shows the last three full months by default, and refuses a reversed period', async () => {
    await open('/coordination/indicateurs');
    flushOptions();
    const { from, to } = defaultPeriod(new Date());
    flushSections(`from=${from}&to=${to}`);
    await stable();
    expect(fieldByLabel(element, "Lieu d'accueil").disabled).toBe(true);

    type(fieldByLabel(element, 'Du'), '2026-03-31');
    type(fieldByLabel(element, 'Au'), '2026-01-01');
    buttonByText(element, 'Afficher les indicateurs').click();
    await stable();
    expect(text()).toContain('La date de fin doit être postérieure ou égale à la date de début.');
    expect(fieldByLabel(element, 'Au').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement?.id).toBe('indicateurs-au');
    expect(TestBed.inject(Router).url).toBe('/coordination/indicateurs');
  });

  it('renders the figures of every section in tables, hidden counts as sent, with the suppression notice', async () => {
    await open('/coordination/indicateurs?du=2026-08-01&au=2026-10-31');
    flushOptions();
    flushSections('from=2026-08-01&to=2026-10-31');
    await stable();

    const notice = "Les effectifs inférieurs à 5 sont masqués (« < 5 ») pour qu'aucune personne ne puisse être reconnue.";
    expect(text().split(notice).length - 1).toBe(5);
    expect(text(section('Accueil'))).toContain('Quelques autres effectifs sont masqués (« secret »)');
    expect(text(section('Orientations'))).not.toContain('Quelques autres effectifs sont masqués');

    // Accueil: key figures and each chart's table.
    expect(figures(section('Accueil'))).toEqual([
      'Contacts = 1 234',
      'Répondus dès le premier accueil = 78 % / 962 contacts (information donnée, démarche faite, rendez-vous pris) / En dessous de la référence de 80 %',
      'Information seule = 640',
      'Contacts anonymes (sans dossier) = 210',
    ]);
    expect(rows('accueil-canal-tableau')).toEqual(['Canal | Contacts', 'Accueil physique | 800', 'Téléphone | 430', 'Visio | < 5']);
    expect(rows('accueil-reponse-tableau')).toContain('Autre | secret');
    expect(rows('accueil-besoin-tableau')).toEqual(['Besoin | Contacts', 'Prestations sociales | 512']);
    expect(rows('accueil-lieu-tableau')).toEqual(['Lieu | Contacts', 'Accueil de Gap | 1 100']);
    expect(rows('accueil-heure-tableau')).toEqual(['Heure | Contacts', '9 h | 300', '10 h | 410']);
    expect(rows('accueil-jour-tableau')).toEqual(['Jour | Contacts', 'lundi | 350', 'mardi | 280']);
    const canvas = section('Accueil').querySelector('canvas');
    expect(canvas?.getAttribute('role')).toBe('img');
    expect(canvas?.getAttribute('aria-label')).toContain('Contacts par canal, graphique en barres : Accueil physique : 800');

    // Orientations: key figures, partners (every column), outcomes, volume chart's table.
    expect(figures(section('Orientations'))).toEqual([
      'Orientations envoyées = 96',
      "Taux d'acceptation = 82,5 % / parmi les orientations qui ont reçu une réponse",
      'Délai médian de réponse = 2,5 jours',
      'Délai médian de prise en charge = 9 jours',
      "Boucle bouclée = 61 % / la structure qui oriente sait ce qu'il est advenu (refus, réorientation ou clôture)",
    ]);
    expect(rows('orientations-partenaires-tableau')).toEqual([
      "Partenaire | Envoyées | Acceptées | Refusées | Taux d'acceptation | Délai médian de réponse | Délai médian de prise en charge | Boucle bouclée | " +
        'Issue : Réalisée | Issue : Non réalisée | Issue : Personne injoignable | Issue : Abandon | Issue : Autre',
      'CAF des Hautes-Alpes | 60 | 52 | 8 | 86,7 % | 1 jour | 7,5 jours | 70 % | 30 | 6 | 0 | 0 | 0',
      'CCAS de Veynes | < 5 | < 5 | 0 | — | — | — | — | 0 | 0 | 0 | 0 | 0',
    ]);
    expect(rows('orientations-issues-tableau')).toEqual([
      'Issue | Orientations',
      'Réalisée | 40',
      'Non réalisée | 7',
      'Personne injoignable | < 5',
      'Abandon | 0',
      'Autre | 0',
    ]);
    expect(rows('orientations-volume-tableau')).toEqual(['Partenaire | Orientations', 'CAF des Hautes-Alpes | 60', 'CCAS de Veynes | < 5']);

    // Flux: the matrix, from in rows and to in columns, and what the diagram leaves out.
    expect(rows('flux-tableau')).toEqual([
      'De ↓ / vers → | CAF des Hautes-Alpes | CCAS de Gap',
      'CCAS de Gap | 12 | 0',
      'France Services du Briançonnais | 42 | < 5',
    ]);
    expect(table('flux-tableau').querySelectorAll('th[scope="col"]')).toHaveLength(3);
    expect(table('flux-tableau').querySelectorAll('th[scope="row"]')).toHaveLength(2);
    expect(table('flux-tableau').caption?.textContent).toContain('en ligne');
    expect(text(section('Flux entre structures'))).toContain('Un flux masqué (« < 5 » ou « secret ») n\'est pas dessiné');

    // Freins: bars by link, need × link and territory × link.
    expect(rows('freins-maillon-tableau')).toEqual(['Maillon | Signalements', '1. Information | 0', '6. Transports | 14', '9. Coût | < 5']);
    const needRows = rows('freins-besoin-tableau');
    expect(needRows[0]).toMatch(/^Besoin \| 1\. Information \| 2\. Prise de contact .* \| 11\. Globalité du service \(coordination\) \| Total$/);
    expect(needRows[1]).toBe('Hébergement / logement | 0 | 0 | 0 | 0 | 0 | 9 | 0 | 0 | < 5 | 0 | 0 | 12');
    expect(rows('freins-territoire-tableau')[1]).toBe('CC du Briançonnais | 0 | 0 | 0 | 0 | 0 | 7 | 0 | 0 | 0 | 0 | 0 | 7');

    // Continuité.
    expect(figures(section('Continuité des parcours'))).toEqual([
      'Personnes vues sur la période = 870',
      'Part des personnes avec un référent de parcours = 35,9 % / 312 personnes avec un référent',
      "Délai médian entre deux contacts = 23 jours / d'une même personne : depuis son contact précédent, quels qu'en soient la structure, le canal ou la date",
    ]);
    expect(figures(section("Freins d'accès"))).toEqual(["Maillons rompus signalés = 31 / lors d'un refus ou d'une orientation non aboutie"]);
    expect(rows('continuite-alertes-tableau')).toEqual([
      'Semaine | Alertes ouvertes | Alertes closes | En cours en fin de semaine',
      'Semaine du 19 oct. | 12 | 9 | 30',
      'Semaine du 26 oct. | < 5 | secret | 31',
    ]);
  });

  it('loads each section on its own: a failing one shows its error and can be asked again', async () => {
    await open('/coordination/indicateurs?du=2026-08-01&au=2026-10-31');
    flushOptions();
    const requests = INDICATOR_SECTIONS.map((name) => http.expectOne(`/api/indicators/${name}?from=2026-08-01&to=2026-10-31`));
    const [contacts, referrals, flows, barriers, continuity] = requests;
    referrals.flush({ code: 'INTERNAL_ERROR', message: 'Les indicateurs sont indisponibles.' }, { status: 500, statusText: 'Error' });
    contacts.flush(someContacts());
    barriers.flush(someBarriers());
    continuity.flush(someContinuity());
    await stable();
    expect(text(section('Orientations'))).toContain('Les indicateurs sont indisponibles.');
    expect(text(section('Flux entre structures'))).toContain('Chargement des indicateurs : Flux entre structures…');
    expect(rows('accueil-canal-tableau')).toHaveLength(4);

    flows.flush(someFlows({ flows: [] }));
    buttonByText(section('Orientations') as HTMLElement, 'Réessayer : Orientations').click();
    await stable();
    http.expectOne('/api/indicators/referrals?from=2026-08-01&to=2026-10-31').flush(someReferrals());
    await stable();
    expect(text(section('Orientations'))).not.toContain('Les indicateurs sont indisponibles.');
    expect(rows('orientations-partenaires-tableau')).toHaveLength(3);
    expect(text(section('Flux entre structures'))).toContain('Aucune orientation entre structures pour ces filtres.');
  });

  it("gives a structure admin their structure's figures, or the territory's with scope=territory", async () => {
    await signIn('structure_admin');
    await open('/administration/indicateurs?du=2026-08-01&au=2026-10-31');
    flushOptions(false);
    http.expectOne('/api/structures/structure-1/sites').flush([aSite()]);
    flushSections('from=2026-08-01&to=2026-10-31&structureId=structure-1');
    await stable();
    expect(element.querySelector('h1')?.textContent).toBe('Indicateurs de la structure');
    expect(text()).toContain('CCAS de Gap');
    expect(element.querySelector('#indicateurs-structure')).toBeNull();
    expect((element.querySelector('#indicateurs-perimetre-structure') as HTMLInputElement).checked).toBe(true);

    type(fieldByLabel(element, "Lieu d'accueil"), 'site-1');
    (element.querySelector('#indicateurs-perimetre-territoire') as HTMLInputElement).click();
    await stable();
    expect(fieldByLabel(element, "Lieu d'accueil").disabled).toBe(true);
    buttonByText(element, 'Afficher les indicateurs').click();
    await stable();
    await stable();
    expect(TestBed.inject(Router).url).toBe('/administration/indicateurs?du=2026-08-01&au=2026-10-31&perimetre=territoire');
    flushSections('from=2026-08-01&to=2026-10-31&scope=territory');
  });

  it('moves to a section from the summary', async () => {
    await open('/coordination/indicateurs?du=2026-08-01&au=2026-10-31');
    flushOptions();
    flushSections('from=2026-08-01&to=2026-10-31');
    await stable();
    const links = Array.from(element.querySelectorAll<HTMLAnchorElement>('.fr-summary a'));
    expect(links.map((link) => link.textContent?.trim())).toEqual(['Accueil', 'Orientations', 'Flux entre structures', "Freins d'accès", 'Continuité des parcours']);
    links[3].click();
    expect(document.activeElement?.id).toBe('indicateurs-freins');
    expect(TestBed.inject(Router).url).toBe('/coordination/indicateurs?du=2026-08-01&au=2026-10-31');
  });
});
