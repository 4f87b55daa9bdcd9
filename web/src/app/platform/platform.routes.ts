import { Route } from '@angular/router';

/** Platform admins' space (`/plateforme`): every structure of the tenant. */
export const platformRoutes: Route[] = [
  {
    path: '',
    title: $localize`Administration de la plateforme`,
    loadComponent: () => import('./platform-home-page').then((m) => m.PlatformHomePage),
  },
  {
    path: 'structures',
    title: $localize`Structures`,
    loadComponent: () => import('./structure-list-page').then((m) => m.StructureListPage),
  },
  {
    path: 'structures/:structureId',
    loadComponent: () => import('./structure-section-layout').then((m) => m.StructureSectionLayout),
    children: [
      {
        path: '',
        title: $localize`Structure et sites`,
        loadComponent: () => import('../structures/structure-edit-page').then((m) => m.StructureEditPage),
      },
      {
        path: 'agents',
        title: $localize`Agents de la structure`,
        loadComponent: () => import('../agents/agents-page').then((m) => m.AgentsPage),
      },
    ],
  },
];
