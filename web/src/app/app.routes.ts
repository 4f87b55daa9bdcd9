import { Route } from '@angular/router';
import { authRoutes } from './auth/auth.routes';
import { authGuard, roleGuard, roleHomeRedirectGuard } from './core/auth/auth.guards';
import { DESK_ROLES } from './core/auth/role-home';
import { errorRoutes } from './errors/errors.routes';

export const appRoutes: Route[] = [
  // Public pages: /connexion, /activation.
  ...authRoutes,
  // "/" has no page: each role has its own home.
  { path: '', pathMatch: 'full', canActivate: [roleHomeRedirectGuard], children: [] },
  {
    // The reception desk: home of reception agents, also used by social workers and structure admins.
    path: 'accueil',
    canActivate: [authGuard, roleGuard(...DESK_ROLES)],
    loadChildren: () => import('./reception/reception.routes').then((m) => m.receptionRoutes),
  },
  {
    path: 'personnes',
    canActivate: [authGuard, roleGuard(...DESK_ROLES)],
    loadChildren: () => import('./persons/persons.routes').then((m) => m.personsRoutes),
  },
  {
    path: 'suivi',
    canActivate: [authGuard, roleGuard('social_worker')],
    loadChildren: () => import('./follow-up/follow-up.routes').then((m) => m.followUpRoutes),
  },
  {
    path: 'coordination',
    canActivate: [authGuard, roleGuard('coordinator')],
    loadChildren: () => import('./coordination/coordination.routes').then((m) => m.coordinationRoutes),
  },
  {
    path: 'administration',
    canActivate: [authGuard, roleGuard('structure_admin')],
    loadChildren: () => import('./administration/administration.routes').then((m) => m.administrationRoutes),
  },
  {
    path: 'plateforme',
    canActivate: [authGuard, roleGuard('platform_admin')],
    loadChildren: () => import('./platform/platform.routes').then((m) => m.platformRoutes),
  },
  // /erreur and the 404 page for every other URL (keep last).
  ...errorRoutes,
];
