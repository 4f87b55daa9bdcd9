import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { AnswerHandoffRequest, Handoff } from '@passerelle/contracts';
import { firstValueFrom } from 'rxjs';
import { buttonByText, fieldByLabel, text, type } from '../../testing/dom';
import { aCurrentUser } from '../../testing/fixtures';
import { aHandoff } from '../../testing/referents';
import { AuthService } from '../core/auth/auth.service';
import { HandoffsPage } from './handoffs-page';

describe('HandoffsPage', () => {
  let fixture: ComponentFixture<HandoffsPage>;
  let element: HTMLElement;
  let http: HttpTestingController;

  const declined = aHandoff({ id: 'handoff-0', status: 'declined', declineReason: 'Hors de notre secteur', answeredAt: '2026-11-20T10:00:00.000Z', proposedAt: '2026-11-19T10:00:00.000Z' });
  const withoutNote = aHandoff({ id: 'handoff-2', personName: null, note: undefined, proposeReferent: false });
  const sentByUs = aHandoff({
    id: 'handoff-3',
    from: { structureId: 'structure-1', structureName: 'CCAS de Gap', userName: 'Marie Curie' },
    to: { structureId: 'structure-2', structureName: 'Département — action sociale', userId: 'user-2', userName: 'Samia Benali' },
  });

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    const login = firstValueFrom(TestBed.inject(AuthService).login({ email: 'a@b.fr', password: 'x' }));
    http.expectOne('/api/auth/login').flush(aCurrentUser('social_worker'));
    await login;
    fixture = TestBed.createComponent(HandoffsPage);
    element = fixture.nativeElement;
    document.body.appendChild(element);
    await fixture.whenStable();
    http.expectOne('/api/handoffs/inbox').flush([aHandoff(), withoutNote, declined]);
    http.expectOne('/api/handoffs/sent').flush([sentByUs]);
    await fixture.whenStable();
  });

  afterEach(() => {
    http.verify();
    element.remove();
  });

  const card = (id: string) => element.querySelector(`#relais-recu-${id}`)?.closest('li') as HTMLElement;
  const cardText = (id: string) => (card(id).textContent ?? '').replace(/\s+/g, ' ');

  it('lists the handoffs waiting for me with their note, those answered, and those my structure proposed', () => {
    expect(cardText('handoff-1')).toContain("Jean-Pierre N'DIAYE");
    expect(cardText('handoff-1')).toContain('par Camille Arnaud (France Services du Briançonnais)');
    expect(cardText('handoff-1')).toContain('Vous êtes proposé comme référent');
    expect(cardText('handoff-1')).toContain('Dossier RSA en cours ; préfère être appelé le matin.');
    // Identity not shared, consent withdrawn since: neither the name nor the note.
    expect(cardText('handoff-2')).toContain('Personne (identité non partagée avec votre structure)');
    expect(cardText('handoff-2')).toContain('la personne a retiré son consentement');
    const page = text(fixture);
    expect(page).toContain('Relais répondus ces 30 derniers jours');
    expect(page).toContain('Décliné');
    expect(page).toContain('Motif : Hors de notre secteur');
    expect(page).toContain("Jean-Pierre N'DIAYE → Samia Benali (Département — action sociale)");
  });

  it('accepts and becomes référent (checked when proposed), with the criteria', async () => {
    buttonByText(card('handoff-1'), "Accepter : Jean-Pierre N'DIAYE").click();
    await fixture.whenStable();
    const become = element.querySelector('#relais-handoff-1-accept-devenir-referent') as HTMLInputElement;
    expect(become.checked).toBe(true);
    expect(document.activeElement).toBe(become);
    buttonByText(element, "Confirmer l'acceptation").click();
    await fixture.whenStable();
    http.expectNone({ method: 'POST', url: '/api/handoffs/handoff-1/answer' });
    expect(cardText('handoff-1')).toContain('Cochez au moins un critère de désignation.');

    (element.querySelector('#relais-handoff-1-accept-critere-relevance') as HTMLInputElement).click();
    (element.querySelector('#relais-handoff-1-accept-avec-la-personne') as HTMLInputElement).click();
    buttonByText(element, "Confirmer l'acceptation").click();
    await fixture.whenStable();
    const request = http.expectOne({ method: 'POST', url: '/api/handoffs/handoff-1/answer' });
    expect(request.request.body as AnswerHandoffRequest).toEqual({ decision: 'accept', becomeReferent: true, criteria: ['relevance'], chosenWithPerson: true });
    request.flush(aHandoff({ status: 'accepted', answeredAt: '2026-11-24T11:00:00.000Z' }));
    await fixture.whenStable();
    expect(text(fixture)).toContain("Relais accepté : vous êtes désormais le référent de Jean-Pierre N'DIAYE.");
    // Now answered: a link to the person's file, and the focus on it.
    const link = Array.from(element.querySelectorAll('a')).find((a) => a.getAttribute('href') === '/personnes/person-1' && a.closest('#titre-relais-repondus, section')?.querySelector('#titre-relais-repondus'));
    expect(link).toBeDefined();
    expect(document.activeElement?.id).toBe('relais-recu-handoff-1');
  });

  it('accepts without becoming référent', async () => {
    buttonByText(card('handoff-2'), 'Accepter : Personne (identité non partagée avec votre structure)').click();
    await fixture.whenStable();
    expect((element.querySelector('#relais-handoff-2-accept-devenir-referent') as HTMLInputElement).checked).toBe(false);
    expect(element.querySelector('#relais-handoff-2-accept-criteres')).toBeNull();
    buttonByText(element, "Confirmer l'acceptation").click();
    await fixture.whenStable();
    const request = http.expectOne({ method: 'POST', url: '/api/handoffs/handoff-2/answer' });
    expect(request.request.body).toEqual({ decision: 'accept' });
    request.flush(
      { statusCode: 409, code: 'CONSENT_REQUIRED', message: 'La personne n’a consenti à aucun partage d’informations avec « CCAS de Gap ».' },
      { status: 409, statusText: 'Conflict' },
    );
    await fixture.whenStable();
    expect(card('handoff-2').querySelector('[role="alert"]')?.textContent).toContain('aucun partage');
  });

  it('declines with a reason the sender will read', async () => {
    buttonByText(card('handoff-1'), "Décliner : Jean-Pierre N'DIAYE").click();
    await fixture.whenStable();
    const reason = fieldByLabel(card('handoff-1'), 'Motif') as HTMLInputElement;
    expect(document.activeElement).toBe(reason);
    buttonByText(element, 'Confirmer le refus').click();
    await fixture.whenStable();
    http.expectNone({ method: 'POST', url: '/api/handoffs/handoff-1/answer' });
    expect(cardText('handoff-1')).toContain('Indiquez pourquoi vous déclinez ce relais.');
    type(reason, '  Pas de place avant mars.  ');
    buttonByText(element, 'Confirmer le refus').click();
    await fixture.whenStable();
    const request = http.expectOne({ method: 'POST', url: '/api/handoffs/handoff-1/answer' });
    expect(request.request.body).toEqual({ decision: 'decline', declineReason: 'Pas de place avant mars.' });
    request.flush(aHandoff({ status: 'declined', declineReason: 'Pas de place avant mars.', answeredAt: '2026-11-24T11:00:00.000Z' }));
    await fixture.whenStable();
    expect(text(fixture)).toContain('Relais décliné : France Services du Briançonnais lira votre motif.');
  });

  it('cancelling the answer form brings the focus back to its button', async () => {
    buttonByText(card('handoff-1'), "Décliner : Jean-Pierre N'DIAYE").click();
    await fixture.whenStable();
    buttonByText(card('handoff-1'), 'Annuler').click();
    await fixture.whenStable();
    expect(document.activeElement?.id).toBe('relais-recu-handoff-1-decliner');
  });

  it('cancels a handoff my structure proposed, after a confirmation', async () => {
    const sentItem = element.querySelector('#relais-envoye-handoff-3')?.closest('li') as HTMLElement;
    buttonByText(sentItem, "Annuler le relais Jean-Pierre N'DIAYE").click();
    await fixture.whenStable();
    expect(sentItem.textContent).toContain('Annuler le relais proposé à Samia Benali ?');
    buttonByText(sentItem, "Confirmer l'annulation").click();
    await fixture.whenStable();
    const request = http.expectOne({ method: 'POST', url: '/api/handoffs/handoff-3/cancel' });
    request.flush({ ...sentByUs, status: 'cancelled', answeredAt: '2026-11-24T11:00:00.000Z' } satisfies Handoff);
    await fixture.whenStable();
    expect(text(fixture)).toContain("Relais annulé : Samia Benali n'a plus à y répondre.");
    expect(sentItem.textContent).toContain('Annulé');
    expect(document.activeElement?.id).toBe('relais-envoye-handoff-3');
  });
});
