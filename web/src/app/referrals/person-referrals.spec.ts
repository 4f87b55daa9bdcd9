import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { CreateReferralRequest } from '@passerelle/contracts';
import { firstValueFrom } from 'rxjs';
import { buttonByText, fieldByLabel, text, type, wait } from '../../testing/dom';
import { aCurrentUser } from '../../testing/fixtures';
import { aPartnerStructure, aReferral } from '../../testing/referrals';
import { AuthService } from '../core/auth/auth.service';
import { PersonReferrals } from './person-referrals';

describe('PersonReferrals', () => {
  let fixture: ComponentFixture<PersonReferrals>;
  let element: HTMLElement;
  let http: HttpTestingController;

  /** `url`: where the page is (its query parameters may ask to orient). */
  async function render(canOrient: boolean, url = '/'): Promise<void> {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    const login = firstValueFrom(TestBed.inject(AuthService).login({ email: 'a@b.fr', password: 'x' }));
    http.expectOne('/api/auth/login').flush(aCurrentUser('reception_agent'));
    await login;
    await TestBed.inject(Router).navigateByUrl(url);
    fixture = TestBed.createComponent(PersonReferrals);
    fixture.componentRef.setInput('personId', 'person-1');
    fixture.componentRef.setInput('communeInsee', '05023');
    fixture.componentRef.setInput('canOrient', canOrient);
    element = fixture.nativeElement;
    document.body.appendChild(element);
    await fixture.whenStable();
    http.expectOne('/api/persons/person-1/referrals').flush([
      aReferral({ status: 'in_charge', inChargeKind: 'first_contact', inChargeAt: '2026-11-22T10:00:00.000Z', sentAt: '2026-11-20T10:00:00.000Z' }),
      aReferral({ id: 'referral-2', status: 'closed', outcome: 'done', closedAt: '2026-11-23T10:00:00.000Z' }),
    ]);
    await fixture.whenStable();
  }

  afterEach(() => {
    http.verify();
    element.remove();
  });

  it("lists the person's orientations with their status and a link to each", async () => {
    await render(false);
    const items = Array.from(element.querySelectorAll('li.pa-request')).map((li) => (li.textContent ?? '').replace(/\s+/g, ' '));
    expect(items[0]).toContain('Hébergement / logement → CCAS de Gap');
    expect(items[0]).toContain('Prise en charge');
    expect(items[0]).toContain('Envoyée le 20/11/2026 par France Services du Briançonnais');
    expect(items[0]).toContain('prise en charge le 22/11/2026');
    expect(items[1]).toContain('Clôturée — Réalisée');
    expect(element.querySelector('li.pa-request a')?.getAttribute('href')).toBe('/orientations/referral-1');
    // Only the structures that follow the person orient them.
    expect(() => buttonByText(element, 'Orienter vers un partenaire')).toThrow();
  });

  it('opens the form, then announces the orientation sent with a link to it', async () => {
    await render(true);
    buttonByText(element, 'Orienter vers un partenaire').click();
    // The form is loaded on first use (@defer).
    await fixture.whenStable();
    await fixture.whenStable();
    http.expectOne('/api/structures').flush([aPartnerStructure()]);
    await wait(250);
    http.expectOne((request) => request.url === '/api/directory/services').flush([]);
    await fixture.whenStable();
    type(fieldByLabel(element, 'Besoin'), '10');
    await fixture.whenStable();
    await wait(250);
    http.expectOne((request) => request.url === '/api/directory/services').flush([]);
    (element.querySelector('#orientation-partenaire-mode-structure') as HTMLInputElement).click();
    await fixture.whenStable();
    type(fieldByLabel(element, 'Structure partenaire'), 'structure-2');
    await fixture.whenStable();
    buttonByText(element, "Envoyer l'orientation").click();
    await fixture.whenStable();
    http.expectOne({ method: 'POST', url: '/api/referrals' }).flush(
      aReferral({ id: 'referral-3', bouquet: 10, to: { id: 'structure-2', name: 'Département — action sociale', type: 'departmental_social_service' } }),
    );
    await fixture.whenStable();
    expect(element.querySelector('pa-referral-form')).toBeNull();
    expect(text(fixture)).toContain('Orientation envoyée à Département — action sociale (Aide et accompagnement social).');
    const link = element.querySelector('[role="status"] a') as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('/orientations/referral-3');
    expect(document.activeElement).toBe(link);
    expect(element.querySelectorAll('li.pa-request')).toHaveLength(3);
  });

  /** The form, loaded on first use (@defer), with the partner picker's first requests answered. */
  async function formLoaded(): Promise<void> {
    await fixture.whenStable();
    await fixture.whenStable();
    http.expectOne('/api/structures').flush([aPartnerStructure()]);
    await wait(250);
    http.expectOne((request) => request.url === '/api/directory/services').flush([]);
    await fixture.whenStable();
  }

  async function chooseStructureAndSend(): Promise<CreateReferralRequest> {
    (element.querySelector('#orientation-partenaire-mode-structure') as HTMLInputElement).click();
    await fixture.whenStable();
    type(fieldByLabel(element, 'Structure partenaire'), 'structure-2');
    await fixture.whenStable();
    buttonByText(element, "Envoyer l'orientation").click();
    await fixture.whenStable();
    const post = http.expectOne({ method: 'POST', url: '/api/referrals' });
    const body = post.request.body as CreateReferralRequest;
    post.flush(aReferral({ id: 'referral-3', bouquet: body.bouquet, to: { id: 'structure-2', name: 'Département — action sociale', type: 'departmental_social_service' } }));
    await fixture.whenStable();
    return body;
  }

  describe('opened from a contact (?orienter=…&passage=…&demande=…)', () => {
    const prefilledUrl = '/?orienter=14&passage=contact-7&demande=request-9';

    it('opens the form prefilled, focuses its heading, and sends the contact and request with the need', async () => {
      await render(true, prefilledUrl);
      await formLoaded();
      const heading = element.querySelector('#titre-nouvelle-orientation') as HTMLElement;
      expect(document.activeElement).toBe(heading);
      expect(text(fixture)).toContain("Orientation liée au passage enregistré à l'accueil et à la demande « Hébergement / logement ».");
      expect(fieldByLabel(element, 'Besoin').value).toBe('14');
      // The button is replaced by the form.
      expect(() => buttonByText(element, 'Orienter vers un partenaire')).toThrow();

      const body = await chooseStructureAndSend();
      expect(body).toMatchObject({
        personId: 'person-1',
        toStructureId: 'structure-2',
        bouquet: 14,
        fromContactId: 'contact-7',
        requestId: 'request-9',
      });
      expect(text(fixture)).toContain('Orientation envoyée à Département — action sociale (Hébergement / logement).');
      // Sent: the URL no longer asks to orient (a reload would not reopen the form).
      await fixture.whenStable();
      expect(TestBed.inject(Router).url).toBe('/');
      expect(document.activeElement).toBe(element.querySelector('[role="status"] a'));
    });

    it('says the contact it comes from when there is no request, and clears the URL when cancelled', async () => {
      await render(true, '/?orienter=14&passage=contact-7&autre=1');
      await formLoaded();
      expect(text(fixture)).toContain("Orientation liée au passage enregistré à l'accueil (besoin : Hébergement / logement).");
      buttonByText(element, 'Annuler').click();
      await fixture.whenStable();
      expect(element.querySelector('pa-referral-form')).toBeNull();
      expect(TestBed.inject(Router).url).toBe('/?autre=1');
      expect(document.activeElement).toBe(buttonByText(element, 'Orienter vers un partenaire'));
    });

    it('is ignored by the structures that may not orient the person', async () => {
      await render(false, prefilledUrl);
      expect(element.querySelector('pa-referral-form')).toBeNull();
      expect(element.querySelector('#titre-nouvelle-orientation')).toBeNull();
    });
  });

  it('orient() opens the form for a request, replacing the one open', async () => {
    await render(true);
    buttonByText(element, 'Orienter vers un partenaire').click();
    await formLoaded();
    type(fieldByLabel(element, 'Message au partenaire'), 'Texte à oublier');
    await fixture.whenStable();

    (fixture.componentInstance as PersonReferrals).orient({ bouquet: 5, requestId: 'request-2' });
    await formLoaded();
    expect(document.activeElement).toBe(element.querySelector('#titre-nouvelle-orientation'));
    expect(element.querySelectorAll('pa-referral-form')).toHaveLength(1);
    expect(fieldByLabel(element, 'Besoin').value).toBe('5');
    expect((fieldByLabel(element, 'Message au partenaire') as unknown as HTMLTextAreaElement).value).toBe('');
    const body = await chooseStructureAndSend();
    expect(body).toMatchObject({ bouquet: 5, requestId: 'request-2' });
    expect(body.fromContactId).toBeUndefined();
  });
});
