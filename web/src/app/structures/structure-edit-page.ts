import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { ApiError, Structure } from '@passerelle/contracts';
import { catchError, EMPTY, filter, switchMap, tap } from 'rxjs';
import { AuthService } from '../core/auth/auth.service';
import { toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { SitesManager } from './sites-manager';
import { StructureDetailsForm } from './structure-details-form';
import { StructuresApi } from './structures.api';

/**
 * A structure's details and sites. `/administration/structure` (the admin's own structure) and
 * `/plateforme/structures/:structureId` (any structure, for platform admins).
 */
@Component({
  selector: 'pa-structure-edit-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ApiErrorAlert, SitesManager, StructureDetailsForm],
  template: `
    <h1 i18n>Structure et sites</h1>
    <pa-api-error-alert [error]="error()" />
    @if (loading()) {
      <p role="status" i18n>Chargement de la structure…</p>
    } @else if (structure(); as structure) {
      <p class="fr-text--lead">{{ structure.name }}</p>
      @if (!structure.active) {
        <div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w">
          <p i18n>Cette structure est désactivée.</p>
        </div>
      }
      <section class="fr-mb-6w" aria-labelledby="titre-informations-structure">
        <h2 id="titre-informations-structure" i18n>Informations de la structure</h2>
        <pa-structure-details-form [structure]="structure" idPrefix="structure" (saved)="structureSaved($event)" />
      </section>
      <section aria-labelledby="titre-sites">
        <h2 id="titre-sites" i18n>Sites d'accueil</h2>
        <p class="fr-text--sm" i18n>
          Les lieux où la structure reçoit le public : lieux d'accueil fixes et permanences itinérantes.
        </p>
        <pa-sites-manager [structureId]="structure.id" />
      </section>
    }
  `,
})
export class StructureEditPage {
  private readonly api = inject(StructuresApi);
  private readonly auth = inject(AuthService);

  /** Route param for platform admins; structure admins edit their own structure. */
  readonly structureId = input<string>();
  protected readonly targetId = computed(
    () => this.structureId() ?? this.auth.currentUser()?.activeMembership.structure?.id ?? '',
  );
  protected readonly structure = signal<Structure | null>(null);
  protected readonly loading = signal(true);
  protected readonly error = signal<ApiError | null>(null);

  constructor() {
    toObservable(this.targetId)
      .pipe(
        filter((id) => id.length > 0),
        tap(() => {
          this.loading.set(true);
          this.error.set(null);
        }),
        switchMap((id) =>
          this.api.get(id).pipe(
            catchError((error: unknown) => {
              this.error.set(toApiError(error));
              this.loading.set(false);
              return EMPTY;
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((structure) => {
        this.structure.set(structure);
        this.loading.set(false);
      });
  }

  protected structureSaved(structure: Structure): void {
    this.structure.set(structure);
  }
}
