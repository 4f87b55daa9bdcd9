import { Route } from '@angular/router';

/** `/annuaire`: the directory of partner services. */
export const directoryRoutes: Route[] = [
  {
    path: '',
    title: $localize`Annuaire des services`,
    loadComponent: () => import('./directory-search-page').then((m) => m.DirectorySearchPage),
  },
];
