import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Consent, CreateConsentRequest, CreateReferralRequest, Referral } from '@passerelle/contracts';
import { firstValueFrom } from 'rxjs';
import { buttonByText, fieldByLabel, text, type, wait } from '../../testing/dom';
import { aCurrentUser } from '../../testing/fixtures';
import { aPartnerStructure, aReferral, aServiceHit } from '../../testing/referrals';
import { AuthService } from '../core/auth/auth.service';
import { ReferralForm } from './referral-form';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const SENT = aReferral({
  id: 'referral-9',
  from: { id: 'structure-1', name: 'CCAS de Gap', type: 'ccas', userName: 'Marie Curie' },
  to: { id: 'structure-2', name: 'Département — action sociale', type: 'departmental_social_service' },
  allowedTransitions: ['cancelled'],
});

function aConsent(overrides: Partial<Consent> = {}): Consent {
  return {
    id: 'consent-1',
    personId: 'person-1',
    purpose: 'orientation',
    recipient: { kind: 'structure', structureId: 'structure-2', structureName: 'Département — action sociale' },
    categories: ['identity_contact', 'needs_requests'],
    collectionMethod: 'oral',
    noticeVersion: '2026-11',
    collectedAt: '2026-11-24T10:00:00.000Z',
    collectedBy: { userName: 'Marie Curie', structureId: 'structure-1', structureName: 'CCAS de Gap' },
    validUntil: null,
    withdrawnAt: null,
    withdrawnBy: null,
    active: true,
    ...overrides,
  };
}

describe('ReferralForm', () => {
  let fixture: ComponentFixture<ReferralForm>;
  let element: HTMLElement;
  let http: HttpTestingController;
  let sent: Referral[];

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    const login = firstValueFrom(TestBed.inject(AuthService).login({ email: 'a@b.fr', password: 'x' }));
    http.expectOne('/api/auth/login').flush(aCurrentUser('reception_agent'));
    await login;

    fixture = TestBed.createComponent(ReferralForm);
    fixture.componentRef.setInput('personId', 'person-1');
    fixture.componentRef.setInput('communeInsee', '05023');
    sent = [];
    fixture.componentInstance.sent.subscribe((referral) => sent.push(referral));
    element = fixture.nativeElement;
    document.body.appendChild(element);
    await fixture.whenStable();
    http.expectOne('/api/structures').flush([
      aPartnerStructure({ id: 'structure-1', name: 'CCAS de Gap' }),
      aPartnerStructure(),
      aPartnerStructure({ id: 'structure-5', name: 'CAF des Hautes-Alpes', type: 'caf' }),
      aPartnerStructure({ id: 'structure-9', name: 'Ancienne structure', active: false }),
    ]);
    // The service picker searches after a short pause.
    await wait(250);
    const services = http.expectOne((request) => request.url === '/api/directory/services');
    expect(services.request.params.toString()).toBe('commune=05023&excludeOwn=true&limit=20');
    services.flush([]);
    await fixture.whenStable();
  });

  afterEach(() => {
    http.verify();
    element.remove();
  });

  const checked = () =>
    Array.from(element.querySelectorAll<HTMLInputElement>('#orientation-categories input:checked')).map((input) => input.id.replace('orientation-categorie-', ''));

  async function chooseNeed(code: string): Promise<TestRequest> {
    type(fieldByLabel(element, 'Besoin'), code);
    await fixture.whenStable();
    await wait(250);
    return http.expectOne((request) => request.url === '/api/directory/services');
  }

  async function chooseStructure(id: string): Promise<void> {
    (element.querySelector('#orientation-partenaire-mode-structure') as HTMLInputElement).click();
    await fixture.whenStable();
    type(fieldByLabel(element, 'Structure partenaire'), id);
    await fixture.whenStable();
  }

  async function send(label = "Envoyer l'orientation"): Promise<void> {
    buttonByText(element, label).click();
    await fixture.whenStable();
  }

  function postedReferral(): TestRequest {
    return http.expectOne({ method: 'POST', url: '/api/referrals' });
  }

  it('shares only the identity by default, and asks for the need and the partner', async () => {
    expect(checked()).toEqual(['identity_contact']);
    expect(document.activeElement?.id).toBe('orientation-besoin');
    expect(text(fixture)).toContain('jamais de note privée');
    await send();
    http.expectNone({ method: 'POST', url: '/api/referrals' });
    expect(text(fixture)).toContain('Choisissez le besoin pour lequel la personne est orientée.');
    expect(text(fixture)).toContain("Choisissez le partenaire : un service de l'annuaire ou une structure.");
    expect(document.activeElement?.id).toBe('orientation-besoin');
  });

  it("orients to a service of the directory near the person's commune", async () => {
    const services = await chooseNeed('14');
    expect(services.request.params.toString()).toBe('bouquet=14&commune=05023&excludeOwn=true&limit=20');
    services.flush([aServiceHit()]);
    await fixture.whenStable();
    expect(text(fixture)).toContain('Accompagnement social — Département — action sociale');
    expect(text(fixture)).toContain('Ouvert à la commune, délivré plus loin');
    (element.querySelector('input[type="radio"][value="service-2"]') as HTMLInputElement).click();
    type(fieldByLabel(element, 'Message au partenaire') as HTMLInputElement, 'Rendez-vous souhaité le matin.');
    await fixture.whenStable();
    await send();
    const request = postedReferral();
    expect(request.request.body).toEqual({
      clientRequestId: expect.stringMatching(UUID),
      personId: 'person-1',
      toStructureId: 'structure-2',
      toServiceId: 'service-2',
      bouquet: 14,
      message: 'Rendez-vous souhaité le matin.',
      categories: ['identity_contact'],
    });
    request.flush(SENT);
    await fixture.whenStable();
    expect(sent).toEqual([SENT]);
  });

  it('orients to a structure without a service; neither my structure nor inactive ones are proposed', async () => {
    (await chooseNeed('10')).flush([]);
    await fixture.whenStable();
    (element.querySelector('#orientation-partenaire-mode-structure') as HTMLInputElement).click();
    await fixture.whenStable();
    const options = Array.from((fieldByLabel(element, 'Structure partenaire') as HTMLSelectElement).options).map((o) => o.textContent?.trim());
    expect(options).toEqual(['Choisir une structure', 'CAF des Hautes-Alpes', 'Département — action sociale']);
    await chooseStructure('structure-5');
    await send();
    const request = postedReferral();
    expect(request.request.body).toMatchObject({ toStructureId: 'structure-5', bouquet: 10, categories: ['identity_contact'] });
    expect(request.request.body).not.toHaveProperty('toServiceId');
    request.flush(SENT);
    await fixture.whenStable();
  });

  async function refusedForConsent(): Promise<CreateReferralRequest> {
    (await chooseNeed('14')).flush([]);
    await chooseStructure('structure-2');
    (element.querySelector('#orientation-categorie-needs_requests') as HTMLInputElement).click();
    (element.querySelector('#orientation-categorie-family_housing') as HTMLInputElement).click();
    await fixture.whenStable();
    await send();
    const first = postedReferral();
    const body = first.request.body as CreateReferralRequest;
    expect(body.categories).toEqual(['identity_contact', 'family_housing', 'needs_requests']);
    first.flush(
      {
        statusCode: 409,
        code: 'CONSENT_REQUIRED',
        message: 'Le consentement de la personne ne couvre pas ces informations.',
        consentRequired: { structureId: 'structure-2', missingCategories: ['needs_requests', 'identity_contact'] },
      },
      { status: 409, statusText: 'Conflict' },
    );
    await fixture.whenStable();
    return body;
  }

  it('on CONSENT_REQUIRED, says which categories are not agreed, and records the consent now before sending again', async () => {
    const first = await refusedForConsent();
    const alert = element.querySelector('.fr-alert--warning') as HTMLElement;
    const explained = (alert.textContent ?? '').replace(/\s+/g, ' ');
    expect(explained).toContain("La personne n'a pas donné son accord pour partager ces informations avec Département — action sociale");
    expect(explained).toContain('Identité et coordonnées');
    expect(explained).toContain('Besoins et demandes');
    expect(explained).not.toContain('Situation familiale');
    expect(document.activeElement?.textContent).toContain('Consentement à recueillir');

    buttonByText(element, 'Recueillir son consentement maintenant').click();
    await fixture.whenStable();
    const step = element.querySelector('pa-referral-consent') as HTMLElement;
    expect(step.textContent).toContain('avec Département — action sociale, pour cette orientation');
    expect(step.querySelector('a[download]')?.getAttribute('href')).toBe('/api/persons/person-1/consents/notice.pdf');
    buttonByText(element, 'Enregistrer le consentement et envoyer').click();
    await fixture.whenStable();
    http.expectNone({ method: 'POST', url: '/api/persons/person-1/consents' });
    expect(step.textContent).toContain('Indiquez comment le consentement a été recueilli.');

    (element.querySelector('#orientation-consentement-mode-oral') as HTMLInputElement).click();
    await fixture.whenStable();
    buttonByText(element, 'Enregistrer le consentement et envoyer').click();
    await fixture.whenStable();
    const consent = http.expectOne({ method: 'POST', url: '/api/persons/person-1/consents' });
    expect(consent.request.body as CreateConsentRequest).toEqual({
      clientRequestId: expect.stringMatching(UUID),
      purpose: 'orientation',
      recipientKind: 'structure',
      recipientStructureId: 'structure-2',
      categories: ['identity_contact', 'needs_requests'],
      collectionMethod: 'oral',
      noticeVersion: '2026-11',
    });
    expect((consent.request.body as CreateConsentRequest).clientRequestId).not.toBe(first.clientRequestId);
    consent.flush(aConsent());
    await fixture.whenStable();

    // The same orientation is sent again, with the same key and the same categories.
    const retry = postedReferral();
    expect(retry.request.body).toEqual(first);
    retry.flush(SENT);
    await fixture.whenStable();
    expect(sent).toEqual([SENT]);
  });

  it('on CONSENT_REQUIRED, can send without the categories not agreed, with the same key', async () => {
    const first = await refusedForConsent();
    await send('Envoyer sans ces informations');
    const retry = postedReferral();
    expect(retry.request.body).toEqual({ ...first, categories: ['family_housing'] });
    retry.flush(SENT);
    await fixture.whenStable();
    expect(checked()).toEqual(['family_housing']);
    expect(sent).toEqual([SENT]);
  });

  it('shows another API error in the alert and sends again with the same key', async () => {
    (await chooseNeed('14')).flush([]);
    await chooseStructure('structure-2');
    await send();
    const first = postedReferral();
    first.flush({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'Une erreur inattendue est survenue.' }, { status: 500, statusText: 'Error' });
    await fixture.whenStable();
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('Une erreur inattendue est survenue.');
    await send();
    const retry = postedReferral();
    expect((retry.request.body as CreateReferralRequest).clientRequestId).toBe((first.request.body as CreateReferralRequest).clientRequestId);
    retry.flush(SENT);
    await fixture.whenStable();
  });
});
