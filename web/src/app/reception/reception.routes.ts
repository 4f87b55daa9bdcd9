import { Route } from '@angular/router';
import { PAGE_MANAGES_FOCUS } from '../core/navigation/focus-on-navigation';

/** The reception desk (`/accueil`) and the day's contacts (`/accueil/aujourdhui`). */
export const receptionRoutes: Route[] = [
  {
    path: '',
    pathMatch: 'full',
    title: $localize`Accueil`,
    // The desk puts the focus in its search box itself, also after an in-app navigation.
    data: { [PAGE_MANAGES_FOCUS]: true },
    loadComponent: () => import('./desk-page').then((m) => m.DeskPage),
  },
  {
    path: 'aujourdhui',
    title: $localize`Aujourd'hui`,
    loadComponent: () => import('./today-page').then((m) => m.TodayPage),
  },
];
