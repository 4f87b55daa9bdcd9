import { Route } from '@angular/router';

/** `/relais`: the handoffs proposed to me and those my structure proposed. */
export const handoffsRoutes: Route[] = [
  {
    path: '',
    title: $localize`Relais`,
    loadComponent: () => import('./handoffs-page').then((m) => m.HandoffsPage),
  },
];

/** `/mes-accompagnements`: the persons I am the référent for. */
export const caseloadRoutes: Route[] = [
  {
    path: '',
    title: $localize`Mes accompagnements`,
    loadComponent: () => import('./caseload-page').then((m) => m.CaseloadPage),
  },
];
