import { Route } from '@angular/router';
import { DIRECTORY_ROLES, NOTIFICATION_ROLES } from '@passerelle/contracts';
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
    // Orientations received and sent by the structure, and each one's page.
    path: 'orientations',
    canActivate: [authGuard, roleGuard(...DESK_ROLES)],
    loadChildren: () => import('./referrals/referrals.routes').then((m) => m.referralsRoutes),
  },
  {
    // Handoffs (passages de relais) proposed to me and by my structure.
    path: 'relais',
    canActivate: [authGuard, roleGuard(...DESK_ROLES)],
    loadChildren: () => import('./referents/referents.routes').then((m) => m.handoffsRoutes),
  },
  {
    // The persons I am the référent de parcours for.
    path: 'mes-accompagnements',
    canActivate: [authGuard, roleGuard(...DESK_ROLES)],
    loadChildren: () => import('./referents/referents.routes').then((m) => m.caseloadRoutes),
  },
  {
    // The directory of partner services (annuaire), for whoever orients people.
    path: 'annuaire',
    canActivate: [authGuard, roleGuard(...DIRECTORY_ROLES)],
    loadChildren: () => import('./directory/directory.routes').then((m) => m.directoryRoutes),
  },
  {
    // My notifications (every role that acts for a structure); the header's bell counts the unread ones.
    path: 'notifications',
    title: $localize`Notifications`,
    canActivate: [authGuard, roleGuard(...NOTIFICATION_ROLES)],
    loadComponent: () => import('./notifications/notifications-page').then((m) => m.NotificationsPage),
  },
  {
    // Ruptures de parcours: the alerts my structure must act on.
    path: 'ruptures',
    canActivate: [authGuard, roleGuard(...DESK_ROLES)],
    loadChildren: () => import('./continuity/continuity.routes').then((m) => m.continuityRoutes),
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
