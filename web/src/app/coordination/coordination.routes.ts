import { Route } from '@angular/router';

/** Territorial coordinators' space (`/coordination`): the continuity dashboard, alerts, thresholds and indicators. */
export const coordinationRoutes: Route[] = [
  {
    path: '',
    title: $localize`Coordination territoriale`,
    loadComponent: () => import('./coordination-home-page').then((m) => m.CoordinationHomePage),
  },
  {
    // Every alert of the territory (never who), filtered by structure, territory, kind and state.
    path: 'alertes',
    title: $localize`Ruptures de parcours du territoire`,
    data: { scope: 'coordinator' },
    loadComponent: () => import('../continuity/alerts-page').then((m) => m.AlertsPage),
  },
  {
    path: 'alertes/:key',
    title: $localize`Rupture de parcours`,
    loadComponent: () => import('../continuity/alert-page').then((m) => m.AlertPage),
  },
  {
    path: 'seuils',
    title: $localize`Seuils d'alerte`,
    loadComponent: () => import('../continuity/thresholds-page').then((m) => m.ThresholdsPage),
  },
  {
    // The territory's indicators (filters in the query parameters), charts, tables and exports.
    path: 'indicateurs',
    title: $localize`Indicateurs du territoire`,
    data: { scope: 'territory' },
    loadComponent: () => import('../indicators/indicators-page').then((m) => m.IndicatorsPage),
  },
];
