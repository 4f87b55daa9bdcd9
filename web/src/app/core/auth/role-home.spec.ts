import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ActivatedRouteSnapshot, provideRouter, Router, RouterStateSnapshot, UrlTree } from '@angular/router';
import { Role, ROLES } from '@passerelle/contracts';
import { firstValueFrom, isObservable, Observable, of } from 'rxjs';
import { aCurrentUser } from '../../../testing/fixtures';
import { roleGuard, roleHomeRedirectGuard } from './auth.guards';
import { roleHomeUrl, safeReturnUrl } from './role-home';

describe('role homes', () => {
  it.each<[Role, string]>([
    ['reception_agent', '/accueil'],
    ['social_worker', '/suivi'],
    ['coordinator', '/coordination'],
    ['structure_admin', '/administration'],
    ['platform_admin', '/plateforme'],
  ])('%s lands on %s', (role, url) => {
    expect(roleHomeUrl(role)).toBe(url);
  });

  it('has a home for every role of the contracts', () => {
    for (const role of ROLES) expect(roleHomeUrl(role)).toMatch(/^\/[a-z]+$/);
  });

  it('only follows "retour" to a page of the application', () => {
    expect(safeReturnUrl('/administration/agents?x=1')).toBe('/administration/agents?x=1');
    expect(safeReturnUrl('https://evil.example')).toBeNull();
    expect(safeReturnUrl('//evil.example')).toBeNull();
    expect(safeReturnUrl('/\\evil.example')).toBeNull();
    expect(safeReturnUrl('/connexion?expiree=1')).toBeNull();
    expect(safeReturnUrl(undefined)).toBeNull();
  });
});

describe('guards', () => {
  let http: HttpTestingController;
  let router: Router;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
  });

  afterEach(() => http.verify());

  async function run(
    guard: typeof roleHomeRedirectGuard,
    url: string,
    me: object | 'none',
  ): Promise<boolean | UrlTree> {
    const result = TestBed.runInInjectionContext(() =>
      guard({} as ActivatedRouteSnapshot, { url } as RouterStateSnapshot),
    ) as Observable<boolean | UrlTree>;
    const answer = firstValueFrom(isObservable(result) ? result : of(result));
    const request = http.expectOne('/api/auth/me');
    if (me === 'none') request.flush({ code: 'AUTH_REQUIRED' }, { status: 401, statusText: 'Unauthorized' });
    else request.flush(me);
    return answer;
  }

  it.each<[Role, string]>([
    ['reception_agent', '/accueil'],
    ['social_worker', '/suivi'],
    ['coordinator', '/coordination'],
    ['structure_admin', '/administration'],
    ['platform_admin', '/plateforme'],
  ])('"/" sends a %s to %s', async (role, url) => {
    const result = await run(roleHomeRedirectGuard, '/', aCurrentUser(role));
    expect(router.serializeUrl(result as UrlTree)).toBe(url);
  });

  it('"/" sends a signed-out visitor to the login page', async () => {
    const result = await run(roleHomeRedirectGuard, '/', 'none');
    expect(router.serializeUrl(result as UrlTree)).toBe('/connexion');
  });

  it('roleGuard lets the role through and sends other roles to their home', async () => {
    expect(await run(roleGuard('structure_admin'), '/administration/agents', aCurrentUser('structure_admin'))).toBe(true);
  });

  it('roleGuard sends another role to its own home', async () => {
    const result = await run(roleGuard('structure_admin'), '/administration/agents', aCurrentUser('reception_agent'));
    expect(router.serializeUrl(result as UrlTree)).toBe('/accueil');
  });

  it('roleGuard sends a signed-out visitor to the login page with the way back', async () => {
    const result = await run(roleGuard('structure_admin'), '/administration/agents', 'none');
    expect(router.serializeUrl(result as UrlTree)).toBe('/connexion?retour=%2Fadministration%2Fagents');
  });
});
