import { Route } from '@angular/router';
import { roleGuard } from '../core/auth/auth.guards';

/** Person files (`/personnes/:id`) and their access log (`/personnes/:id/journal-des-acces`, structure admins). */
export const personsRoutes: Route[] = [
  {
    path: ':id/journal-des-acces',
    title: $localize`Journal des accès au dossier`,
    canActivate: [roleGuard('structure_admin')],
    loadComponent: () => import('../sharing/access-log-page').then((m) => m.AccessLogPage),
  },
  {
    path: ':id',
    title: $localize`Dossier de la personne`,
    loadComponent: () => import('./person-page').then((m) => m.PersonPage),
  },
];
