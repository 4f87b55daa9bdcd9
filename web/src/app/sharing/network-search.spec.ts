import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component, signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { AccessOverride, NetworkSearchHit } from '@passerelle/contracts';
import { firstValueFrom } from 'rxjs';
import { buttonByText, fieldByLabel, text, type } from '../../testing/dom';
import { aCurrentUser } from '../../testing/fixtures';
import { AuthService } from '../core/auth/auth.service';
import { NetworkSearch } from './network-search';

@Component({
  imports: [NetworkSearch],
  template: `<pa-network-search [text]="text()" />`,
})
class Host {
  readonly text = signal('');
}

function aNetworkHit(overrides: Partial<NetworkSearchHit> = {}): NetworkSearchHit {
  return {
    id: 'person-7',
    usageLastName: 'Dupont',
    birthLastName: null,
    firstNames: 'Léa',
    birthYear: 1984,
    knownBy: [
      { structureId: 'structure-2', structureName: 'France Services du Briançonnais', phone: '04 92 00 00 00', email: 'fs@exemple.fr' },
      { structureId: 'structure-3', structureName: 'CCAS d’Embrun', phone: null, email: 'ccas@exemple.fr' },
    ],
    referent: null,
    ...overrides,
  };
}

function anOverride(overrides: Partial<AccessOverride> = {}): AccessOverride {
  return {
    id: 'override-1',
    personId: 'person-7',
    legalBasis: 'danger',
    justification: 'Signalement de mise en danger reçu ce matin.',
    userName: 'Marie Curie',
    createdAt: '2026-11-24T10:00:00.000Z',
    expiresAt: '2026-11-24T14:00:00.000Z',
    reviewedAt: null,
    reviewedBy: null,
    ...overrides,
  };
}

describe('NetworkSearch', () => {
  let fixture: ComponentFixture<Host>;
  let element: HTMLElement;
  let http: HttpTestingController;

  async function setUp(mayOverrideConsent = false): Promise<void> {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    const login = firstValueFrom(TestBed.inject(AuthService).login({ email: 'a@b.fr', password: 'x' }));
    http.expectOne('/api/auth/login').flush(aCurrentUser('social_worker', [], { mayOverrideConsent }));
    await login;
    fixture = TestBed.createComponent(Host);
    element = fixture.nativeElement;
    document.body.appendChild(element);
    await fixture.whenStable();
  }

  afterEach(() => {
    http.verify();
    element.remove();
  });

  async function searchFor(typed: string, hits: NetworkSearchHit[] = [aNetworkHit()]): Promise<void> {
    fixture.componentInstance.text.set(typed);
    await fixture.whenStable();
    buttonByText(element, 'Rechercher dans le réseau du territoire').click();
    await fixture.whenStable();
    http.expectOne((request) => request.url === '/api/persons/network-search').flush(hits);
    await fixture.whenStable();
  }

  it('asks for a name first', async () => {
    await setUp();
    buttonByText(element, 'Rechercher dans le réseau du territoire').click();
    await fixture.whenStable();
    http.expectNone((request) => request.url === '/api/persons/network-search');
    expect(element.querySelector('[role="status"]')?.textContent).toContain("Saisissez d'abord le nom de la personne");
  });

  it('searches the same text (name, birth year) and lists who knows the person, not the file', async () => {
    await setUp();
    fixture.componentInstance.text.set('dupont léa 1984');
    await fixture.whenStable();
    buttonByText(element, 'Rechercher dans le réseau du territoire').click();
    await fixture.whenStable();
    const request = http.expectOne((r) => r.url === '/api/persons/network-search');
    expect(request.request.params.get('q')).toBe('dupont léa');
    expect(request.request.params.get('birth')).toBe('1984');
    request.flush([aNetworkHit()]);
    await fixture.whenStable();

    const hit = (element.querySelector('.pa-network-hit')?.textContent ?? '').replace(/\s+/g, ' ');
    expect(hit).toContain('Léa Dupont');
    expect(hit).toContain('née ou né en 1984');
    expect(hit).toContain('Connu·e de :');
    expect(hit).toContain('France Services du Briançonnais — 04 92 00 00 00 — fs@exemple.fr');
    expect(hit).toContain('CCAS d’Embrun — ccas@exemple.fr');
    expect(text(fixture)).toContain("n'est pas partagé avec votre structure sans leur consentement");
    expect(element.querySelector('[role="status"]')?.textContent).toContain('1 personne trouvée dans le réseau du territoire.');
    expect(document.activeElement).toBe(element.querySelector('#titre-resultats-reseau'));
    // Without the permission, no exceptional access.
    expect(text(fixture)).not.toContain('Accès exceptionnel');

    // Another text in the search box: these results no longer answer it.
    fixture.componentInstance.text.set('martin');
    await fixture.whenStable();
    expect(element.querySelector('.pa-network-hit')).toBeNull();
  });

  it('gives the person’s référent de parcours and how to reach them, when there is one', async () => {
    await setUp();
    await searchFor('dupont', [
      aNetworkHit({ referent: { name: 'Samia Benali', structureName: 'Département — action sociale', phone: '04 92 00 00 00', email: null } }),
    ]);
    const hit = (element.querySelector('.pa-network-hit')?.textContent ?? '').replace(/\s+/g, ' ');
    expect(hit).toContain('Référent de parcours : Samia Benali, Département — action sociale — 04 92 00 00 00');
  });

  it('says when nobody is found', async () => {
    await setUp();
    await searchFor('personne inconnue', []);
    expect(text(fixture)).toContain('Aucune personne trouvée dans le réseau du territoire.');
  });

  it('with the permission, opens a file for a legal reason after the justification, then goes to it', async () => {
    await setUp(true);
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    await searchFor('dupont');
    buttonByText(element, 'Accès exceptionnel (motif légal) : Léa Dupont').click();
    await fixture.whenStable();
    expect(text(fixture)).toContain('Accès exceptionnel au dossier de Léa Dupont');
    expect(document.activeElement).toBe(element.querySelector('#acces-person-7-motif-danger'));

    buttonByText(element, 'Ouvrir le dossier (accès tracé)').click();
    await fixture.whenStable();
    http.expectNone({ method: 'POST', url: '/api/persons/person-7/access-overrides' });
    expect(text(fixture)).toContain("Choisissez le motif légal de l'accès.");
    expect(text(fixture)).toContain('Expliquez le motif en 10 à 1 000 caractères.');

    (element.querySelector('#acces-person-7-motif-danger') as HTMLInputElement).click();
    type(fieldByLabel(element, 'Justification') as HTMLInputElement, '  Signalement de mise en danger reçu ce matin.  ');
    buttonByText(element, 'Ouvrir le dossier (accès tracé)').click();
    await fixture.whenStable();
    const request = http.expectOne({ method: 'POST', url: '/api/persons/person-7/access-overrides' });
    expect(request.request.body).toEqual({ legalBasis: 'danger', justification: 'Signalement de mise en danger reçu ce matin.' });
    request.flush(anOverride());
    await fixture.whenStable();
    expect(navigate).toHaveBeenCalledWith(['/personnes', 'person-7']);
  });

  it('shows the API refusal of an exceptional access', async () => {
    await setUp(true);
    await searchFor('dupont');
    buttonByText(element, 'Accès exceptionnel (motif légal) : Léa Dupont').click();
    await fixture.whenStable();
    (element.querySelector('#acces-person-7-motif-legal_obligation') as HTMLInputElement).click();
    type(fieldByLabel(element, 'Justification') as HTMLInputElement, 'Réquisition judiciaire reçue.');
    buttonByText(element, 'Ouvrir le dossier (accès tracé)').click();
    await fixture.whenStable();
    http
      .expectOne({ method: 'POST', url: '/api/persons/person-7/access-overrides' })
      .flush(
        { statusCode: 403, code: 'FORBIDDEN', message: 'L’accès exceptionnel demande une permission que l’administrateur de votre structure n’a pas accordée à votre compte.' },
        { status: 403, statusText: 'Forbidden' },
      );
    await fixture.whenStable();
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('n’a pas accordée à votre compte');

    // "Annuler" closes the form and puts the focus back on its button.
    buttonByText(element, 'Annuler').click();
    await fixture.whenStable();
    expect(document.activeElement?.id).toBe('reseau-acces-person-7');
  });
});
