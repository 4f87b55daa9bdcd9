import { Route } from '@angular/router';

/**
 * Orientations: those received by my structure (`/orientations/recues`, also `/orientations`), those
 * it sent (`/orientations/envoyees`), and one orientation (`/orientations/:id`).
 */
export const referralsRoutes: Route[] = [
  { path: '', pathMatch: 'full', redirectTo: 'recues' },
  {
    path: 'recues',
    title: $localize`Orientations reçues`,
    loadComponent: () => import('./inbox-page').then((m) => m.InboxPage),
  },
  {
    path: 'envoyees',
    title: $localize`Orientations envoyées`,
    loadComponent: () => import('./sent-page').then((m) => m.SentPage),
  },
  {
    path: ':id',
    title: $localize`Orientation`,
    loadComponent: () => import('./referral-page').then((m) => m.ReferralPage),
  },
];
