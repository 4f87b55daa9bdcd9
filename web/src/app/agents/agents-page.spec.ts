import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Agent, InviteAgentResponse } from '@passerelle/contracts';
import { firstValueFrom } from 'rxjs';
import { buttonByText, fieldByLabel, text, type } from '../../testing/dom';
import { aCurrentUser } from '../../testing/fixtures';
import { AuthService } from '../core/auth/auth.service';
import { AgentsPage } from './agents-page';

function anAgent(overrides: Partial<Agent> = {}): Agent {
  return {
    id: 'membership-9',
    userId: 'user-9',
    email: 'nadia.girard@demo.passerelle.fr',
    firstName: 'Nadia',
    lastName: 'Girard',
    role: 'reception_agent',
    structureId: 'structure-1',
    structureName: 'CCAS de Gap',
    status: 'active',
    mayOverrideConsent: false,
    createdAt: '2026-11-20T10:00:00.000Z',
    ...overrides,
  };
}

describe('AgentsPage', () => {
  let fixture: ComponentFixture<AgentsPage>;
  let element: HTMLElement;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [AgentsPage],
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);

    // Signed in as the admin of "structure-1".
    const login = firstValueFrom(TestBed.inject(AuthService).login({ email: 'a@b.fr', password: 'x' }));
    http.expectOne('/api/auth/login').flush(aCurrentUser('structure_admin'));
    await login;

    fixture = TestBed.createComponent(AgentsPage);
    element = fixture.nativeElement;
    await fixture.whenStable();
    http.expectOne('/api/agents?structureId=structure-1').flush([anAgent()]);
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  it('lists the agents with their role and status', () => {
    const row = element.querySelector('tbody tr');
    expect(row?.textContent).toContain('Nadia Girard');
    expect(row?.textContent).toContain('nadia.girard@demo.passerelle.fr');
    expect(row?.textContent).toContain("Agent d'accueil");
    expect(row?.textContent).toContain('Actif');
  });

  it('invites an agent and shows the activation link to hand over', async () => {
    buttonByText(element, 'Inviter un agent').click();
    await fixture.whenStable();

    type(fieldByLabel(element, 'Adresse électronique'), 'jean.moulin@demo.passerelle.fr');
    type(fieldByLabel(element, 'Prénom'), 'Jean');
    type(fieldByLabel(element, 'Nom'), 'Moulin');
    type(fieldByLabel(element, 'Rôle'), 'social_worker');
    buttonByText(element, "Envoyer l'invitation").click();
    await fixture.whenStable();

    const request = http.expectOne({ method: 'POST', url: '/api/agents' });
    // A structure admin invites into their own structure: no structureId sent.
    expect(request.request.body).toEqual({
      email: 'jean.moulin@demo.passerelle.fr',
      firstName: 'Jean',
      lastName: 'Moulin',
      role: 'social_worker',
    });
    const response: InviteAgentResponse = {
      agent: anAgent({
        id: 'membership-10',
        userId: 'user-10',
        email: 'jean.moulin@demo.passerelle.fr',
        firstName: 'Jean',
        lastName: 'Moulin',
        role: 'social_worker',
        status: 'invited',
      }),
      activationUrl: 'https://passerelle.example/activation?jeton=abc123',
      activationExpiresAt: '2026-11-27T10:00:00.000Z',
    };
    request.flush(response);
    await fixture.whenStable();

    expect(text(fixture)).toContain("Lien d'activation à transmettre à l'agent");
    expect(element.querySelector('[data-testid="activation-url"]')?.textContent?.trim()).toBe(
      'https://passerelle.example/activation?jeton=abc123',
    );
    expect(text(fixture)).toContain('27 novembre 2026');
    // The new agent is in the table, as invited; the form is closed.
    const rows = Array.from(element.querySelectorAll('tbody tr')).map((row) => row.textContent ?? '');
    expect(rows.some((row) => row.includes('Jean Moulin') && row.includes('Invité'))).toBe(true);
    expect(element.querySelector('#invitation-email')).toBeNull();
  });

  it('shows the API message when the invitation is refused', async () => {
    buttonByText(element, 'Inviter un agent').click();
    await fixture.whenStable();
    type(fieldByLabel(element, 'Adresse électronique'), 'nadia.girard@demo.passerelle.fr');
    type(fieldByLabel(element, 'Prénom'), 'Nadia');
    type(fieldByLabel(element, 'Nom'), 'Girard');
    type(fieldByLabel(element, 'Rôle'), 'reception_agent');
    buttonByText(element, "Envoyer l'invitation").click();
    await fixture.whenStable();

    http.expectOne('/api/agents').flush(
      { statusCode: 409, code: 'CONFLICT', message: 'Cette personne est déjà agent de la structure.' },
      { status: 409, statusText: 'Conflict' },
    );
    await fixture.whenStable();
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('Cette personne est déjà agent de la structure.');
    expect(element.querySelector('[data-testid="activation-url"]')).toBeNull();
  });

  it('deactivates an agent only after confirmation', async () => {
    buttonByText(element, 'Désactiver Nadia Girard').click();
    await fixture.whenStable();
    http.expectNone('/api/agents/membership-9/deactivate');

    buttonByText(element, 'Confirmer la désactivation').click();
    await fixture.whenStable();
    http.expectOne({ method: 'POST', url: '/api/agents/membership-9/deactivate' }).flush(anAgent({ status: 'deactivated' }));
    await fixture.whenStable();

    expect(element.querySelector('tbody tr')?.textContent).toContain('Désactivé');
    expect(buttonByText(element, 'Réactiver Nadia Girard')).toBeTruthy();
  });

  it('grants the exceptional access without consent after a confirmation, and removes it at once', async () => {
    expect(element.querySelector('tbody tr')?.textContent).toContain('Non autorisé');
    buttonByText(element, 'Autoriser Nadia Girard').click();
    await fixture.whenStable();
    http.expectNone('/api/agents/membership-9/consent-override');
    expect(text(fixture)).toContain('Chaque usage sera tracé');

    buttonByText(element, "Confirmer l'autorisation").click();
    await fixture.whenStable();
    const grant = http.expectOne({ method: 'POST', url: '/api/agents/membership-9/consent-override' });
    expect(grant.request.body).toEqual({ allowed: true });
    grant.flush(anAgent({ mayOverrideConsent: true }));
    await fixture.whenStable();
    expect(element.querySelector('tbody tr')?.textContent).toContain('Autorisé');
    expect(text(fixture)).toContain('Nadia Girard peut désormais ouvrir un dossier sans consentement pour un motif légal.');

    buttonByText(element, "Retirer l'autorisation d'accès exceptionnel à Nadia Girard").click();
    await fixture.whenStable();
    const removal = http.expectOne({ method: 'POST', url: '/api/agents/membership-9/consent-override' });
    expect(removal.request.body).toEqual({ allowed: false });
    removal.flush(anAgent({ mayOverrideConsent: false }));
    await fixture.whenStable();
    expect(element.querySelector('tbody tr')?.textContent).toContain('Non autorisé');
    expect(text(fixture)).toContain('Nadia Girard ne peut plus ouvrir de dossier sans consentement.');
  });
});
