import { inject } from '@angular/core';
import { CanActivateFn, Router, UrlTree } from '@angular/router';
import { Role } from '@passerelle/contracts';
import { catchError, map, Observable, of } from 'rxjs';
import { AuthService } from './auth.service';
import { roleHomeUrl } from './role-home';

/** When the session cannot be checked at all (API down, 5xx), the generic error page is shown. */
function sessionCheckFailed(router: Router): Observable<UrlTree> {
  return of(router.createUrlTree(['/erreur']));
}

/** Lets signed-in users through; others go to the login page, which brings them back afterwards. */
export const authGuard: CanActivateFn = (_route, state) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  return auth.loadSession().pipe(
    map((user) => (user ? true : router.createUrlTree(['/connexion'], { queryParams: { retour: state.url } }))),
    catchError(() => sessionCheckFailed(router)),
  );
};

/**
 * Lets through users whose active membership has one of the roles. Others are sent to their own
 * home page (or to the login page when signed out). Works alone or after `authGuard`.
 */
export function roleGuard(...roles: Role[]): CanActivateFn {
  return (_route, state) => {
    const auth = inject(AuthService);
    const router = inject(Router);
    return auth.loadSession().pipe(
      map((user) => {
        if (!user) return router.createUrlTree(['/connexion'], { queryParams: { retour: state.url } });
        const role = user.activeMembership.role;
        return roles.includes(role) ? true : router.parseUrl(roleHomeUrl(role));
      }),
      catchError(() => sessionCheckFailed(router)),
    );
  };
}

/** `/` has no page of its own: it sends each user to the home page of their role. */
export const roleHomeRedirectGuard: CanActivateFn = () => {
  const auth = inject(AuthService);
  const router = inject(Router);
  return auth.loadSession().pipe(
    map((user) => router.parseUrl(user ? roleHomeUrl(user.activeMembership.role) : '/connexion')),
    catchError(() => sessionCheckFailed(router)),
  );
};
