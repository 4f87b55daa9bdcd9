import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Referral } from '@passerelle/contracts';
import { buttonByText, fieldByLabel, text, type, wait } from '../../testing/dom';
import { aPartnerStructure, aReferral } from '../../testing/referrals';
import { ReferralPage } from './referral-page';

describe('ReferralPage', () => {
  let fixture: ComponentFixture<ReferralPage>;
  let element: HTMLElement;
  let http: HttpTestingController;

  async function render(referral: Referral | null): Promise<void> {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ReferralPage);
    fixture.componentRef.setInput('id', 'referral-1');
    element = fixture.nativeElement;
    document.body.appendChild(element);
    await fixture.whenStable();
    const request = http.expectOne('/api/referrals/referral-1');
    if (referral) request.flush(referral);
    else request.flush({ statusCode: 404, code: 'NOT_FOUND', message: 'Orientation introuvable.' }, { status: 404, statusText: 'Not Found' });
    await fixture.whenStable();
  }

  const actionButtons = () =>
    Array.from(element.querySelectorAll('[aria-labelledby="titre-suite"] button')).map((b) => (b.textContent ?? '').trim().replace(/\s+/g, ' '));

  async function submitStatus(): Promise<ReturnType<HttpTestingController['expectOne']>> {
    return http.expectOne({ method: 'POST', url: '/api/referrals/referral-1/status' });
  }

  afterEach(() => {
    http.verify();
    element.remove();
  });

  it('shows everything of the orientation and its steps', async () => {
    await render(
      aReferral({
        status: 'received',
        receivedAt: '2026-11-21T09:00:00.000Z',
        sentAt: '2026-11-20T10:00:00.000Z',
        categories: ['identity_contact', 'needs_requests'],
        events: [
          { status: 'received', at: '2026-11-21T09:00:00.000Z', userName: 'Marie Curie', structureName: 'CCAS de Gap' },
          { status: 'sent', at: '2026-11-20T10:00:00.000Z', userName: 'Camille Arnaud', structureName: 'France Services du Briançonnais' },
        ],
      }),
    );
    const page = text(fixture);
    expect(element.querySelector('h1')?.textContent).toContain("Orientation de Jean-Pierre N'Diaye : Hébergement / logement");
    expect(element.querySelector('#orientation-statut')?.textContent).toContain('Reçue');
    expect(page).toContain('France Services du Briançonnais (Camille Arnaud)');
    expect(page).toContain('Aide au logement');
    expect(page).toContain('Identité et coordonnées, Besoins et demandes');
    expect(page).toContain('Loyer impayé depuis deux mois.');
    const steps = Array.from(element.querySelectorAll('.pa-timeline__item')).map((item) => (item.textContent ?? '').replace(/\s+/g, ' ').trim());
    // Oldest first, as the loop happened.
    expect(steps[0]).toMatch(/^Envoyée le 20\/11\/2026 à \d\dh\d\d par Camille Arnaud \(France Services du Briançonnais\)$/);
    expect(steps[1]).toMatch(/^Reçue le 21\/11\/2026 à \d\dh\d\d par Marie Curie \(CCAS de Gap\)$/);
    expect(element.querySelector('a[href="/personnes/person-1"]')?.textContent).toContain("Jean-Pierre N'Diaye");
  });

  it('says when the identity is not shared, without a link to the file', async () => {
    await render(aReferral({ personName: null, allowedTransitions: [] }));
    expect(element.querySelector('h1')?.textContent).toContain('Orientation de Identité non partagée');
    expect(text(fixture)).toContain('Identité non partagée avec votre structure');
    expect(element.querySelector('a[href="/personnes/person-1"]')).toBeNull();
    expect(element.querySelector('[aria-labelledby="titre-suite"]')).toBeNull();
  });

  it('offers the receiver only the allowed actions, and accepts in one click', async () => {
    await render(aReferral());
    expect(actionButtons()).toEqual(['Accepter', 'Refuser', 'Réorienter']);
    buttonByText(element, 'Accepter').click();
    await fixture.whenStable();
    const request = await submitStatus();
    expect(request.request.body).toEqual({ status: 'accepted' });
    request.flush(aReferral({ status: 'accepted', allowedTransitions: ['in_charge', 'closed'] }));
    await fixture.whenStable();
    expect(text(fixture)).toContain('Orientation : Acceptée.');
    expect(actionButtons()).toEqual(['Enregistrer la prise en charge', 'Clôturer']);
    expect(document.activeElement?.id).toBe('orientation-statut');
  });

  it('offers the sender only to cancel, after a confirmation', async () => {
    await render(aReferral({ allowedTransitions: ['cancelled'] }));
    expect(actionButtons()).toEqual(["Annuler l'orientation"]);
    buttonByText(element, "Annuler l'orientation").click();
    await fixture.whenStable();
    http.expectNone({ method: 'POST', url: '/api/referrals/referral-1/status' });
    expect(text(fixture)).toContain("Annuler l'orientation vers CCAS de Gap ?");
    buttonByText(element, "Confirmer l'annulation").click();
    await fixture.whenStable();
    const request = await submitStatus();
    expect(request.request.body).toEqual({ status: 'cancelled' });
    request.flush(aReferral({ status: 'cancelled', cancelledAt: '2026-11-24T10:00:00.000Z', allowedTransitions: [] }));
    await fixture.whenStable();
    expect(element.querySelector('#orientation-statut')?.textContent).toContain('Annulée');
    expect(element.querySelector('[aria-labelledby="titre-suite"]')).toBeNull();
  });

  it('refuses with the reason, the broken link and a comment', async () => {
    await render(aReferral());
    buttonByText(element, 'Refuser').click();
    await fixture.whenStable();
    buttonByText(element, 'Confirmer le refus').click();
    await fixture.whenStable();
    http.expectNone({ method: 'POST', url: '/api/referrals/referral-1/status' });
    (element.querySelector('#orientation-refus-motif-no_capacity') as HTMLInputElement).click();
    type(fieldByLabel(element, "Maillon de l'accès qui fait défaut"), '3');
    type(fieldByLabel(element, 'Commentaire') as HTMLInputElement, 'Liste d’attente de trois mois.');
    await fixture.whenStable();
    buttonByText(element, 'Confirmer le refus').click();
    await fixture.whenStable();
    const request = await submitStatus();
    expect(request.request.body).toEqual({ status: 'refused', refusalReason: 'no_capacity', brokenLink: 3, comment: 'Liste d’attente de trois mois.' });
    request.flush(
      aReferral({ status: 'refused', refusalReason: 'no_capacity', brokenLink: 3, statusComment: 'Liste d’attente de trois mois.', allowedTransitions: [] }),
    );
    await fixture.whenStable();
    const page = text(fixture);
    expect(page).toContain('Plus de place ou délai trop long');
    expect(page).toContain('3. Délais d’attente');
    expect(page).toContain('Liste d’attente de trois mois.');
  });

  it('shows the API refusal of a transition in the form', async () => {
    await render(aReferral());
    buttonByText(element, 'Refuser').click();
    await fixture.whenStable();
    (element.querySelector('#orientation-refus-motif-not_eligible') as HTMLInputElement).click();
    type(fieldByLabel(element, "Maillon de l'accès qui fait défaut"), '8');
    await fixture.whenStable();
    buttonByText(element, 'Confirmer le refus').click();
    await fixture.whenStable();
    (await submitStatus()).flush(
      { statusCode: 409, code: 'INVALID_TRANSITION', message: 'Cette orientation a déjà reçu une réponse.' },
      { status: 409, statusText: 'Conflict' },
    );
    await fixture.whenStable();
    expect(element.querySelector('pa-refusal-form [role="alert"]')?.textContent).toContain('Cette orientation a déjà reçu une réponse.');
  });

  it('records the prise en charge: a rendez-vous and its date', async () => {
    await render(aReferral({ status: 'accepted', allowedTransitions: ['in_charge', 'closed', 'cancelled'] }));
    expect(actionButtons()).toEqual(['Enregistrer la prise en charge', 'Clôturer', "Annuler l'orientation"]);
    buttonByText(element, 'Enregistrer la prise en charge').click();
    await fixture.whenStable();
    const date = fieldByLabel(element, 'Date et heure') as HTMLInputElement;
    expect(date.value).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
    buttonByText(element, 'Enregistrer la prise en charge').click();
    await fixture.whenStable();
    http.expectNone({ method: 'POST', url: '/api/referrals/referral-1/status' });
    expect(text(fixture)).toContain("Indiquez s'il s'agit d'un rendez-vous ou d'un premier contact.");

    (element.querySelector('#prise-en-charge-appointment') as HTMLInputElement).click();
    type(date, '2026-12-03T14:30');
    await fixture.whenStable();
    buttonByText(element, 'Enregistrer la prise en charge').click();
    await fixture.whenStable();
    const request = await submitStatus();
    expect(request.request.body).toEqual({ status: 'in_charge', inChargeKind: 'appointment', inChargeAt: new Date('2026-12-03T14:30').toISOString() });
    request.flush(
      aReferral({ status: 'in_charge', inChargeKind: 'appointment', inChargeAt: new Date('2026-12-03T14:30').toISOString(), allowedTransitions: ['closed'] }),
    );
    await fixture.whenStable();
    expect(element.querySelector('#orientation-statut')?.textContent).toContain('Prise en charge');
    expect(text(fixture)).toContain('Rendez-vous fixé, le 03/12/2026 à 14h30');
    expect(actionButtons()).toEqual(['Clôturer']);
  });

  it('records a first contact made now: the API dates it', async () => {
    await render(aReferral({ status: 'accepted', allowedTransitions: ['in_charge', 'closed'] }));
    buttonByText(element, 'Enregistrer la prise en charge').click();
    await fixture.whenStable();
    (element.querySelector('#prise-en-charge-first_contact') as HTMLInputElement).click();
    await fixture.whenStable();
    buttonByText(element, 'Enregistrer la prise en charge').click();
    await fixture.whenStable();
    const request = await submitStatus();
    expect(request.request.body).toEqual({ status: 'in_charge', inChargeKind: 'first_contact' });
    request.flush(aReferral({ status: 'in_charge', inChargeKind: 'first_contact', inChargeAt: '2026-11-24T10:00:00.000Z', allowedTransitions: ['closed'] }));
    await fixture.whenStable();
  });

  it('closes with the outcome; the broken link is required when it failed, not asked when done', async () => {
    await render(aReferral({ status: 'in_charge', allowedTransitions: ['closed'] }));
    buttonByText(element, 'Clôturer').click();
    await fixture.whenStable();
    (element.querySelector('#cloture-resultat-done') as HTMLInputElement).click();
    await fixture.whenStable();
    expect(element.querySelector('#cloture-maillon')).toBeNull();

    (element.querySelector('#cloture-resultat-not_done') as HTMLInputElement).click();
    await fixture.whenStable();
    buttonByText(element, 'Confirmer la clôture').click();
    await fixture.whenStable();
    http.expectNone({ method: 'POST', url: '/api/referrals/referral-1/status' });
    expect(text(fixture)).toContain("Indiquez le maillon de l'accès qui a fait défaut.");
    expect(document.activeElement?.id).toBe('cloture-maillon');

    (element.querySelector('#cloture-resultat-unreachable') as HTMLInputElement).click();
    await fixture.whenStable();
    expect(element.querySelector('label[for="cloture-maillon"]')?.textContent).toContain('Facultatif');
    (element.querySelector('#cloture-resultat-done') as HTMLInputElement).click();
    await fixture.whenStable();
    buttonByText(element, 'Confirmer la clôture').click();
    await fixture.whenStable();
    const request = await submitStatus();
    expect(request.request.body).toEqual({ status: 'closed', outcome: 'done' });
    request.flush(aReferral({ status: 'closed', outcome: 'done', closedAt: '2026-11-24T10:00:00.000Z', allowedTransitions: [] }));
    await fixture.whenStable();
    expect(element.querySelector('#orientation-statut')?.textContent).toContain('Clôturée — Réalisée');
  });

  it('closes as "Autre" only with a comment', async () => {
    await render(aReferral({ status: 'accepted', allowedTransitions: ['closed'] }));
    buttonByText(element, 'Clôturer').click();
    await fixture.whenStable();
    (element.querySelector('#cloture-resultat-other') as HTMLInputElement).click();
    await fixture.whenStable();
    buttonByText(element, 'Confirmer la clôture').click();
    await fixture.whenStable();
    http.expectNone({ method: 'POST', url: '/api/referrals/referral-1/status' });
    expect(text(fixture)).toContain('Précisez le résultat dans le commentaire.');
    type(fieldByLabel(element, 'Commentaire') as HTMLInputElement, 'La personne a déménagé.');
    type(fieldByLabel(element, "Maillon de l'accès qui a fait défaut"), '5');
    await fixture.whenStable();
    buttonByText(element, 'Confirmer la clôture').click();
    await fixture.whenStable();
    const request = await submitStatus();
    expect(request.request.body).toEqual({ status: 'closed', outcome: 'other', brokenLink: 5, comment: 'La personne a déménagé.' });
    request.flush(aReferral({ status: 'closed', outcome: 'other', allowedTransitions: [] }));
    await fixture.whenStable();
  });

  it('redirects to another structure', async () => {
    await render(aReferral());
    buttonByText(element, 'Réorienter').click();
    await fixture.whenStable();
    http.expectOne('/api/structures').flush([
      aPartnerStructure(),
      aPartnerStructure({ id: 'structure-1', name: 'CCAS de Gap' }),
      aPartnerStructure({ id: 'structure-3', name: 'France Services du Briançonnais' }),
    ]);
    await wait(250);
    http.expectOne((request) => request.url === '/api/directory/services').flush([]);
    await fixture.whenStable();
    buttonByText(element, 'Confirmer la réorientation').click();
    await fixture.whenStable();
    http.expectNone({ method: 'POST', url: '/api/referrals/referral-1/status' });
    expect(text(fixture)).toContain('Choisissez le partenaire vers lequel réorienter la personne.');

    (element.querySelector('#reorientation-partenaire-mode-structure') as HTMLInputElement).click();
    await fixture.whenStable();
    // Neither the current receiver nor the sender is proposed.
    const options = Array.from((fieldByLabel(element, 'Structure partenaire') as HTMLSelectElement).options).map((o) => o.textContent?.trim());
    expect(options).toEqual(['Choisir une structure', 'Département — action sociale']);
    type(fieldByLabel(element, 'Structure partenaire'), 'structure-2');
    await fixture.whenStable();
    buttonByText(element, 'Confirmer la réorientation').click();
    await fixture.whenStable();
    const request = await submitStatus();
    expect(request.request.body).toEqual({ status: 'redirected', redirectToStructureId: 'structure-2' });
    request.flush(
      aReferral({
        status: 'redirected',
        redirectedTo: { id: 'structure-2', name: 'Département — action sociale', type: 'departmental_social_service' },
        allowedTransitions: [],
      }),
    );
    await fixture.whenStable();
    expect(text(fixture)).toContain('Orientation réorientée vers Département — action sociale');
  });

  it('shows the not-found page for an orientation the caller may not see', async () => {
    await render(null);
    expect(element.querySelector('h1')?.textContent).toBe('Page non trouvée');
    expect(text(fixture)).toContain('Orientation introuvable.');
  });
});
