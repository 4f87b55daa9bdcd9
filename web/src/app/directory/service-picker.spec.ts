import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { DirectorySearchHit } from '@passerelle/contracts';
import { fieldByLabel, text, typeIn, wait } from '../../testing/dom';
import { aHitOf } from '../../testing/directory-fixtures';
import { ServicePicker } from './service-picker';

describe('ServicePicker', () => {
  let fixture: ComponentFixture<ServicePicker>;
  let element: HTMLElement;
  let http: HttpTestingController;
  let chosen: DirectorySearchHit[];

  const hits = [
    aHitOf({ id: 'service-1', name: 'Logement des jeunes' }, 'commune'),
    aHitOf(
      {
        id: 'service-2',
        name: 'Fonds de solidarité pour le logement',
        structure: { id: 'structure-3', name: 'Département', type: 'departmental_social_service', phone: null, email: null },
        sites: [{ id: 'site-2', name: 'CMS de Gap', kind: 'fixed', communeInsee: '05061', communeName: 'Gap' }],
        stale: true,
      },
      'departement',
    ),
  ];

  async function searched(): Promise<URLSearchParams> {
    await wait(250);
    const request = http.expectOne((r) => r.url === '/api/directory/services');
    const params = new URLSearchParams(request.request.params.toString());
    request.flush(hits);
    await fixture.whenStable();
    return params;
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ServicePicker);
    fixture.componentRef.setInput('bouquet', 14);
    fixture.componentRef.setInput('commune', '05046');
    chosen = [];
    fixture.componentInstance.chosen.subscribe((hit) => chosen.push(hit));
    element = fixture.nativeElement;
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  it('lists the services for the need near the commune, without the caller’s own structure, one radio each', async () => {
    const params = await searched();
    expect(Object.fromEntries(params)).toEqual({ bouquet: '14', commune: '05046', excludeOwn: 'true', limit: '20' });
    const radios = Array.from(element.querySelectorAll<HTMLInputElement>('input[type="radio"]'));
    expect(radios).toHaveLength(2);
    expect(element.querySelector('legend')?.textContent).toContain('Service partenaire');
    const labels = Array.from(element.querySelectorAll('.fr-radio-group label')).map((l) => (l.textContent ?? '').replace(/\s+/g, ' ').trim());
    expect(labels[0]).toBe('Logement des jeunes — Mission locale des Hautes-Alpes Dans la commune · Embrun');
    expect(labels[1]).toBe(
      'Fonds de solidarité pour le logement — Département Ouvert à la commune, délivré plus loin · Gap · à vérifier (informations de plus de 6 mois)',
    );
    // The details of each service are one click away.
    expect(element.querySelectorAll('details pa-service-card')).toHaveLength(2);
  });

  it('emits the chosen service', async () => {
    await searched();
    const radio = fieldByLabel(element, 'Fonds de solidarité pour le logement') as HTMLInputElement;
    radio.checked = true;
    radio.dispatchEvent(new Event('change'));
    await fixture.whenStable();
    expect(chosen.map((hit) => [hit.id, hit.proximity])).toEqual([['service-2', 'departement']]);
  });

  it('searches again when the commune or the words change, and keeps the choice given', async () => {
    await searched();
    fixture.componentRef.setInput('commune', '05061');
    fixture.componentRef.setInput('selectedId', 'service-1');
    await fixture.whenStable();
    expect((await searched()).get('commune')).toBe('05061');
    expect((fieldByLabel(element, 'Logement des jeunes') as HTMLInputElement).checked).toBe(true);

    typeIn(fieldByLabel(element, 'Filtrer par mots') as HTMLInputElement, 'fsl');
    await fixture.whenStable();
    expect((await searched()).get('q')).toBe('fsl');
  });

  it('says when no service matches, and offers other structures’ services only when asked to', async () => {
    fixture.componentRef.setInput('excludeOwn', false);
    await fixture.whenStable();
    await wait(250);
    const request = http.expectOne((r) => r.url === '/api/directory/services');
    expect(request.request.params.has('excludeOwn')).toBe(false);
    request.flush([]);
    await fixture.whenStable();
    expect(text(fixture)).toContain('Aucun service de l\'annuaire ne correspond à ce besoin pour cette commune.');
    expect(element.querySelector('fieldset')).toBeNull();
  });
});
