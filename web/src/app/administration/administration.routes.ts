import { Route } from '@angular/router';

/** Structure admins' space (`/administration`): their structure, its sites, its offer of services, its agents and their exceptional accesses. */
export const administrationRoutes: Route[] = [
  {
    path: '',
    title: $localize`Administration de la structure`,
    loadComponent: () => import('./administration-home-page').then((m) => m.AdministrationHomePage),
  },
  {
    path: 'structure',
    title: $localize`Structure et sites`,
    loadComponent: () => import('../structures/structure-edit-page').then((m) => m.StructureEditPage),
  },
  {
    path: 'offre-de-services',
    title: $localize`Offre de services`,
    loadComponent: () => import('../directory/services-admin-page').then((m) => m.ServicesAdminPage),
  },
  {
    path: 'agents',
    title: $localize`Agents de la structure`,
    loadComponent: () => import('../agents/agents-page').then((m) => m.AgentsPage),
  },
  {
    path: 'acces-exceptionnels',
    title: $localize`Accès exceptionnels`,
    loadComponent: () => import('../sharing/access-overrides-page').then((m) => m.AccessOverridesPage),
  },
  {
    // The structure's own indicators (exact), or the territory's for comparison.
    path: 'indicateurs',
    title: $localize`Indicateurs de la structure`,
    data: { scope: 'structure' },
    loadComponent: () => import('../indicators/indicators-page').then((m) => m.IndicatorsPage),
  },
];
