import { Route } from '@angular/router';

/** Territorial coordinators' space (`/coordination`). Dashboards come in a later issue. */
export const coordinationRoutes: Route[] = [
  {
    path: '',
    title: $localize`Coordination territoriale`,
    loadComponent: () => import('./coordination-home-page').then((m) => m.CoordinationHomePage),
  },
];
