import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Person, Role, TimelineEntry } from '@passerelle/contracts';
import { firstValueFrom } from 'rxjs';
import { buttonByText, fieldByLabel, press, text, type, typeIn, wait } from '../../testing/dom';
import { aContact, aCurrentUser, aHit, aPerson, aRequest } from '../../testing/fixtures';
import { aPartnerStructure, aReferral } from '../../testing/referrals';
import { AuthService } from '../core/auth/auth.service';
import { PersonPage } from './person-page';

describe('PersonPage', () => {
  let fixture: ComponentFixture<PersonPage>;
  let element: HTMLElement;
  let http: HttpTestingController;

  const timeline: TimelineEntry[] = [
    { kind: 'request_opened', at: '2026-11-20T09:31:00.000Z', request: aRequest() },
    {
      kind: 'contact',
      at: '2026-11-20T09:30:00.000Z',
      contact: aContact({ summary: 'Cherche un logement social.', privateNote: 'Situation tendue.' }),
    },
    {
      kind: 'contact',
      at: '2026-11-10T14:00:00.000Z',
      contact: aContact({ id: 'contact-0', structureName: 'CAF des Hautes-Alpes', answer: 'appointment' }),
    },
  ];
  // The API leaves the private note out for other structures.
  delete (timeline[2] as { contact: { privateNote?: unknown } }).contact.privateNote;

  /** A partner's view: shared by consent, identity and needs only (family and housing are absent). */
  function aSharedPerson(overrides: Partial<Person> = {}): Person {
    const person: Partial<Person> = aPerson({ access: 'consent', categories: ['identity_contact', 'needs_requests'], ...overrides });
    for (const field of ['noStableHome', 'domiciliation', 'household', 'dependentChildren'] as const) delete person[field];
    return person as Person;
  }

  async function open(
    role: Role = 'reception_agent',
    person: Person = aPerson(),
    sideData: { requests?: unknown[]; timeline?: TimelineEntry[] } = {},
  ): Promise<void> {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    const login = firstValueFrom(TestBed.inject(AuthService).login({ email: 'a@b.fr', password: 'x' }));
    http.expectOne('/api/auth/login').flush(aCurrentUser(role));
    await login;

    fixture = TestBed.createComponent(PersonPage);
    fixture.componentRef.setInput('id', 'person-1');
    element = fixture.nativeElement;
    document.body.appendChild(element);
    await fixture.whenStable();
    http.expectOne('/api/persons/person-1').flush(person);
    await fixture.whenStable();
    http
      .expectOne('/api/persons/person-1/requests')
      .flush(sideData.requests ?? [aRequest(), aRequest({ id: 'request-2', bouquet: 5, status: 'in_progress', subNeed: 'RSA' })]);
    http.expectOne('/api/persons/person-1/timeline').flush(sideData.timeline ?? timeline);
    await fixture.whenStable();
    // Every access lists the documents (the API filters them by consent).
    http.expectOne('/api/persons/person-1/documents').flush([]);
    // Every access lists the person's orientations (the API filters them).
    http.expectOne('/api/persons/person-1/referrals').flush([]);
    // Every access asks for the référent (the API says whether it is shared).
    http.expectOne('/api/persons/person-1/referents').flush({ shared: true, current: null, history: [] });
    await fixture.whenStable();
    // Only the structures that follow the person see (and ask for) its consents.
    if (person.access === 'followed_by_my_structure') {
      http.expectOne('/api/persons/person-1/consents').flush([]);
      await fixture.whenStable();
    }
  }

  afterEach(() => {
    http.verify();
    element?.remove();
  });

  it('shows the identity, why the file is visible and "Nouveau passage"', async () => {
    await open();
    expect(element.querySelector('h1')?.textContent).toBe("Jean-Pierre N'Diaye");
    expect(text(fixture)).toContain('Pourquoi vous voyez ce dossier : Votre structure suit cette personne.');
    expect(text(fixture)).toContain('Consentements et partage');
    expect(text(fixture)).not.toContain('Non partagé avec votre structure');
    expect(text(fixture)).toContain('Naissance1984');
    const link = Array.from(element.querySelectorAll('a')).find((a) => a.textContent?.includes('Nouveau passage'));
    expect(link?.getAttribute('href')).toBe('/accueil?personne=person-1');
    // Merging is for structure admins.
    expect(text(fixture)).not.toContain('Fusionner avec un autre dossier');
  });

  it('offers only the allowed transitions of each open request', async () => {
    await open();
    const [open1, inProgress] = Array.from(element.querySelectorAll('.pa-request'));
    const labels = (item: Element) =>
      Array.from(item.querySelectorAll('button')).map((b) => b.textContent?.replace(/\s+/g, ' ').split(' :')[0].trim());
    expect(labels(open1)).toEqual(['Prendre en charge', 'Résolue', 'Sans suite', 'Orienter']);
    expect(labels(inProgress)).toEqual(['Résolue', 'Sans suite', 'Orienter']);
  });

  it('"Orienter" on a request opens the orientation form for its need, linked to the request', async () => {
    await open('reception_agent', aPerson(), {
      requests: [
        aRequest(),
        aRequest({ id: 'request-2', bouquet: 5, status: 'in_progress', subNeed: 'RSA' }),
        aRequest({ id: 'request-3', bouquet: 8, structureId: 'structure-2', structureName: 'CAF des Hautes-Alpes' }),
      ],
    });
    // Only the requests of the agent's structure offer it.
    const orientButtons = Array.from(element.querySelectorAll('.pa-request button')).filter((b) => b.textContent?.includes('Orienter :'));
    expect(orientButtons.map((b) => b.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Orienter : Hébergement / logement',
      'Orienter : Prestations sociales – RSA',
    ]);

    buttonByText(element, 'Orienter : Prestations sociales – RSA').click();
    await fixture.whenStable();
    await fixture.whenStable();
    http.expectOne('/api/structures').flush([aPartnerStructure()]);
    await wait(250);
    http.expectOne((request) => request.url === '/api/directory/services').flush([]);
    await fixture.whenStable();
    expect(document.activeElement).toBe(element.querySelector('#titre-nouvelle-orientation'));
    expect(text(fixture)).toContain('Orientation liée à la demande « Prestations sociales ».');
    expect(fieldByLabel(element, 'Besoin').value).toBe('5');

    (element.querySelector('#orientation-partenaire-mode-structure') as HTMLInputElement).click();
    await fixture.whenStable();
    type(fieldByLabel(element, 'Structure partenaire'), 'structure-2');
    await fixture.whenStable();
    buttonByText(element, "Envoyer l'orientation").click();
    await fixture.whenStable();
    const post = http.expectOne({ method: 'POST', url: '/api/referrals' });
    expect(post.request.body).toMatchObject({ personId: 'person-1', bouquet: 5, requestId: 'request-2', toStructureId: 'structure-2' });
    expect(post.request.body.fromContactId).toBeUndefined();
    post.flush(aReferral({ id: 'referral-3', bouquet: 5, requestId: 'request-2' }));
    await fixture.whenStable();
    expect(text(fixture)).toContain('Orientation envoyée à CCAS de Gap (Prestations sociales).');
  });

  it('"Prendre en charge" moves the request to in_progress and refreshes the timeline', async () => {
    await open();
    buttonByText(element, 'Prendre en charge : Hébergement / logement').click();
    await fixture.whenStable();
    const request = http.expectOne({ method: 'POST', url: '/api/requests/request-1/status' });
    expect(request.request.body).toEqual({ status: 'in_progress' });
    request.flush(aRequest({ status: 'in_progress' }));
    await fixture.whenStable();
    http.expectOne('/api/persons/person-1/requests').flush([aRequest({ status: 'in_progress' })]);
    http.expectOne('/api/persons/person-1/timeline').flush(timeline);
    await fixture.whenStable();
    expect(text(fixture)).toContain('Demande « Hébergement / logement » : En cours.');
  });

  it('"Sans suite" asks for the reason first', async () => {
    await open();
    buttonByText(element, 'Sans suite : Hébergement / logement').click();
    await fixture.whenStable();
    const reason = fieldByLabel(element, 'Motif du classement sans suite') as unknown as HTMLTextAreaElement;
    expect(document.activeElement).toBe(reason);

    buttonByText(element, 'Confirmer sans suite').click();
    await fixture.whenStable();
    http.expectNone('/api/requests/request-1/status');
    expect(element.querySelector(`#${reason.id}-messages`)?.textContent).toContain('Indiquez pourquoi');

    type(reason as unknown as HTMLInputElement, 'La personne a déménagé.');
    buttonByText(element, 'Confirmer sans suite').click();
    await fixture.whenStable();
    const request = http.expectOne({ method: 'POST', url: '/api/requests/request-1/status' });
    expect(request.request.body).toEqual({ status: 'no_follow_up', reason: 'La personne a déménagé.' });
    request.flush(aRequest({ status: 'no_follow_up', closedReason: 'La personne a déménagé.', closedAt: '2026-11-24T10:00:00.000Z' }));
    await fixture.whenStable();
    http.expectOne('/api/persons/person-1/requests').flush([]);
    http.expectOne('/api/persons/person-1/timeline').flush(timeline);
    await fixture.whenStable();
  });

  it('shows the API message when the transition is refused', async () => {
    await open();
    buttonByText(element, 'Résolue : Prestations sociales – RSA').click();
    await fixture.whenStable();
    http.expectOne('/api/requests/request-2/status').flush(
      { statusCode: 409, code: 'INVALID_TRANSITION', message: 'Cette demande est déjà close.' },
      { status: 409, statusText: 'Conflict' },
    );
    await fixture.whenStable();
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('Cette demande est déjà close.');
  });

  it('shows the timeline, most recent first, with the private note only when the API sent it', async () => {
    await open();
    const items = Array.from(element.querySelectorAll('.pa-timeline__item')).map((item) => item.textContent?.replace(/\s+/g, ' '));
    expect(items).toHaveLength(3);
    expect(items[0]).toContain('Demande ouverte : Hébergement / logement');
    expect(items[1]).toContain('Passage – Accueil physique');
    expect(items[1]).toContain('Information donnée');
    expect(items[1]).toContain('Cherche un logement social.');
    expect(items[1]).toContain('Note privée');
    expect(items[1]).toContain('Situation tendue.');
    expect(items[2]).toContain('CAF des Hautes-Alpes');
    expect(items[2]).toContain('Rendez-vous pris');
    expect(items[2]).not.toContain('Note privée');
  });

  it('edits the identity (PATCH) and shows the saved file', async () => {
    await open();
    buttonByText(element, "Modifier l'identité").click();
    await fixture.whenStable();
    const phone = fieldByLabel(element, 'Téléphone') as HTMLInputElement;
    expect(phone.value).toBe('0612345678');
    type(phone, '07 11 22 33 44');
    press(phone, 'Enter');
    await fixture.whenStable();
    const request = http.expectOne({ method: 'PATCH', url: '/api/persons/person-1' });
    expect(request.request.body).toMatchObject({ phone: '0711223344', usageLastName: "N'Diaye", birthDatePrecision: 'year' });
    request.flush(aPerson({ phone: '0711223344' }));
    await fixture.whenStable();
    expect(text(fixture)).toContain("L'identité est enregistrée.");
    expect(text(fixture)).toContain('0711223344');
  });

  it('lets a structure admin merge another file after an explicit confirmation', async () => {
    await open('structure_admin');
    buttonByText(element, 'Fusionner avec un autre dossier').click();
    await fixture.whenStable();
    const field = element.querySelector('#fusion-recherche') as HTMLInputElement;
    typeIn(field, 'ndiaye');
    await wait(200);
    http
      .expectOne((request) => request.url === '/api/persons/search')
      .flush([aHit(), aHit({ id: 'person-2', firstNames: 'J.-Pierre', lastContactAt: null })]);
    await fixture.whenStable();
    // The file itself is not proposed.
    expect(element.querySelectorAll('#fusion-recherche-listbox [role="option"]')).toHaveLength(1);
    press(field, 'ArrowDown');
    press(field, 'Enter');
    await fixture.whenStable();
    expect(text(fixture)).toContain('Dossier conservé');
    expect(text(fixture)).toContain('Dossier fusionné puis supprimé');
    expect(text(fixture)).toContain('irréversible');

    buttonByText(element, 'Fusionner définitivement').click();
    await fixture.whenStable();
    http.expectNone('/api/persons/person-1/merge');
    expect(text(fixture)).toContain('Cochez la case');

    (element.querySelector('#fusion-confirmation') as HTMLInputElement).click();
    buttonByText(element, 'Fusionner définitivement').click();
    await fixture.whenStable();
    const merge = http.expectOne({ method: 'POST', url: '/api/persons/person-1/merge' });
    expect(merge.request.body).toEqual({ sourcePersonId: 'person-2', confirm: true });
    merge.flush(aPerson({ email: 'jp.ndiaye@exemple.fr' }));
    await fixture.whenStable();
    http.expectOne('/api/persons/person-1/requests').flush([]);
    http.expectOne('/api/persons/person-1/timeline').flush([]);
    await fixture.whenStable();
    expect(text(fixture)).toContain('Le dossier de J.-Pierre N\'Diaye a été fusionné dans celui-ci.');
    // The kept file, as the API returned it.
    expect(text(fixture)).toContain('jp.ndiaye@exemple.fr');
  });

  it('shows a partner why it sees the file, what is shared, and "not shared" for the rest', async () => {
    const partnerContact = aContact({ id: 'contact-9', structureId: 'structure-2', structureName: 'France Services de Briançon' });
    delete (partnerContact as { summary?: unknown }).summary;
    delete (partnerContact as { privateNote?: unknown }).privateNote;
    await open('social_worker', aSharedPerson(), {
      requests: [aRequest({ id: 'request-9', structureId: 'structure-2', structureName: 'France Services de Briançon' })],
      timeline: [{ kind: 'contact', at: '2026-11-20T09:30:00.000Z', contact: partnerContact }],
    });
    const page = text(fixture);
    expect(element.querySelector('h1')?.textContent).toBe("Jean-Pierre N'Diaye");
    expect(page).toContain('Pourquoi vous voyez ce dossier : La personne a consenti au partage avec votre structure.');
    expect(page).toContain('Informations partagées avec votre structure : Identité et coordonnées, Besoins et demandes.');
    // Identity shown; family and housing said to be not shared rather than left empty.
    expect(page).toContain('Téléphone0612345678');
    expect(page).toContain('Situation familiale et logementNon partagé avec votre structure');
    expect(page).not.toContain('Sans domicile stable');
    expect(page).not.toContain('Enfants à charge');
    // The partner's contact and request, without its summary nor the status buttons of another structure.
    expect(page).toContain('France Services de Briançon');
    expect(page).toContain('Synthèse : non partagée avec votre structure');
    expect(element.querySelector('.pa-request button')).toBeNull();
    // Only the structures that follow the person edit it, merge it and manage its consents (no GET consents).
    expect(page).not.toContain("Modifier l'identité");
    expect(page).not.toContain('Consentements et partage');
    expect(page).not.toContain('Fusionner avec un autre dossier');
  });

  it('says "not shared" for the identity too when only the needs are shared', async () => {
    const person: Partial<Person> = aSharedPerson({ categories: ['needs_requests'] });
    for (const field of ['usageLastName', 'firstNames', 'birthDate', 'birthDatePrecision', 'communeName', 'phone'] as const) delete person[field];
    await open('social_worker', person as Person, { requests: [], timeline: [] });
    expect(element.querySelector('h1')?.textContent).toBe('Identité non partagée');
    expect(text(fixture)).toContain('Identité et coordonnéesNon partagé avec votre structure');
    expect(text(fixture)).not.toContain('Téléphone');
  });

  it('warns that an exceptional access is traced', async () => {
    await open('social_worker', aPerson({ access: 'override' }), { requests: [], timeline: [] });
    const banner = element.querySelector('.fr-alert--warning');
    expect(banner?.textContent).toContain('Accès exceptionnel');
    expect(banner?.textContent).toContain('journal des accès');
    expect(text(fixture)).not.toContain("Modifier l'identité");
  });

  it('links structure admins of a following structure to the access log', async () => {
    await open('structure_admin', aPerson(), { requests: [], timeline: [] });
    const link = Array.from(element.querySelectorAll('a')).find((a) => a.textContent?.includes('Journal des accès au dossier'));
    expect(link?.getAttribute('href')).toBe('/personnes/person-1/journal-des-acces');
  });

  it('lets a structure admin of a following structure erase the person’s data, then shows the file anonymised', async () => {
    await open('structure_admin', aPerson(), { requests: [], timeline: [] });
    expect(text(fixture)).toContain('Effacement des données');
    buttonByText(element, 'Effacer les données de la personne').click();
    await fixture.whenStable();
    expect(text(fixture)).toContain('Cette opération est irréversible');
    const basis = fieldByLabel(element, 'Demande de la personne') as HTMLInputElement;
    basis.checked = true;
    basis.dispatchEvent(new Event('change'));
    type(fieldByLabel(element, 'Pour confirmer, saisissez EFFACER'), 'EFFACER');
    buttonByText(element, 'Effacer définitivement').click();
    await fixture.whenStable();
    const erase = http.expectOne({ method: 'POST', url: '/api/persons/person-1/erasure' });
    expect(erase.request.body).toEqual({ basis: 'person_request', confirmation: 'EFFACER' });
    erase.flush({
      personId: 'person-1',
      basis: 'person_request',
      anonymizedAt: '2026-12-01T10:00:00.000Z',
      personsAnonymized: 1,
      erased: { access_overrides: 0, contacts: 2, documents: 1, requests: 1 },
    });
    await fixture.whenStable();
    // The file is read again: anonymised now; requests, timeline and documents too.
    const anonymized = aPerson({
      usageLastName: 'Anonymisé',
      firstNames: null,
      birthDate: null,
      birthDatePrecision: null,
      communeInsee: null,
      communeName: null,
      phone: null,
      anonymizedAt: '2026-12-01T10:00:00.000Z',
    });
    http.expectOne('/api/persons/person-1').flush(anonymized);
    await fixture.whenStable();
    http.expectOne('/api/persons/person-1/requests').flush([]);
    http.expectOne('/api/persons/person-1/timeline').flush([]);
    http.expectOne('/api/persons/person-1/documents').flush([]);
    await fixture.whenStable();

    expect(element.querySelector('[role="status"]')?.textContent).toContain("Les données de Jean-Pierre N'Diaye ont été effacées le 01/12/2026");
    expect(element.querySelector('[role="status"]')?.textContent).toContain('documents supprimés : 1');
    const banner = element.querySelector('.fr-alert--info');
    expect(banner?.textContent).toContain('Dossier anonymisé le 01/12/2026');
    expect(document.activeElement).toBe(banner);
    expect(element.querySelector('h1')?.textContent).toBe('Anonymisé');
    // Nothing left to change on an anonymised file.
    for (const label of ['Effacer les données de la personne', "Modifier l'identité", 'Fusionner avec un autre dossier', 'Nouveau passage', 'Ajouter le document']) {
      expect(text(fixture)).not.toContain(label);
    }
  });

  it('offers the erasure to structure admins of a following structure only', async () => {
    await open('reception_agent', aPerson(), { requests: [], timeline: [] });
    expect(text(fixture)).not.toContain('Effacer les données de la personne');
    element.remove();
    TestBed.resetTestingModule();
    await open('structure_admin', aSharedPerson(), { requests: [], timeline: [] });
    expect(text(fixture)).not.toContain('Effacer les données de la personne');
  });

  it('shows the not-found page when the API answers 404 (a file not shared is like a missing one)', async () => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(PersonPage);
    fixture.componentRef.setInput('id', 'person-1');
    element = fixture.nativeElement;
    await fixture.whenStable();
    http
      .expectOne('/api/persons/person-1')
      .flush({ statusCode: 404, code: 'NOT_FOUND', message: 'Personne introuvable.' }, { status: 404, statusText: 'Not Found' });
    await fixture.whenStable();
    expect(element.querySelector('h1')?.textContent).toBe('Page non trouvée');
    expect(text(fixture)).toContain('Personne introuvable.');
    expect(element.querySelector('[role="alert"]')).toBeNull();
  });
});
