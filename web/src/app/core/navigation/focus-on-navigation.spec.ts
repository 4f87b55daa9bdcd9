import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, RouterOutlet } from '@angular/router';
import { PAGE_MANAGES_FOCUS, provideFocusOnNavigation } from './focus-on-navigation';

@Component({ template: `<h1>Page</h1>` })
class Plain {}

@Component({ template: `<h1>Accueil</h1><input id="recherche" />` })
class ManagesFocus {
  constructor() {
    queueMicrotask(() => document.getElementById('recherche')?.focus());
  }
}

@Component({ imports: [RouterOutlet], template: `<main id="contenu"><router-outlet /></main>` })
class Shell {}

describe('focus on navigation', () => {
  let router: Router;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'a', component: Plain },
          { path: 'b', component: Plain },
          { path: 'accueil', component: ManagesFocus, data: { [PAGE_MANAGES_FOCUS]: true } },
        ]),
        provideFocusOnNavigation(),
      ],
    });
    router = TestBed.inject(Router);
  });

  it('moves the focus to the h1 after an in-app navigation, unless the page manages it', async () => {
    const fixture = TestBed.createComponent(Shell);
    document.body.appendChild(fixture.nativeElement);
    await router.navigateByUrl('/a');
    await fixture.whenStable();

    await router.navigateByUrl('/b');
    await fixture.whenStable();
    expect(document.activeElement?.tagName).toBe('H1');

    await router.navigateByUrl('/accueil');
    await fixture.whenStable();
    await Promise.resolve();
    expect(document.activeElement?.id).toBe('recherche');
    fixture.nativeElement.remove();
  });
});
