import { Route } from '@angular/router';

/** Error pages. The wildcard must stay the last route of the application. */
export const errorRoutes: Route[] = [
  {
    path: 'erreur',
    title: $localize`Erreur inattendue`,
    loadComponent: () => import('./error-page').then((m) => m.ErrorPage),
  },
  {
    path: '**',
    title: $localize`Page non trouvée`,
    loadComponent: () => import('./not-found-page').then((m) => m.NotFoundPage),
  },
];
