import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { ApiError, Structure } from '@passerelle/contracts';
import { AuthService } from '../core/auth/auth.service';
import { toApiError } from '../core/http/api-error';
import { StructuresApi } from '../structures/structures.api';
import { ApiErrorAlert } from '../ui/api-error-alert';

/** Home of platform admins: the tenant's structures at a glance and the way to manage them. */
@Component({
  selector: 'pa-platform-home-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, ApiErrorAlert],
  template: `
    <h1 i18n>Administration de la plateforme</h1>
    @if (tenantName()) {
      <p class="fr-text--lead" i18n>Territoire : {{ tenantName() }}</p>
    }
    <pa-api-error-alert [error]="error()" />
    <ul class="fr-grid-row fr-grid-row--gutters pa-unstyled-list">
      <li class="fr-col-12 fr-col-md-6">
        <div class="fr-tile fr-enlarge-link">
          <div class="fr-tile__body">
            <div class="fr-tile__content">
              <h2 class="fr-tile__title"><a routerLink="/plateforme/structures" i18n>Structures</a></h2>
              <p class="fr-tile__desc" i18n>Créer les structures, gérer leurs sites et leurs agents.</p>
              @if (loaded()) {
                <p class="fr-tile__detail" i18n>
                  {activeCount(), plural, =0 {Aucune structure active} =1 {1 structure active} other {{{activeCount()}} structures actives}}
                </p>
              }
            </div>
          </div>
        </div>
      </li>
    </ul>
  `,
})
export class PlatformHomePage {
  private readonly auth = inject(AuthService);

  protected readonly tenantName = computed(() => this.auth.currentUser()?.tenant.name ?? '');
  private readonly structures = signal<Structure[]>([]);
  protected readonly activeCount = computed(() => this.structures().filter((s) => s.active).length);
  protected readonly loaded = signal(false);
  protected readonly error = signal<ApiError | null>(null);

  constructor() {
    inject(StructuresApi)
      .list()
      .pipe(takeUntilDestroyed())
      .subscribe({
        next: (structures) => {
          this.structures.set(structures);
          this.loaded.set(true);
        },
        error: (error: unknown) => this.error.set(toApiError(error)),
      });
  }
}
