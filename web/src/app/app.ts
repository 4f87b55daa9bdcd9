import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterOutlet } from '@angular/router';
import { AuthService } from './core/auth/auth.service';
import { Footer } from './layout/footer';
import { Header } from './layout/header';
import { SkipLinks } from './layout/skip-links';

@Component({
  selector: 'pa-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, SkipLinks, Header, Footer],
  templateUrl: './app.html',
})
export class App {
  private readonly auth = inject(AuthService);
  protected readonly signedIn = computed(() => this.auth.currentUser() !== null);

  constructor() {
    // Public pages (404, error page) have no guard: ask for the session anyway so that the header
    // shows who is signed in. Guards share this same request.
    this.auth
      .loadSession()
      .pipe(takeUntilDestroyed())
      .subscribe({ error: () => undefined });
  }
}
