import { Route } from '@angular/router';

/** Ruptures de parcours of my structure (`/ruptures`): the alerts it must act on. */
export const continuityRoutes: Route[] = [
  {
    path: '',
    title: $localize`Ruptures de parcours`,
    data: { scope: 'structure' },
    loadComponent: () => import('./alerts-page').then((m) => m.AlertsPage),
  },
];
