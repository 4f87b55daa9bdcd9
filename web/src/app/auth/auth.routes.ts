import { Route } from '@angular/router';

/** Public pages: reached without a session. */
export const authRoutes: Route[] = [
  {
    path: 'connexion',
    title: $localize`Connexion`,
    loadComponent: () => import('./login-page').then((m) => m.LoginPage),
  },
  {
    path: 'activation',
    title: $localize`Activation du compte`,
    loadComponent: () => import('./activation-page').then((m) => m.ActivationPage),
  },
];
