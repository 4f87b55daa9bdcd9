import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { CONTINUITY_DEFAULT_THRESHOLDS } from '@passerelle/contracts';
import { buttonByText, fieldByLabel, type } from '../../testing/dom';
import { ThresholdsPage } from './thresholds-page';

describe('ThresholdsPage', () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;
  let element: HTMLElement;

  const text = () => (element.textContent ?? '').replace(/\s+/g, ' ');
  const field = (label: string) => fieldByLabel(element, label) as HTMLInputElement;

  async function stable(): Promise<void> {
    await harness.fixture.whenStable();
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideRouter([{ path: 'coordination/seuils', component: ThresholdsPage }]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/coordination/seuils', ThresholdsPage);
    element = harness.routeNativeElement as HTMLElement;
    document.body.appendChild(harness.fixture.nativeElement);
    http.expectOne({ method: 'GET', url: '/api/continuity/thresholds' }).flush({ ...CONTINUITY_DEFAULT_THRESHOLDS, referral_unanswered: 10 });
    await stable();
  });

  afterEach(() => {
    http.verify();
    harness.fixture.nativeElement.remove();
  });

  it('shows one labelled number field per kind, with what it means as a hint', () => {
    expect(element.querySelectorAll('input[type="number"]')).toHaveLength(6);
    const unanswered = field('Orientation sans réponse');
    expect(unanswered.value).toBe('10');
    expect(unanswered.min).toBe('1');
    expect(unanswered.max).toBe('730');
    expect(field('Personne accompagnée perdue de vue').value).toBe('90');
    expect(text()).toContain('Orientation envoyée, ni acceptée ni refusée par la structure qui la reçoit.');
    expect(text()).toContain('Valeur par défaut : 15 jours.');
  });

  it('refuses 0 and 731, with messages linked to the fields, and sends nothing', async () => {
    type(field('Orientation sans réponse'), '0');
    type(field('Demande ouverte sans contact'), '731');
    await stable();
    buttonByText(element, 'Enregistrer les seuils').click();
    await stable();
    http.expectNone({ method: 'PUT', url: '/api/continuity/thresholds' });

    const unanswered = field('Orientation sans réponse');
    expect(unanswered.getAttribute('aria-invalid')).toBe('true');
    const messages = element.querySelector(`#${unanswered.getAttribute('aria-describedby')}`);
    expect(messages?.textContent).toContain('Saisissez un nombre entier de jours entre 1 et 730.');
    expect(field('Demande ouverte sans contact').getAttribute('aria-invalid')).toBe('true');
    expect(field('Personne accompagnée perdue de vue').getAttribute('aria-invalid')).toBeNull();
    expect(document.activeElement).toBe(unanswered);

    type(field('Orientation sans réponse'), '');
    await stable();
    buttonByText(element, 'Enregistrer les seuils').click();
    await stable();
    http.expectNone({ method: 'PUT', url: '/api/continuity/thresholds' });
    expect(field('Orientation sans réponse').getAttribute('aria-invalid')).toBe('true');
  });

  it('saves every delay with PUT and says so', async () => {
    type(field('Orientation sans réponse'), '1');
    type(field('Demande ouverte sans contact'), '730');
    await stable();
    buttonByText(element, 'Enregistrer les seuils').click();
    await stable();
    const request = http.expectOne({ method: 'PUT', url: '/api/continuity/thresholds' });
    const thresholds = { ...CONTINUITY_DEFAULT_THRESHOLDS, referral_unanswered: 1, request_without_contact: 730 };
    expect(request.request.body).toEqual({ thresholds });
    request.flush(thresholds);
    await stable();
    expect(element.querySelector('pa-status-message')?.textContent).toContain("Seuils d'alerte enregistrés.");
    expect(field('Demande ouverte sans contact').value).toBe('730');
  });
});
