import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { CreateContactRequest } from '@passerelle/contracts';
import { firstValueFrom } from 'rxjs';
import { buttonByText, fieldByLabel, press, text, type, typeIn, wait } from '../../testing/dom';
import { aContact, aCurrentUser, aHit, aPerson, aRequest, aSite } from '../../testing/fixtures';
import { AuthService } from '../core/auth/auth.service';
import { DeskPage } from './desk-page';

describe('DeskPage', () => {
  let fixture: ComponentFixture<DeskPage>;
  let element: HTMLElement;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    const login = firstValueFrom(TestBed.inject(AuthService).login({ email: 'a@b.fr', password: 'x' }));
    http.expectOne('/api/auth/login').flush(aCurrentUser('reception_agent'));
    await login;

    fixture = TestBed.createComponent(DeskPage);
    element = fixture.nativeElement;
    document.body.appendChild(element);
    await fixture.whenStable();
    http.expectOne('/api/structures/structure-1/sites').flush([aSite(), aSite({ id: 'site-2', name: 'Permanence' })]);
    await fixture.whenStable();
  });

  afterEach(() => {
    http.verify();
    element.remove();
  });

  const searchField = () => element.querySelector('#recherche-personne') as HTMLInputElement;
  const needField = () => element.querySelector('#passage-besoin') as HTMLInputElement;

  async function search(textTyped: string, hits = [aHit()]): Promise<void> {
    typeIn(searchField(), textTyped);
    await wait(200);
    http.expectOne((request) => request.url === '/api/persons/search').flush(hits);
    await fixture.whenStable();
  }

  async function pickFirstResult(): Promise<void> {
    press(searchField(), 'ArrowDown');
    press(searchField(), 'Enter');
    await fixture.whenStable();
    http.expectOne('/api/persons/person-1/requests').flush([]);
    await fixture.whenStable();
  }

  async function addNeed(word: string): Promise<void> {
    typeIn(needField(), word);
    await fixture.whenStable();
    press(needField(), 'Enter');
    await fixture.whenStable();
  }

  async function submitWithEnter(): Promise<void> {
    press(needField(), 'Enter');
    await fixture.whenStable();
  }

  function expectContactPost(): TestRequest {
    return http.expectOne({ method: 'POST', url: '/api/contacts' });
  }

  it('opens on the search box, focused', () => {
    expect(element.querySelector('h1')?.textContent).toBe('Accueil');
    expect(document.activeElement).toBe(searchField());
    expect(fieldByLabel(element, 'Rechercher une personne (nom, téléphone, courriel)')).toBe(searchField());
  });

  it('records a returning person’s information-only contact: pick, need, Enter', async () => {
    await search('ndiaye');
    await pickFirstResult();
    expect(text(fixture)).toContain("Passage de Jean-Pierre N'Diaye");
    // Focus moved to the contact form's first field.
    expect(document.activeElement).toBe(needField());

    await addNeed('logement');
    await submitWithEnter();
    const request = expectContactPost();
    const body = request.request.body as CreateContactRequest;
    expect(body).toMatchObject({
      personId: 'person-1',
      channel: 'in_person',
      siteId: 'site-1',
      answer: 'information',
      needs: [{ bouquet: 14, subNeed: null, detail: null }],
    });
    expect(body.clientRequestId).toBeTruthy();
    request.flush(aContact());
    await fixture.whenStable();

    const status = element.querySelector('[role="status"]') as HTMLElement;
    expect(status.textContent).toContain('Passage enregistré');
    expect(status.textContent).toContain("Jean-Pierre N'Diaye");
    expect(element.querySelector('pa-contact-form')).toBeNull();
    expect(searchField().value).toBe('');
    expect(document.activeElement).toBe(searchField());
  });

  it('retries with the same clientRequestId after a failure, and shows the error as an alert', async () => {
    await search('ndiaye');
    await pickFirstResult();
    await addNeed('emploi');
    await submitWithEnter();
    const first = expectContactPost();
    first.flush(null, { status: 0, statusText: 'Unknown Error' });
    await fixture.whenStable();
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('injoignable');

    await submitWithEnter();
    const retry = expectContactPost();
    expect((retry.request.body as CreateContactRequest).clientRequestId).toBe(
      (first.request.body as CreateContactRequest).clientRequestId,
    );
    retry.flush(aContact());
    await fixture.whenStable();
    expect(text(fixture)).toContain('Passage enregistré');
  });

  it('ignores a second submit while the first is on its way', async () => {
    await search('ndiaye');
    await pickFirstResult();
    await addNeed('emploi');
    await submitWithEnter();
    await submitWithEnter();
    expectContactPost().flush(aContact());
    await fixture.whenStable();
  });

  it('a new contact form gets a new clientRequestId', async () => {
    await search('ndiaye');
    await pickFirstResult();
    await addNeed('emploi');
    await submitWithEnter();
    const first = expectContactPost();
    first.flush(aContact());
    await fixture.whenStable();

    await search('ndiaye');
    await pickFirstResult();
    await addNeed('emploi');
    await submitWithEnter();
    const second = expectContactPost();
    expect((second.request.body as CreateContactRequest).clientRequestId).not.toBe(
      (first.request.body as CreateContactRequest).clientRequestId,
    );
    second.flush(aContact({ id: 'contact-2' }));
    await fixture.whenStable();
  });

  it('Escape in the contact form goes back to the search box, with what was typed', async () => {
    await search('ndiaye');
    await pickFirstResult();
    press(needField(), 'Escape');
    await fixture.whenStable();
    expect(element.querySelector('pa-contact-form')).toBeNull();
    expect(searchField().value).toBe('ndiaye');
    expect(document.activeElement).toBe(searchField());
  });

  it('records an anonymous information-only contact', async () => {
    buttonByText(element, 'Passage sans identification').click();
    await fixture.whenStable();
    expect(document.activeElement).toBe(needField());
    await addNeed('papiers');
    // Nobody to follow: no request can be opened.
    expect(element.querySelector('#passage-besoin-0-demande')).toBeNull();
    await submitWithEnter();
    const request = expectContactPost();
    expect((request.request.body as CreateContactRequest).personId).toBeNull();
    request.flush(aContact({ personId: null }));
    await fixture.whenStable();
    expect(element.querySelector('[role="status"]')?.textContent).toContain('Passage enregistré sans identification');
  });

  describe('new person', () => {
    async function startNewPerson(): Promise<void> {
      typeIn(searchField(), 'Martin Lucas');
      await wait(200);
      http.expectOne((request) => request.url === '/api/persons/search').flush([]);
      await fixture.whenStable();
      // Alt+N, from the search box.
      press(searchField(), 'n', { altKey: true, code: 'KeyN' });
      await fixture.whenStable();
    }

    async function fillIdentityAndContinue(): Promise<void> {
      const birth = element.querySelector('#nouvelle-personne-naissance') as HTMLInputElement;
      typeIn(birth, '1984');
      press(birth, 'Enter');
      await fixture.whenStable();
      expect(document.activeElement).toBe(needField());
      await addNeed('logement');
      await submitWithEnter();
    }

    const candidate = aHit({ id: 'person-9', usageLastName: 'Martin', firstNames: 'Luca', score: 0.8 });

    it('prefills the identity from the search and focuses the first empty field', async () => {
      await startNewPerson();
      expect((element.querySelector('#nouvelle-personne-nom') as HTMLInputElement).value).toBe('Martin');
      expect((element.querySelector('#nouvelle-personne-prenoms') as HTMLInputElement).value).toBe('Lucas');
      expect(document.activeElement).toBe(element.querySelector('#nouvelle-personne-naissance'));
    });

    it('creates the person, then the contact', async () => {
      await startNewPerson();
      await fillIdentityAndContinue();
      const create = http.expectOne({ method: 'POST', url: '/api/persons' });
      expect(create.request.body).toEqual({
        usageLastName: 'Martin',
        firstNames: 'Lucas',
        birthDate: '1984-01-01',
        birthDatePrecision: 'year',
        communeInsee: null,
        noStableHome: false,
        domiciliation: null,
        phone: null,
        email: null,
      });
      create.flush(aPerson({ id: 'person-new', usageLastName: 'Martin', firstNames: 'Lucas' }));
      await fixture.whenStable();
      const contact = expectContactPost();
      expect((contact.request.body as CreateContactRequest).personId).toBe('person-new');
      contact.flush(aContact({ personId: 'person-new' }));
      await fixture.whenStable();
      expect(element.querySelector('[role="status"]')?.textContent).toContain('Passage enregistré pour Lucas Martin');
    });

    it('warns about a possible duplicate; "Créer quand même" confirms and saves', async () => {
      await startNewPerson();
      await fillIdentityAndContinue();
      http.expectOne({ method: 'POST', url: '/api/persons' }).flush(
        {
          statusCode: 409,
          code: 'POSSIBLE_DUPLICATE',
          message: 'Cette personne existe peut-être déjà.',
          candidates: [candidate],
        },
        { status: 409, statusText: 'Conflict' },
      );
      await fixture.whenStable();
      expect(text(fixture)).toContain('Cette personne existe peut-être déjà');
      expect(text(fixture)).toContain('Luca Martin');
      expect(document.activeElement?.textContent).toContain('Cette personne existe peut-être déjà');
      http.expectNone('/api/contacts');

      buttonByText(element, 'Créer quand même').click();
      await fixture.whenStable();
      const confirmed = http.expectOne({ method: 'POST', url: '/api/persons' });
      expect(confirmed.request.body).toMatchObject({ usageLastName: 'Martin', confirmNotDuplicate: true });
      confirmed.flush(aPerson({ id: 'person-new' }));
      await fixture.whenStable();
      expectContactPost().flush(aContact({ personId: 'person-new' }));
      await fixture.whenStable();
      expect(text(fixture)).toContain('Passage enregistré');
    });

    it('"Ouvrir ce dossier" records the contact in the existing file instead', async () => {
      await startNewPerson();
      await fillIdentityAndContinue();
      http
        .expectOne({ method: 'POST', url: '/api/persons' })
        .flush(
          { statusCode: 409, code: 'POSSIBLE_DUPLICATE', message: 'Doublon possible.', candidates: [candidate] },
          { status: 409, statusText: 'Conflict' },
        );
      await fixture.whenStable();
      buttonByText(element, 'Ouvrir ce dossier Luca Martin').click();
      await fixture.whenStable();
      http.expectOne('/api/persons/person-9/requests').flush([]);
      await fixture.whenStable();
      expect(text(fixture)).toContain('Passage de Luca Martin');
      // The contact form kept the need typed.
      expect(element.querySelector('.pa-needs')?.textContent).toContain('Hébergement / logement');

      await submitWithEnter();
      http.expectNone('/api/persons');
      const contact = expectContactPost();
      expect((contact.request.body as CreateContactRequest).personId).toBe('person-9');
      contact.flush(aContact({ personId: 'person-9' }));
      await fixture.whenStable();
    });

    it('after the person was created, a failed contact is retried without creating the person again', async () => {
      await startNewPerson();
      await fillIdentityAndContinue();
      http.expectOne({ method: 'POST', url: '/api/persons' }).flush(aPerson({ id: 'person-new' }));
      await fixture.whenStable();
      expectContactPost().flush(null, { status: 503, statusText: 'Service Unavailable' });
      await fixture.whenStable();

      await submitWithEnter();
      http.expectNone({ method: 'POST', url: '/api/persons' });
      expectContactPost().flush(aContact({ personId: 'person-new' }));
      await fixture.whenStable();
    });

    it('goes back to the identity with the API’s field errors when the person is refused', async () => {
      await startNewPerson();
      await fillIdentityAndContinue();
      http.expectOne({ method: 'POST', url: '/api/persons' }).flush(
        {
          statusCode: 400,
          code: 'VALIDATION_FAILED',
          message: 'Certaines informations ne sont pas valides.',
          details: [{ field: 'birthDate', messages: ['La date de naissance est trop ancienne.'] }],
        },
        { status: 400, statusText: 'Bad Request' },
      );
      await fixture.whenStable();
      const birth = element.querySelector('#nouvelle-personne-naissance') as HTMLInputElement;
      expect(document.activeElement).toBe(element.querySelector('#nouvelle-personne-nom'));
      expect(element.querySelector('#nouvelle-personne-naissance-messages')?.textContent).toContain(
        'La date de naissance est trop ancienne.',
      );
      expect(birth.getAttribute('aria-describedby')).toBe('nouvelle-personne-naissance-messages');
    });
  });

  describe('"Orienter maintenant" (answer "Orientation à faire")', () => {
    const orientLink = () =>
      Array.from(element.querySelectorAll<HTMLAnchorElement>('[role="status"] a')).find((a) =>
        a.textContent?.includes('Orienter maintenant'),
      );

    async function recordReferralNeeded(options: { openRequest?: boolean; linkRequest?: string } = {}): Promise<TestRequest> {
      await addNeed('logement');
      await addNeed('emploi');
      type(fieldByLabel(element, 'Réponse apportée'), 'referral_needed');
      if (options.openRequest) (element.querySelector('#passage-besoin-0-demande') as HTMLInputElement).click();
      if (options.linkRequest) (element.querySelector(`#passage-demande-${options.linkRequest}`) as HTMLInputElement).click();
      await fixture.whenStable();
      await submitWithEnter();
      return expectContactPost();
    }

    it('links to the person’s page with the orientation form open, from this contact, for its first need', async () => {
      await search('ndiaye');
      await pickFirstResult();
      const post = await recordReferralNeeded();
      const body = post.request.body as CreateContactRequest;
      expect(body.answer).toBe('referral_needed');
      expect(body.needs.map((need) => need.bouquet)).toEqual([14, 11]);
      post.flush(aContact({ id: 'contact-7', answer: 'referral_needed', needs: body.needs }));
      await fixture.whenStable();
      expect(text(fixture)).toContain('Orientation à faire :');
      expect(orientLink()?.textContent?.trim()).toBe('Orienter maintenant');
      expect(orientLink()?.getAttribute('href')).toBe('/personnes/person-1?orienter=14&passage=contact-7');
    });

    it('adds the request the contact opened for that need', async () => {
      await search('ndiaye');
      await pickFirstResult();
      const post = await recordReferralNeeded({ openRequest: true });
      const body = post.request.body as CreateContactRequest;
      expect(body.openRequestsForNeeds).toEqual([0]);
      post.flush(aContact({ id: 'contact-7', answer: 'referral_needed', needs: body.needs, requestIds: ['request-9'] }));
      await fixture.whenStable();
      expect(orientLink()?.getAttribute('href')).toBe('/personnes/person-1?orienter=14&passage=contact-7&demande=request-9');
    });

    it('or the open request of that need the contact was linked to', async () => {
      await search('ndiaye');
      press(searchField(), 'ArrowDown');
      press(searchField(), 'Enter');
      await fixture.whenStable();
      http
        .expectOne('/api/persons/person-1/requests')
        .flush([aRequest({ id: 'request-1', bouquet: 14 }), aRequest({ id: 'request-2', bouquet: 11 })]);
      await fixture.whenStable();
      const post = await recordReferralNeeded({ linkRequest: 'request-1' });
      const body = post.request.body as CreateContactRequest;
      expect(body.requestIds).toEqual(['request-1']);
      post.flush(aContact({ id: 'contact-7', answer: 'referral_needed', needs: body.needs, requestIds: ['request-1'] }));
      await fixture.whenStable();
      expect(orientLink()?.getAttribute('href')).toBe('/personnes/person-1?orienter=14&passage=contact-7&demande=request-1');
    });

    it('is not offered for another answer, nor for a contact without identification', async () => {
      await search('ndiaye');
      await pickFirstResult();
      await addNeed('logement');
      await submitWithEnter();
      expectContactPost().flush(aContact());
      await fixture.whenStable();
      expect(text(fixture)).toContain('Passage enregistré');
      expect(orientLink()).toBeUndefined();

      buttonByText(element, 'Passage sans identification').click();
      await fixture.whenStable();
      await addNeed('logement');
      type(fieldByLabel(element, 'Réponse apportée'), 'referral_needed');
      await fixture.whenStable();
      await submitWithEnter();
      expectContactPost().flush(aContact({ id: 'contact-8', personId: null, answer: 'referral_needed' }));
      await fixture.whenStable();
      expect(text(fixture)).toContain('Passage enregistré sans identification');
      expect(orientLink()).toBeUndefined();
    });
  });

  it('opens the contact form for ?personne=<id> ("Nouveau passage" from a person page)', async () => {
    fixture.componentRef.setInput('personne', 'person-1');
    await fixture.whenStable();
    http.expectOne('/api/persons/person-1').flush(aPerson());
    await fixture.whenStable();
    http.expectOne('/api/persons/person-1/requests').flush([]);
    await fixture.whenStable();
    expect(text(fixture)).toContain("Passage de Jean-Pierre N'Diaye");
    expect(document.activeElement).toBe(needField());
  });

  it('looks the text of the search box up in the territory’s network, under the results', async () => {
    await search('dupont', []);
    buttonByText(element, 'Rechercher dans le réseau du territoire').click();
    await fixture.whenStable();
    const request = http.expectOne((r) => r.url === '/api/persons/network-search');
    expect(request.request.params.get('q')).toBe('dupont');
    request.flush([
      {
        id: 'person-7',
        usageLastName: 'Dupont',
        birthLastName: null,
        firstNames: 'Léa',
        birthYear: 1990,
        knownBy: [{ structureId: 'structure-2', structureName: 'CCAS d’Embrun', phone: '04 92 00 00 00', email: null }],
      },
    ]);
    await fixture.whenStable();
    expect(text(fixture)).toContain('Dans le réseau du territoire : « dupont »');
    expect(text(fixture)).toContain('Connu·e de :');
    expect(text(fixture)).toContain('CCAS d’Embrun — 04 92 00 00 00');
  });
});
