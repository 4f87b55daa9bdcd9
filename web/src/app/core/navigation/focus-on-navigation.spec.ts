import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, RouterOutlet } from '@angular/router';
import { KEEP_FOCUS, PAGE_MANAGES_FOCUS, provideFocusOnNavigation } from './focus-on-navigation';

@Component({ template: `<h1>Page</h1>` })
class Plain {}

@Component({ template: `<h1>Accueil</h1><input id="recherche" />` })
class ManagesFocus {
  constructor() {
    queueMicrotask(() => document.getElementById('recherche')?.focus());
  }
}

@Component({ imports: [RouterOutlet], template: `<main id="contenu"><router-outlet /><button id="action">Action</button></main>` })
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

  it('leaves the focus alone when the navigation only tidies the URL (KEEP_FOCUS)', async () => {
    const fixture = TestBed.createComponent(Shell);
    document.body.appendChild(fixture.nativeElement);
    await router.navigateByUrl('/a');
    await fixture.whenStable();
    await router.navigateByUrl('/b?x=1');
    await fixture.whenStable();

    const action = document.getElementById('action') as HTMLButtonElement;
    action.focus();
    await router.navigate(['/b'], { state: KEEP_FOCUS, replaceUrl: true });
    await fixture.whenStable();
    expect(router.url).toBe('/b');
    expect(document.activeElement).toBe(action);
    fixture.nativeElement.remove();
  });
});
