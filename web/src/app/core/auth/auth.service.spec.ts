import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { CurrentUser } from '@passerelle/contracts';
import { firstValueFrom } from 'rxjs';
import { aCurrentUser } from '../../../testing/fixtures';
import { AuthService } from './auth.service';

describe('AuthService', () => {
  let auth: AuthService;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    auth = TestBed.inject(AuthService);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('loads the session from /api/auth/me once and then answers from memory', async () => {
    const user = aCurrentUser('social_worker');
    const first = firstValueFrom(auth.loadSession());
    http.expectOne({ method: 'GET', url: '/api/auth/me' }).flush(user);
    expect(await first).toEqual(user);
    expect(auth.currentUser()).toEqual(user);
    expect(auth.homeUrl()).toBe('/suivi');

    expect(await firstValueFrom(auth.loadSession())).toEqual(user);
    http.expectNone('/api/auth/me');
  });

  it('shares one request between guards asking at the same time', async () => {
    const a = firstValueFrom(auth.loadSession());
    const b = firstValueFrom(auth.loadSession());
    http.expectOne('/api/auth/me').flush(aCurrentUser());
    expect((await a)?.id).toBe('user-1');
    expect((await b)?.id).toBe('user-1');
  });

  it('treats a 401 from /api/auth/me as "no session"', async () => {
    const session = firstValueFrom(auth.loadSession());
    http
      .expectOne('/api/auth/me')
      .flush({ statusCode: 401, code: 'AUTH_REQUIRED', message: 'Connexion requise.' }, { status: 401, statusText: 'Unauthorized' });
    expect(await session).toBeNull();
    expect(auth.currentUser()).toBeNull();
  });

  it('does not remember a failure other than 401, so the next navigation retries', async () => {
    const failed = firstValueFrom(auth.loadSession());
    http.expectOne('/api/auth/me').flush(null, { status: 503, statusText: 'Service Unavailable' });
    await expect(failed).rejects.toMatchObject({ status: 503 });

    const retried = firstValueFrom(auth.loadSession());
    http.expectOne('/api/auth/me').flush(aCurrentUser());
    expect((await retried)?.id).toBe('user-1');
  });

  it('stores the user returned by login, and forgets it on logout', async () => {
    const user = aCurrentUser('coordinator');
    const login = firstValueFrom(auth.login({ email: user.email, password: 'secret' }));
    const request = http.expectOne({ method: 'POST', url: '/api/auth/login' });
    expect(request.request.body).toEqual({ email: user.email, password: 'secret' });
    request.flush(user);
    await login;
    expect(auth.activeRole()).toBe('coordinator');

    const logout = firstValueFrom(auth.logout(), { defaultValue: undefined });
    http.expectOne({ method: 'POST', url: '/api/auth/logout' }).flush(null, { status: 204, statusText: 'No Content' });
    await logout;
    expect(auth.currentUser()).toBeNull();
    // Signed out: no need to ask the server again.
    expect(await firstValueFrom(auth.loadSession())).toBeNull();
    http.expectNone('/api/auth/me');
  });

  it('switches the active membership with the user returned by the API', async () => {
    const switched: CurrentUser = { ...aCurrentUser('structure_admin') };
    const call = firstValueFrom(auth.switchMembership({ membershipId: 'membership-2' }));
    const request = http.expectOne({ method: 'POST', url: '/api/auth/membership' });
    expect(request.request.body).toEqual({ membershipId: 'membership-2' });
    request.flush(switched);
    await call;
    expect(auth.homeUrl()).toBe('/administration');
  });
});
