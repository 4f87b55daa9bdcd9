import { DOCUMENT } from '@angular/common';
import {
  afterNextRender,
  DestroyRef,
  EnvironmentProviders,
  inject,
  Injector,
  provideEnvironmentInitializer,
} from '@angular/core';
import { ActivatedRouteSnapshot, NavigationEnd, Router } from '@angular/router';
import { filter, skip } from 'rxjs';

/**
 * Route data key: the page moves the focus itself on arrival (e.g. the desk's search box), so the
 * navigation must not move it to the h1 afterwards.
 */
export const PAGE_MANAGES_FOCUS = 'pageManagesFocus';

/**
 * Navigation state (`router.navigate(…, { state: KEEP_FOCUS })`): a navigation that only tidies the
 * URL of the page being used (e.g. clears query parameters once acted upon) leaves the focus where the
 * page put it.
 */
export const KEEP_FOCUS: Readonly<Record<string, unknown>> = { keepFocus: true };

function pageManagesFocus(route: ActivatedRouteSnapshot): boolean {
  let current: ActivatedRouteSnapshot | null = route;
  while (current?.firstChild) current = current.firstChild;
  return current?.data[PAGE_MANAGES_FOCUS] === true;
}

/** Moves focus to the page's main heading (or to `main`) so screen reader users hear where they are. */
export function focusMainHeading(document: Document): void {
  const main = document.getElementById('contenu');
  const target = main?.querySelector<HTMLElement>('h1') ?? main;
  if (!target) return;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus({ preventScroll: false });
}

/**
 * After each in-app navigation (not the first page load, where the browser starts at the top), focus
 * goes to the new page's h1: otherwise keyboard and screen reader users stay on the link they
 * followed, in a page that has changed under them.
 */
export function provideFocusOnNavigation(): EnvironmentProviders {
  return provideEnvironmentInitializer(() => {
    const router = inject(Router);
    const injector = inject(Injector);
    const document = inject(DOCUMENT);
    const subscription = router.events
      .pipe(
        filter((event) => event instanceof NavigationEnd),
        skip(1),
      )
      .subscribe(() => {
        if (pageManagesFocus(router.routerState.snapshot.root)) return;
        if (router.lastSuccessfulNavigation()?.extras.state?.['keepFocus'] === true) return;
        afterNextRender({ read: () => focusMainHeading(document) }, { injector });
      });
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  });
}
