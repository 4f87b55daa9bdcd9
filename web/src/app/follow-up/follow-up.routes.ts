import { Route } from '@angular/router';

/** Social workers' space (`/suivi`). The inbox of referrals comes in a later issue. */
export const followUpRoutes: Route[] = [
  {
    path: '',
    title: $localize`Suivi des personnes`,
    loadComponent: () => import('./follow-up-home-page').then((m) => m.FollowUpHomePage),
  },
];
