import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { aCurrentUser } from '../testing/fixtures';
import { App } from './app';
import { AuthService } from './core/auth/auth.service';

describe('App', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [App],
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('renders the DSFR frame: skip link, header, main and footer', async () => {
    const fixture = TestBed.createComponent(App);
    // The shell asks for the session once, whatever the page.
    http.expectOne('/api/auth/me').flush({ code: 'AUTH_REQUIRED' }, { status: 401, statusText: 'Unauthorized' });
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;

    expect(element.querySelector('.fr-skiplinks a')?.textContent).toContain('Aller au contenu');
    expect(element.querySelector('header.fr-header .fr-header__service-title')?.textContent).toContain('Passerelle');
    expect(element.querySelector('header .fr-header__service-tagline')?.textContent).toContain(
      'Premier accueil social inconditionnel',
    );
    expect(element.querySelector('main#contenu')).not.toBeNull();
    expect(element.querySelector('footer.fr-footer')).not.toBeNull();
    // Signed out: no navigation, no logout.
    expect(element.querySelector('nav.fr-nav')).toBeNull();
  });

  it('shows the signed-in user, their membership, the role navigation and the switcher', async () => {
    const user = aCurrentUser('structure_admin', [
      {
        id: 'membership-2',
        role: 'social_worker',
        structure: { id: 'structure-2', name: 'CCAS d’Embrun', type: 'ccas' },
        mayOverrideConsent: false,
      },
    ]);
    const login = firstValueFrom(TestBed.inject(AuthService).login({ email: user.email, password: 'x' }));
    http.expectOne('/api/auth/login').flush(user);
    await login;

    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    const header = (fixture.nativeElement as HTMLElement).querySelector('header') as HTMLElement;

    const tools = header.querySelector('.fr-header__tools-links') as HTMLElement;
    expect(tools.textContent).toContain('Marie Curie');
    expect(tools.textContent).toContain('Administrateur de structure – CCAS de Gap');
    expect(tools.textContent).toContain('Changer de structure');
    expect(tools.textContent).toContain('Se déconnecter');
    const links = Array.from(header.querySelectorAll('nav.fr-nav a')).map((a) => a.textContent?.trim());
    expect(links).toEqual([
      'Tableau de bord',
      'Accueil',
      "Aujourd'hui",
      'Orientations reçues',
      'Orientations envoyées',
      'Mes accompagnements',
      'Relais',
      'Ruptures de parcours',
      'Annuaire',
      'Structure et sites',
      'Offre de services',
      'Agents',
      'Indicateurs',
    ]);
  });
});
