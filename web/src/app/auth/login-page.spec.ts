import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { aCurrentUser } from '../../testing/fixtures';
import { buttonByText, fieldByLabel, text, type } from '../../testing/dom';
import { LoginPage } from './login-page';

describe('LoginPage', () => {
  let fixture: ComponentFixture<LoginPage>;
  let element: HTMLElement;
  let http: HttpTestingController;
  let navigateByUrl: jest.SpyInstance;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [LoginPage],
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    navigateByUrl = jest.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    fixture = TestBed.createComponent(LoginPage);
    element = fixture.nativeElement;
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  async function logIn(email: string, password: string): Promise<void> {
    type(fieldByLabel(element, 'Adresse électronique'), email);
    type(fieldByLabel(element, 'Mot de passe'), password);
    buttonByText(element, 'Se connecter').click();
    await fixture.whenStable();
  }

  it.each([
    [401, 'INVALID_CREDENTIALS', 'Adresse électronique ou mot de passe incorrect.'],
    [423, 'ACCOUNT_LOCKED', 'Votre compte est verrouillé pendant 15 minutes après trop d’échecs.'],
    [429, 'TOO_MANY_REQUESTS', 'Trop de tentatives de connexion. Réessayez dans une minute.'],
  ])('shows the API message of a %s (%s) and stays on the page', async (status, code, message) => {
    await logIn('marie.curie@demo.passerelle.fr', 'Mauvais-mot-de-passe-1!');

    const request = http.expectOne({ method: 'POST', url: '/api/auth/login' });
    expect(request.request.body).toEqual({ email: 'marie.curie@demo.passerelle.fr', password: 'Mauvais-mot-de-passe-1!' });
    request.flush({ statusCode: status, code, message }, { status, statusText: 'Error' });
    await fixture.whenStable();

    const alert = element.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain(message);
    expect(navigateByUrl).not.toHaveBeenCalled();
    expect(fieldByLabel(element, 'Mot de passe').value).toBe('');
  });

  it('goes to the role home after login', async () => {
    await logIn('marie.curie@demo.passerelle.fr', 'Bon-mot-de-passe-1!');
    http.expectOne('/api/auth/login').flush(aCurrentUser('coordinator'));
    await fixture.whenStable();
    expect(navigateByUrl).toHaveBeenCalledWith('/coordination');
  });

  it('goes back to "retour" after login, but never to another site', async () => {
    fixture.componentRef.setInput('retour', '/administration/agents');
    await logIn('marie.curie@demo.passerelle.fr', 'Bon-mot-de-passe-1!');
    http.expectOne('/api/auth/login').flush(aCurrentUser('structure_admin'));
    await fixture.whenStable();
    expect(navigateByUrl).toHaveBeenCalledWith('/administration/agents');

    navigateByUrl.mockClear();
    fixture.componentRef.setInput('retour', 'https://evil.example/');
    await logIn('marie.curie@demo.passerelle.fr', 'Bon-mot-de-passe-1!');
    http.expectOne('/api/auth/login').flush(aCurrentUser('structure_admin'));
    await fixture.whenStable();
    expect(navigateByUrl).toHaveBeenCalledWith('/administration');
  });

  it('explains that the session expired when sent back with expiree=1', async () => {
    expect(text(fixture)).not.toContain('Votre session a expiré');
    fixture.componentRef.setInput('expiree', '1');
    await fixture.whenStable();
    expect(text(fixture)).toContain('Votre session a expiré, reconnectez-vous.');
  });

  it('does not call the API with empty fields and links the errors to the fields', async () => {
    buttonByText(element, 'Se connecter').click();
    await fixture.whenStable();

    http.expectNone('/api/auth/login');
    const email = fieldByLabel(element, 'Adresse électronique');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    const messages = element.querySelector(`#${email.getAttribute('aria-describedby')}`);
    expect(messages?.textContent).toContain('Saisissez votre adresse électronique.');
    expect(document.activeElement).toBe(email);
  });
});
