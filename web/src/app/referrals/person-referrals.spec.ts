import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
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

  async function render(canOrient: boolean): Promise<void> {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    const login = firstValueFrom(TestBed.inject(AuthService).login({ email: 'a@b.fr', password: 'x' }));
    http.expectOne('/api/auth/login').flush(aCurrentUser('reception_agent'));
    await login;
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
});
