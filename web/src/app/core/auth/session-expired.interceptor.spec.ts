import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { aCurrentUser } from '../../../testing/fixtures';
import { AuthService } from './auth.service';
import { sessionExpiredInterceptor } from './session-expired.interceptor';

describe('sessionExpiredInterceptor', () => {
  let http: HttpClient;
  let httpTesting: HttpTestingController;
  let auth: AuthService;
  let router: Router;
  let navigate: jest.SpyInstance;

  const expired = { statusCode: 401, code: 'SESSION_EXPIRED', message: 'Votre session a expiré.' };

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([sessionExpiredInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpClient);
    httpTesting = TestBed.inject(HttpTestingController);
    auth = TestBed.inject(AuthService);
    router = TestBed.inject(Router);

    // A signed-in user, working on the agents page.
    const login = firstValueFrom(auth.login({ email: 'a@b.fr', password: 'x' }));
    httpTesting.expectOne('/api/auth/login').flush(aCurrentUser('structure_admin'));
    await login;
    jest.spyOn(router, 'url', 'get').mockReturnValue('/administration/agents');
    navigate = jest.spyOn(router, 'navigate').mockResolvedValue(true);
  });

  afterEach(() => httpTesting.verify());

  it('on a 401 from the API, forgets the user and sends them to /connexion?expiree=1', async () => {
    const call = firstValueFrom(http.get('/api/structures'));
    httpTesting.expectOne('/api/structures').flush(expired, { status: 401, statusText: 'Unauthorized' });

    await expect(call).rejects.toMatchObject({ status: 401 });
    expect(auth.currentUser()).toBeNull();
    expect(navigate).toHaveBeenCalledWith(['/connexion'], {
      queryParams: { expiree: 1, retour: '/administration/agents' },
    });
  });

  it.each(['/api/auth/login', '/api/auth/me'])('leaves a 401 from %s to the caller', async (url) => {
    const call = firstValueFrom(http.post(url, {}));
    httpTesting.expectOne(url).flush(expired, { status: 401, statusText: 'Unauthorized' });

    await expect(call).rejects.toMatchObject({ status: 401 });
    expect(navigate).not.toHaveBeenCalled();
    expect(auth.currentUser()).not.toBeNull();
  });

  it('ignores other errors', async () => {
    const call = firstValueFrom(http.get('/api/structures'));
    httpTesting.expectOne('/api/structures').flush(null, { status: 403, statusText: 'Forbidden' });

    await expect(call).rejects.toMatchObject({ status: 403 });
    expect(navigate).not.toHaveBeenCalled();
    expect(auth.currentUser()).not.toBeNull();
  });
});
