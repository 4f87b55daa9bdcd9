import { Route } from '@angular/router';

/** Reception agents' space (`/accueil`). The reception desk comes in a later issue. */
export const receptionRoutes: Route[] = [
  {
    path: '',
    title: $localize`Accueil`,
    loadComponent: () => import('./reception-home-page').then((m) => m.ReceptionHomePage),
  },
];
