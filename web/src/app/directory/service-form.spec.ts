import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { DirectoryService } from '@passerelle/contracts';
import { buttonByText, fieldByLabel, text, type, typeIn, wait } from '../../testing/dom';
import { aService } from '../../testing/directory-fixtures';
import { aSite } from '../../testing/fixtures';
import { ServiceForm } from './service-form';

describe('ServiceForm', () => {
  let fixture: ComponentFixture<ServiceForm>;
  let element: HTMLElement;
  let http: HttpTestingController;
  let saved: DirectoryService[];

  async function render(service: DirectoryService | null = null): Promise<void> {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ServiceForm);
    fixture.componentRef.setInput('structureId', 'structure-1');
    fixture.componentRef.setInput('service', service);
    saved = [];
    fixture.componentInstance.saved.subscribe((s) => saved.push(s));
    element = fixture.nativeElement;
    await fixture.whenStable();
    http.expectOne('/api/structures/structure-1/sites').flush([
      aSite(),
      aSite({ id: 'site-2', name: 'Permanence de Veynes', kind: 'itinerant', communeName: 'Veynes', recurrenceLabel: 'le mardi matin' }),
      aSite({ id: 'site-3', name: 'Ancien accueil', active: false }),
    ]);
    await fixture.whenStable();
  }

  function check(label: string): void {
    const box = fieldByLabel(element, label) as HTMLInputElement;
    box.checked = !box.checked;
    box.dispatchEvent(new Event('change'));
  }

  afterEach(() => http.verify());

  it('creates a service with every field, the documents one per line and the zone’s communes', async () => {
    await render();
    expect(document.activeElement?.id).toBe('service-nom');
    type(fieldByLabel(element, 'Nom du service'), '  Aide alimentaire  ');
    type(fieldByLabel(element, 'Description'), 'Colis alimentaires.');
    check('10. Aide et accompagnement social');
    check('Familles');
    type(fieldByLabel(element, "Conditions d'accès"), 'Habiter Gap.');
    (fieldByLabel(element, 'Payant') as HTMLInputElement).click();
    type(fieldByLabel(element, 'Précisions sur le coût'), '10 % du prix');
    check('En présentiel');
    check('Se présenter');
    type(fieldByLabel(element, 'Documents à apporter'), 'Pièce d’identité\n\n  Justificatif de domicile  \n');
    type(fieldByLabel(element, 'Horaires du service'), 'Tu,Th 14:00-17:00');
    // Only the open sites are offered.
    expect(element.textContent).not.toContain('Ancien accueil');
    check('Permanence de Veynes');
    (fieldByLabel(element, 'Certaines communes') as HTMLInputElement).click();
    await fixture.whenStable();
    typeIn(element.querySelector('#service-zone-commune') as HTMLInputElement, 'Gap');
    await wait(300);
    http.expectOne((r) => r.url === '/api/territory/communes').flush([{ inseeCode: '05061', name: 'Gap', postalCodes: ['05000'] }]);
    await fixture.whenStable();
    (element.querySelector('#service-zone-commune-listbox [role="option"]') as HTMLElement).click();
    await fixture.whenStable();
    expect(text(fixture)).toContain('Commune ajoutée à la zone : Gap.');
    expect((element.querySelector('#service-zone-commune') as HTMLInputElement).value).toBe('');
    type(element.querySelector('#service-telephone') as HTMLInputElement, '04 92 53 24 00');

    buttonByText(element, 'Enregistrer le service').click();
    await fixture.whenStable();
    const request = http.expectOne({ method: 'POST', url: '/api/structures/structure-1/services' });
    expect(request.request.body).toEqual({
      name: 'Aide alimentaire',
      description: 'Colis alimentaires.',
      bouquets: [10],
      thematiques: [],
      publics: ['familles'],
      accessConditions: 'Habiter Gap.',
      cost: 'paid',
      costDetails: '10 % du prix',
      receptionModes: ['in_person'],
      mobilizationModes: ['show_up'],
      mobilizationUrl: null,
      documentsToBring: ['Pièce d’identité', 'Justificatif de domicile'],
      openingHours: 'Tu,Th 14:00-17:00',
      zoneKind: 'communes',
      zoneCommunes: ['05061'],
      siteIds: ['site-2'],
      contactPhone: '04 92 53 24 00',
      contactEmail: null,
      website: null,
    });
    request.flush(aService({ id: 'service-9', name: 'Aide alimentaire' }));
    await fixture.whenStable();
    expect(saved.map((s) => s.id)).toEqual(['service-9']);
  });

  it('asks for a name and a need before sending, and shows the API’s message under the opening hours', async () => {
    await render();
    buttonByText(element, 'Enregistrer le service').click();
    await fixture.whenStable();
    http.expectNone('/api/structures/structure-1/services');
    expect(text(fixture)).toContain('Saisissez le nom du service.');
    expect(text(fixture)).toContain('Cochez au moins un besoin couvert.');
    expect(document.activeElement?.id).toBe('service-nom');

    type(fieldByLabel(element, 'Nom du service'), 'Service');
    buttonByText(element, 'Enregistrer le service').click();
    await fixture.whenStable();
    expect(document.activeElement?.id).toBe('service-besoin-1');

    check('14. Hébergement / logement');
    type(fieldByLabel(element, 'Horaires du service'), 'le lundi');
    buttonByText(element, 'Enregistrer le service').click();
    await fixture.whenStable();
    const message = 'Horaires invalides : utilisez la syntaxe OpenStreetMap, par ex. « Mo-Fr 08:30-12:00,13:30-17:00 » ou « Tu 09:00-12:00 ».';
    http
      .expectOne('/api/structures/structure-1/services')
      .flush(
        { statusCode: 400, code: 'VALIDATION_FAILED', message: 'La requête contient des données invalides.', details: [{ field: 'openingHours', messages: [message] }] },
        { status: 400, statusText: 'Bad Request' },
      );
    await fixture.whenStable();
    expect(element.querySelector('#service-horaires-messages')?.textContent).toContain(message);
    expect(fieldByLabel(element, 'Horaires du service').getAttribute('aria-invalid')).toBe('true');
    expect(saved).toEqual([]);
  });

  it('edits an existing service, filled in, with PATCH', async () => {
    await render(aService({ zone: { kind: 'communes', communes: [{ insee: '05046', name: 'Embrun' }] }, sites: [] }));
    expect((fieldByLabel(element, 'Nom du service') as HTMLInputElement).value).toBe('Logement des jeunes');
    expect((fieldByLabel(element, '14. Hébergement / logement') as HTMLInputElement).checked).toBe(true);
    expect((fieldByLabel(element, 'Documents à apporter') as HTMLTextAreaElement).value).toBe('Pièce d’identité\nJustificatifs de ressources');
    expect(element.querySelector('.fr-tags-group')?.textContent).toContain('Embrun');
    // The service's second-level thématique is kept, shown with its parent's label.
    expect(
      (fieldByLabel(element, 'Logement et hébergement — etre accompagne pour se loger') as HTMLInputElement).checked,
    ).toBe(true);

    buttonByText(element, 'Embrun : retirer de la zone').click();
    (fieldByLabel(element, 'Tout le département') as HTMLInputElement).click();
    await fixture.whenStable();
    buttonByText(element, 'Enregistrer le service').click();
    await fixture.whenStable();
    const request = http.expectOne({ method: 'PATCH', url: '/api/services/service-1' });
    expect(request.request.body).toMatchObject({ name: 'Logement des jeunes', zoneKind: 'departement', zoneCommunes: [], bouquets: [14] });
    request.flush(aService());
    await fixture.whenStable();
    expect(saved).toHaveLength(1);
  });
});
