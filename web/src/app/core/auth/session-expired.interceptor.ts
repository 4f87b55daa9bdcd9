import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';
import { AuthService } from './auth.service';

/** Calls whose 401 means "wrong credentials" or "no session yet", not "your session ended". */
const SESSION_PROBES = ['/api/auth/login', '/api/auth/me', '/api/auth/logout', '/api/auth/activate'];

function isApiCall(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

function isSessionProbe(url: string): boolean {
  const path = url.split('?')[0];
  return SESSION_PROBES.includes(path);
}

/**
 * When an API call answers 401 (session expired or revoked), forgets the user and sends them to the
 * login page, which explains why (`expiree=1`) and brings them back where they were (`retour`).
 */
export const sessionExpiredInterceptor: HttpInterceptorFn = (request, next) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  return next(request).pipe(
    catchError((error: unknown) => {
      if (
        error instanceof HttpErrorResponse &&
        error.status === 401 &&
        isApiCall(request.url) &&
        !isSessionProbe(request.url)
      ) {
        auth.endSession();
        if (!router.url.startsWith('/connexion')) {
          void router.navigate(['/connexion'], { queryParams: { expiree: 1, retour: router.url } });
        }
      }
      return throwError(() => error);
    }),
  );
};
