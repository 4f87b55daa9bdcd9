import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { DesignateReferentRequest, PersonReferents, ProposeHandoffRequest } from '@passerelle/contracts';
import { firstValueFrom } from 'rxjs';
import { buttonByText, fieldByLabel, text, type } from '../../testing/dom';
import { aCurrentUser } from '../../testing/fixtures';
import { aHandoff, aProfessional, aReferent } from '../../testing/referents';
import { AuthService } from '../core/auth/auth.service';
import { PersonReferent } from './person-referent';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('PersonReferent', () => {
  let fixture: ComponentFixture<PersonReferent>;
  let element: HTMLElement;
  let http: HttpTestingController;

  const past = aReferent({
    id: 'referent-0',
    user: { id: 'user-3', name: 'Paul Martin' },
    structure: { id: 'structure-1', name: 'CCAS de Gap', phone: null, email: null },
    criteria: ['feasibility'],
    chosenWithPerson: false,
    startedAt: '2026-09-01T10:00:00.000Z',
    endedAt: '2026-11-01T10:00:00.000Z',
    endedReason: 'replaced',
  });

  async function create(referents: PersonReferents, canAct = true): Promise<void> {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    const login = firstValueFrom(TestBed.inject(AuthService).login({ email: 'a@b.fr', password: 'x' }));
    http.expectOne('/api/auth/login').flush(aCurrentUser('reception_agent'));
    await login;
    fixture = TestBed.createComponent(PersonReferent);
    fixture.componentRef.setInput('personId', 'person-1');
    fixture.componentRef.setInput('canAct', canAct);
    element = fixture.nativeElement;
    document.body.appendChild(element);
    await fixture.whenStable();
    http.expectOne('/api/persons/person-1/referents').flush(referents);
    await fixture.whenStable();
  }

  afterEach(() => {
    http.verify();
    element.remove();
  });

  const professionals = (personId: string | null) =>
    http.expectOne((req) => req.url === '/api/professionals' && req.params.get('personId') === personId);

  it('shows the current référent with their structure’s contact, the criteria, and the history in an accordion', async () => {
    await create({ shared: true, current: aReferent({ criteriaNote: 'Suivi RSA' }), history: [past] }, false);
    const page = text(fixture);
    expect(page).toContain('Référent en cours : Samia Benali');
    expect(page).toContain('Département — action sociale — 04 92 00 00 00 — social@departement.fr');
    expect(page).toContain('Choix ou préférence de la personne, Pertinence au regard de la situation — choisi avec la personne');
    expect(page).toContain('Précision (votre structure)Suivi RSA');
    // Not a following structure: nothing to do here.
    expect(element.querySelectorAll('button:not(.fr-accordion__btn)')).toHaveLength(0);

    const toggle = buttonByText(element, 'Historique des référents (1)');
    const collapse = element.querySelector('#referents-historique') as HTMLElement;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.getAttribute('aria-controls')).toBe('referents-historique');
    expect(collapse.classList).not.toContain('fr-collapse--expanded');
    toggle.click();
    await fixture.whenStable();
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(collapse.classList).toContain('fr-collapse--expanded');
    expect(collapse.textContent).toContain('Paul Martin');
    expect(collapse.textContent?.replace(/\s+/g, ' ')).toContain('du 01/09/2026 au 01/11/2026 · Remplacé par un autre référent');
  });

  it('says so when the référent is not shared with the structure', async () => {
    await create({ shared: false, current: null, history: [] }, false);
    expect(text(fixture)).toContain('Référent de parcours : non partagé avec votre structure');
  });

  it('designates a référent with the person: professional of a following structure, criteria, note', async () => {
    await create({ shared: true, current: null, history: [] });
    expect(text(fixture)).toContain("La personne n'a pas de référent de parcours.");
    buttonByText(element, 'Désigner un référent').click();
    await fixture.whenStable();
    professionals('person-1').flush([aProfessional({ userId: 'user-1', name: 'Marie Curie', role: 'reception_agent', structureId: 'structure-1', structureName: 'CCAS de Gap' }), aProfessional()]);
    await fixture.whenStable();
    const select = fieldByLabel(element, 'Professionnel désigné') as HTMLSelectElement;
    expect(Array.from(select.options).map((o) => o.textContent?.trim())).toEqual([
      'Choisir un professionnel',
      "Marie Curie — Agent d'accueil, CCAS de Gap",
      'Samia Benali — Travailleur social, Département — action sociale',
    ]);

    // Nothing chosen yet: the form says what is missing, and sends nothing.
    buttonByText(element, 'Désigner ce référent').click();
    await fixture.whenStable();
    expect(text(fixture)).toContain('Choisissez le professionnel qui devient référent.');
    expect(text(fixture)).toContain('Cochez au moins un critère de désignation.');
    expect(document.activeElement).toBe(select);

    type(select, 'user-2|structure-2');
    (element.querySelector('#referent-critere-person_preference') as HTMLInputElement).click();
    (element.querySelector('#referent-critere-feasibility') as HTMLInputElement).click();
    (element.querySelector('#referent-avec-la-personne') as HTMLInputElement).click();
    type(fieldByLabel(element, 'Précision') as HTMLInputElement, '  Connaît déjà la famille  ');
    await fixture.whenStable();
    buttonByText(element, 'Désigner ce référent').click();
    await fixture.whenStable();
    const request = http.expectOne({ method: 'POST', url: '/api/persons/person-1/referent' });
    expect(request.request.body as DesignateReferentRequest).toEqual({
      userId: 'user-2',
      structureId: 'structure-2',
      criteria: ['person_preference', 'feasibility'],
      chosenWithPerson: true,
      criteriaNote: 'Connaît déjà la famille',
    });
    request.flush({ shared: true, current: aReferent(), history: [] });
    await fixture.whenStable();
    expect(text(fixture)).toContain('Référent désigné : Samia Benali.');
    expect(document.activeElement?.id).toBe('referent-en-cours');
  });

  it('shows the API’s refusal of a designation (e.g. a concurrent one)', async () => {
    await create({ shared: true, current: null, history: [] });
    buttonByText(element, 'Désigner un référent').click();
    await fixture.whenStable();
    professionals('person-1').flush([aProfessional()]);
    await fixture.whenStable();
    type(fieldByLabel(element, 'Professionnel désigné'), 'user-2|structure-2');
    (element.querySelector('#referent-critere-relevance') as HTMLInputElement).click();
    buttonByText(element, 'Désigner ce référent').click();
    await fixture.whenStable();
    http
      .expectOne({ method: 'POST', url: '/api/persons/person-1/referent' })
      .flush({ statusCode: 409, code: 'CONFLICT', message: 'Un autre référent vient d’être désigné.' }, { status: 409, statusText: 'Conflict' });
    await fixture.whenStable();
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('Un autre référent vient d’être désigné.');
  });

  it('ends the term, by the référent’s structure, with a reason', async () => {
    await create({ shared: true, current: aReferent({ structure: { id: 'structure-1', name: 'CCAS de Gap', phone: null, email: null } }), history: [] });
    const end = element.querySelector('#referent-mettre-fin') as HTMLButtonElement;
    expect(end.textContent?.replace(/\s+/g, ' ').trim()).toBe("Mettre fin à l'accompagnement de Samia Benali");
    end.click();
    await fixture.whenStable();
    expect(document.activeElement?.id).toBe('referent-fin-ended');
    buttonByText(element, 'Confirmer la fin').click();
    await fixture.whenStable();
    http.expectNone({ method: 'POST', url: '/api/persons/person-1/referent/end' });
    expect(text(fixture)).toContain("Indiquez pourquoi l'accompagnement prend fin.");
    (element.querySelector('#referent-fin-person_request') as HTMLInputElement).click();
    buttonByText(element, 'Confirmer la fin').click();
    await fixture.whenStable();
    const request = http.expectOne({ method: 'POST', url: '/api/persons/person-1/referent/end' });
    expect(request.request.body).toEqual({ reason: 'person_request' });
    request.flush({ shared: true, current: null, history: [aReferent({ endedAt: '2026-11-24T10:00:00.000Z', endedReason: 'person_request' })] });
    await fixture.whenStable();
    expect(text(fixture)).toContain("L'accompagnement par ce référent a pris fin (À la demande de la personne).");
    expect(text(fixture)).toContain('Historique des référents (1)');
  });

  it('offers "Mettre fin" only to the référent’s structure', async () => {
    await create({ shared: true, current: aReferent(), history: [] });
    expect(element.querySelector('#referent-mettre-fin')).toBeNull();
  });

  it('hands the case over: receiver, transmission note read by the receiver only, référent proposed', async () => {
    await create({ shared: true, current: null, history: [] });
    buttonByText(element, 'Passer le relais').click();
    await fixture.whenStable();
    professionals(null).flush([aProfessional({ userId: 'user-1', name: 'Marie Curie' }), aProfessional()]);
    await fixture.whenStable();
    const select = fieldByLabel(element, 'Destinataire du relais') as HTMLSelectElement;
    // Not to oneself.
    expect(Array.from(select.options).map((o) => o.value)).toEqual(['', 'user-2|structure-2']);
    expect(element.querySelector('label[for="relais-note"]')?.textContent).toContain('Lue seulement par le destinataire et votre structure');

    buttonByText(element, 'Proposer le relais').click();
    await fixture.whenStable();
    expect(text(fixture)).toContain('Choisissez le professionnel à qui passer le relais.');
    expect(text(fixture)).toContain('Rédigez la note de transmission');

    type(select, 'user-2|structure-2');
    type(fieldByLabel(element, 'Note de transmission') as HTMLInputElement, 'Dossier RSA à reprendre.');
    (element.querySelector('#relais-proposer-referent') as HTMLInputElement).click();
    buttonByText(element, 'Proposer le relais').click();
    await fixture.whenStable();
    const first: TestRequest = http.expectOne({ method: 'POST', url: '/api/handoffs' });
    const body = first.request.body as ProposeHandoffRequest;
    expect(body).toEqual({
      clientRequestId: expect.stringMatching(UUID),
      personId: 'person-1',
      toUserId: 'user-2',
      toStructureId: 'structure-2',
      note: 'Dossier RSA à reprendre.',
      proposeReferent: true,
    });
    // No consent naming the Département: said as the API says it; the retry keeps the same key.
    first.flush(
      { statusCode: 409, code: 'CONSENT_REQUIRED', message: 'La personne n’a consenti à aucun partage d’informations avec « Département — action sociale ».', consentRequired: { structureId: 'structure-2', missingCategories: [] } },
      { status: 409, statusText: 'Conflict' },
    );
    await fixture.whenStable();
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('aucun partage d’informations avec « Département — action sociale »');
    buttonByText(element, 'Proposer le relais').click();
    await fixture.whenStable();
    const retry = http.expectOne({ method: 'POST', url: '/api/handoffs' });
    expect((retry.request.body as ProposeHandoffRequest).clientRequestId).toBe(body.clientRequestId);
    retry.flush(aHandoff({ to: { structureId: 'structure-2', structureName: 'Département — action sociale', userId: 'user-2', userName: 'Samia Benali' } }));
    await fixture.whenStable();
    expect(text(fixture)).toContain('Relais proposé à Samia Benali (Département — action sociale)');
    expect(document.activeElement?.textContent?.trim()).toBe('Passer le relais');
  });
});
