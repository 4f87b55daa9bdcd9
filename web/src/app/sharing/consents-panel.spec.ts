import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Consent, CreateConsentRequest, Structure } from '@passerelle/contracts';
import { firstValueFrom } from 'rxjs';
import { buttonByText, fieldByLabel, text, type } from '../../testing/dom';
import { aCurrentUser } from '../../testing/fixtures';
import { AuthService } from '../core/auth/auth.service';
import { ConsentsPanel } from './consents-panel';

function aConsent(overrides: Partial<Consent> = {}): Consent {
  return {
    id: 'consent-1',
    personId: 'person-1',
    purpose: 'coordinated_follow_up',
    recipient: { kind: 'structure', structureId: 'structure-2', structureName: 'Département — action sociale' },
    categories: ['identity_contact', 'needs_requests'],
    collectionMethod: 'oral',
    noticeVersion: '2026-11',
    collectedAt: '2026-11-20T10:00:00.000Z',
    collectedBy: { userName: 'Marie Curie', structureId: 'structure-1', structureName: 'CCAS de Gap' },
    validUntil: null,
    withdrawnAt: null,
    withdrawnBy: null,
    active: true,
    ...overrides,
  };
}

function aStructure(overrides: Partial<Structure> = {}): Structure {
  return {
    id: 'structure-2',
    name: 'Département — action sociale',
    type: 'departmental_social_service',
    siret: null,
    email: null,
    phone: null,
    communeInsee: null,
    communeName: null,
    active: true,
    siteCount: 1,
    ...overrides,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('ConsentsPanel', () => {
  let fixture: ComponentFixture<ConsentsPanel>;
  let element: HTMLElement;
  let http: HttpTestingController;

  const withdrawn = aConsent({
    id: 'consent-0',
    purpose: 'orientation',
    recipient: { kind: 'structure', structureId: 'structure-3', structureName: 'CAF des Hautes-Alpes' },
    collectedAt: '2026-10-01T10:00:00.000Z',
    withdrawnAt: '2026-10-15T08:00:00.000Z',
    withdrawnBy: { userName: 'Paul Martin', structureName: 'CCAS de Gap' },
    active: false,
  });

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    const login = firstValueFrom(TestBed.inject(AuthService).login({ email: 'a@b.fr', password: 'x' }));
    http.expectOne('/api/auth/login').flush(aCurrentUser('reception_agent'));
    await login;

    fixture = TestBed.createComponent(ConsentsPanel);
    fixture.componentRef.setInput('personId', 'person-1');
    element = fixture.nativeElement;
    document.body.appendChild(element);
    await fixture.whenStable();
    // Newest first from the API; the withdrawn one is older here, but the panel sorts active first anyway.
    http.expectOne('/api/persons/person-1/consents').flush([withdrawn, aConsent({ id: 'consent-2', purpose: 'orientation', active: false, validUntil: '2026-11-01T00:00:00.000Z', collectedAt: '2026-10-20T10:00:00.000Z' }), aConsent()]);
    await fixture.whenStable();
  });

  afterEach(() => {
    http.verify();
    element.remove();
  });

  const items = () => Array.from(element.querySelectorAll('.pa-consent')).map((item) => (item.textContent ?? '').replace(/\s+/g, ' '));

  async function openForm(structures: Structure[] = [aStructure()]): Promise<void> {
    buttonByText(element, 'Recueillir un consentement').click();
    await fixture.whenStable();
    http.expectOne('/api/structures').flush(structures);
    await fixture.whenStable();
  }

  function radio(id: string): HTMLInputElement {
    return element.querySelector(`#${id}`) as HTMLInputElement;
  }

  async function submit(): Promise<void> {
    buttonByText(element, 'Enregistrer le consentement').click();
    await fixture.whenStable();
  }

  async function fillForPartner(): Promise<void> {
    radio('consentement-finalite-coordinated_follow_up').click();
    radio('consentement-destinataire-structure').click();
    await fixture.whenStable();
    type(fieldByLabel(element, 'Structure destinataire'), 'structure-2');
    radio('consentement-categorie-identity_contact').click();
    radio('consentement-categorie-needs_requests').click();
    radio('consentement-mode-oral').click();
    await fixture.whenStable();
  }

  it('lists every consent, active ones first, with who collected or withdrew it and when', () => {
    const [active, expired, past] = items();
    expect(active).toContain('Suivi coordonné – Département — action sociale');
    expect(active).toContain('Actif');
    expect(active).toContain('Identité et coordonnées, Besoins et demandes');
    expect(active).toContain('Oral, après lecture de la notice');
    expect(active).toContain('le 20/11/2026');
    expect(active).toContain('par Marie Curie (CCAS de Gap), notice 2026-11');
    expect(active).toContain("Jusqu'à son retrait");
    expect(expired).toContain('Expiré');
    expect(expired).toContain('01/11/2026');
    // History is never hidden: the withdrawn consent stays, with who withdrew it.
    expect(past).toContain('Orientation vers un partenaire – CAF des Hautes-Alpes');
    expect(past).toContain('Retiré');
    expect(past).toContain('le 15/10/2026');
    expect(past).toContain('par Paul Martin (CCAS de Gap)');
    // "Retirer" only on the active consent.
    expect(element.querySelectorAll('.pa-consent button')).toHaveLength(1);
  });

  it('records a consent with the person: the right payload, the notice version, then the new consent on top', async () => {
    await openForm([aStructure({ id: 'structure-1', name: 'CCAS de Gap' }), aStructure(), aStructure({ id: 'structure-9', name: 'Ancienne structure', active: false })]);
    radio('consentement-destinataire-structure').click();
    await fixture.whenStable();
    // The agent's own structure and inactive ones are not proposed.
    const options = Array.from((fieldByLabel(element, 'Structure destinataire') as HTMLSelectElement).options).map((o) => o.textContent?.trim());
    expect(options).toEqual(['Choisir une structure', 'Département — action sociale']);
    // The notice shown, read-only, and its PDF.
    expect((fieldByLabel(element, "Version de la notice d'information présentée") as HTMLInputElement).readOnly).toBe(true);
    expect((fieldByLabel(element, "Version de la notice d'information présentée") as HTMLInputElement).value).toBe('2026-11');
    const notice = Array.from(element.querySelectorAll('a')).find((a) => a.textContent?.includes('Notice d’information et formulaire de consentement (PDF)'));
    expect(notice?.getAttribute('href')).toBe('/api/persons/person-1/consents/notice.pdf');
    expect(notice?.hasAttribute('download')).toBe(true);

    await fillForPartner();
    await submit();
    const request = http.expectOne({ method: 'POST', url: '/api/persons/person-1/consents' });
    const body = request.request.body as CreateConsentRequest;
    expect(body).toEqual({
      clientRequestId: expect.stringMatching(UUID),
      purpose: 'coordinated_follow_up',
      recipientKind: 'structure',
      recipientStructureId: 'structure-2',
      categories: ['identity_contact', 'needs_requests'],
      collectionMethod: 'oral',
      noticeVersion: '2026-11',
    });
    request.flush(aConsent({ id: 'consent-3', collectedAt: '2026-11-24T10:00:00.000Z' }));
    await fixture.whenStable();
    expect(text(fixture)).toContain('Consentement enregistré : Suivi coordonné – Département — action sociale.');
    expect(items()).toHaveLength(4);
    expect(items()[0]).toContain('24/11/2026');
    // The form closed; the focus is back on its button.
    expect(document.activeElement?.textContent?.trim()).toBe('Recueillir un consentement');
  });

  it('sends an optional end date as the end of that day', async () => {
    await openForm();
    await fillForPartner();
    type(fieldByLabel(element, "Valable jusqu'au") as HTMLInputElement, '2099-12-31');
    await submit();
    const request = http.expectOne({ method: 'POST', url: '/api/persons/person-1/consents' });
    expect((request.request.body as CreateConsentRequest).validUntil).toBe(new Date('2099-12-31T23:59:59').toISOString());
    request.flush(aConsent({ id: 'consent-3' }));
    await fixture.whenStable();
  });

  it('checks the form before sending: nothing is pre-selected, the person chooses', async () => {
    await openForm();
    await submit();
    http.expectNone({ method: 'POST', url: '/api/persons/person-1/consents' });
    const page = text(fixture);
    expect(page).toContain('Choisissez la finalité du partage.');
    expect(page).toContain('Choisissez à qui les informations sont partagées.');
    expect(page).toContain("Cochez au moins une catégorie d'informations à partager.");
    expect(page).toContain('Indiquez comment le consentement a été recueilli.');
    expect(document.activeElement).toBe(radio('consentement-finalite-orientation'));

    // Summaries travel with the contacts they belong to.
    await fillForPartner();
    radio('consentement-categorie-needs_requests').click();
    radio('consentement-categorie-interview_summaries').click();
    await submit();
    http.expectNone({ method: 'POST', url: '/api/persons/person-1/consents' });
    expect(text(fixture)).toContain('cochez aussi « Besoins et demandes »');
  });

  it('network visibility goes to the whole network, with no category', async () => {
    await openForm();
    expect(radio('consentement-destinataire-reseau').disabled).toBe(true);
    radio('consentement-finalite-network_visibility').click();
    await fixture.whenStable();
    expect(radio('consentement-destinataire-reseau').checked).toBe(true);
    expect(radio('consentement-destinataire-structure').disabled).toBe(true);
    expect(element.querySelector('#consentement-categories')).toBeNull();
    radio('consentement-mode-signed_paper').click();
    await submit();
    const request = http.expectOne({ method: 'POST', url: '/api/persons/person-1/consents' });
    expect(request.request.body).toMatchObject({ purpose: 'network_visibility', recipientKind: 'network', categories: [] });
    expect(request.request.body).not.toHaveProperty('recipientStructureId');
    request.flush(aConsent({ id: 'consent-3', purpose: 'network_visibility', recipient: { kind: 'network', structureId: null, structureName: null }, categories: [] }));
    await fixture.whenStable();
    expect(items()[0]).toContain('Visibilité dans le réseau – Tout le réseau du territoire');
    expect(items()[0]).toContain('Aucune (identité minimale et structures qui connaissent la personne)');
  });

  it('shows the API validation errors under their fields, and retries with the same key', async () => {
    await openForm();
    await fillForPartner();
    await submit();
    const first = http.expectOne({ method: 'POST', url: '/api/persons/person-1/consents' });
    const message = 'Votre structure suit déjà cette personne : choisissez une structure partenaire.';
    first.flush(
      { statusCode: 400, code: 'VALIDATION_FAILED', message: 'Données invalides.', details: [{ field: 'recipientStructureId', messages: [message] }] },
      { status: 400, statusText: 'Bad Request' },
    );
    await fixture.whenStable();
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('Données invalides.');
    expect(element.querySelector('#consentement-structure-messages')?.textContent).toContain(message);
    expect(document.activeElement).toBe(element.querySelector('#consentement-structure'));

    await submit();
    const retry: TestRequest = http.expectOne({ method: 'POST', url: '/api/persons/person-1/consents' });
    expect((retry.request.body as CreateConsentRequest).clientRequestId).toBe((first.request.body as CreateConsentRequest).clientRequestId);
    retry.flush(aConsent({ id: 'consent-3' }));
    await fixture.whenStable();
  });

  it('withdraws a consent only after a confirmation, and keeps it in the history', async () => {
    const withdrawButton = element.querySelector('.pa-consent button') as HTMLButtonElement;
    expect(withdrawButton.textContent?.replace(/\s+/g, ' ').trim()).toBe('Retirer Suivi coordonné – Département — action sociale');
    withdrawButton.click();
    await fixture.whenStable();
    http.expectNone({ method: 'POST', url: '/api/persons/person-1/consents/consent-1/withdraw' });
    expect(text(fixture)).toContain('Le partage cesse immédiatement');
    const confirm = buttonByText(element, 'Confirmer le retrait');
    expect(document.activeElement).toBe(confirm);

    confirm.click();
    await fixture.whenStable();
    const request = http.expectOne({ method: 'POST', url: '/api/persons/person-1/consents/consent-1/withdraw' });
    request.flush(
      aConsent({ active: false, withdrawnAt: '2026-11-24T11:00:00.000Z', withdrawnBy: { userName: 'Marie Curie', structureName: 'CCAS de Gap' } }),
    );
    await fixture.whenStable();
    expect(text(fixture)).toContain('Consentement retiré : Suivi coordonné – Département — action sociale. Le partage a cessé.');
    expect(items()).toHaveLength(3);
    expect(element.querySelectorAll('.pa-consent button')).toHaveLength(0);
    const item = items().find((i) => i.includes('Département')) ?? '';
    expect(item).toContain('Retiré');
    expect(item).toContain('par Marie Curie (CCAS de Gap)');
    expect(document.activeElement?.id).toBe('consentement-consent-1-titre');
  });

  it('cancelling the confirmation sends nothing', async () => {
    (element.querySelector('.pa-consent button') as HTMLButtonElement).click();
    await fixture.whenStable();
    buttonByText(element, 'Annuler').click();
    await fixture.whenStable();
    http.expectNone({ method: 'POST', url: '/api/persons/person-1/consents/consent-1/withdraw' });
    expect(element.querySelectorAll('.pa-consent button')).toHaveLength(1);
  });
});
