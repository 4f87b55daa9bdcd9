import { Route } from '@angular/router';

/** Person files (`/personnes/:id`). */
export const personsRoutes: Route[] = [
  {
    path: ':id',
    title: $localize`Dossier de la personne`,
    loadComponent: () => import('./person-page').then((m) => m.PersonPage),
  },
];
