import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { buttonByText, fieldByLabel, text, type } from '../../testing/dom';
import { ActivationPage } from './activation-page';

describe('ActivationPage', () => {
  let fixture: ComponentFixture<ActivationPage>;
  let element: HTMLElement;
  let http: HttpTestingController;
  let navigate: jest.SpyInstance;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [ActivationPage],
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    fixture = TestBed.createComponent(ActivationPage);
    fixture.componentRef.setInput('jeton', 'jeton-123');
    element = fixture.nativeElement;
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  function rule(): HTMLElement {
    const password = fieldByLabel(element, 'Nouveau mot de passe');
    const described = element.querySelector<HTMLElement>(`#${password.getAttribute('aria-describedby')}`);
    if (!described) throw new Error('The password field is not described by the rule');
    return described;
  }

  it('states the CNIL rule before anything is typed', () => {
    expect(rule().textContent).toContain('au moins 12 caractères');
    expect(rule().querySelector('.fr-message--info')).not.toBeNull();
  });

  it('checks the password live against the shared rule', async () => {
    const password = fieldByLabel(element, 'Nouveau mot de passe');

    type(password, 'Abcdefgh12345'); // 13 characters, 3 classes: refused
    await fixture.whenStable();
    expect(rule().querySelector('.fr-message--error')?.textContent).toContain('au moins 12 caractères');
    expect(password.getAttribute('aria-invalid')).toBe('true');

    type(password, 'Abcdefgh123456'); // 14 characters, 3 classes: accepted
    await fixture.whenStable();
    expect(rule().querySelector('.fr-message--valid')?.textContent).toContain('respecte la règle');
    expect(rule().querySelector('.fr-message--error')).toBeNull();
    expect(password.getAttribute('aria-invalid')).toBeNull();
  });

  it('refuses a weak password or a different confirmation without calling the API', async () => {
    type(fieldByLabel(element, 'Nouveau mot de passe'), 'court');
    type(fieldByLabel(element, 'Confirmation du mot de passe'), 'autre');
    buttonByText(element, 'Activer mon compte').click();
    await fixture.whenStable();

    http.expectNone('/api/auth/activate');
    expect(text(fixture)).toContain('Les deux mots de passe ne sont pas identiques.');
  });

  it('activates the account, then goes to the login page', async () => {
    type(fieldByLabel(element, 'Nouveau mot de passe'), 'Bienvenue-a-Briancon-2026!');
    type(fieldByLabel(element, 'Confirmation du mot de passe'), 'Bienvenue-a-Briancon-2026!');
    buttonByText(element, 'Activer mon compte').click();
    await fixture.whenStable();

    const request = http.expectOne({ method: 'POST', url: '/api/auth/activate' });
    expect(request.request.body).toEqual({ token: 'jeton-123', password: 'Bienvenue-a-Briancon-2026!' });
    request.flush(null, { status: 204, statusText: 'No Content' });
    await fixture.whenStable();
    expect(navigate).toHaveBeenCalledWith(['/connexion'], { queryParams: { activation: 'ok' } });
  });

  it('shows the API message when the link is no longer valid', async () => {
    type(fieldByLabel(element, 'Nouveau mot de passe'), 'Bienvenue-a-Briancon-2026!');
    type(fieldByLabel(element, 'Confirmation du mot de passe'), 'Bienvenue-a-Briancon-2026!');
    buttonByText(element, 'Activer mon compte').click();
    await fixture.whenStable();

    http.expectOne('/api/auth/activate').flush(
      { statusCode: 400, code: 'ACTIVATION_INVALID', message: 'Ce lien d’activation n’est plus valable.' },
      { status: 400, statusText: 'Bad Request' },
    );
    await fixture.whenStable();
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('Ce lien d’activation n’est plus valable.');
    expect(navigate).not.toHaveBeenCalled();
  });
});
