import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Router, RouterLink } from '@angular/router';
import { ApiError, Structure, STRUCTURE_TYPE_LABELS } from '@passerelle/contracts';
import { toApiError } from '../core/http/api-error';
import { StructureDetailsForm } from '../structures/structure-details-form';
import { StructuresApi } from '../structures/structures.api';
import { ApiErrorAlert } from '../ui/api-error-alert';

/** `/plateforme/structures`: all structures of the tenant, and the creation of a new one. */
@Component({
  selector: 'pa-structure-list-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, ApiErrorAlert, StructureDetailsForm],
  templateUrl: './structure-list-page.html',
})
export class StructureListPage {
  private readonly router = inject(Router);

  protected readonly structures = signal<Structure[]>([]);
  protected readonly sorted = computed(() =>
    [...this.structures()].sort((a, b) => a.name.localeCompare(b.name, 'fr')),
  );
  protected readonly loading = signal(true);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly creating = signal(false);
  protected readonly typeLabels = STRUCTURE_TYPE_LABELS;

  constructor() {
    inject(StructuresApi)
      .list()
      .pipe(takeUntilDestroyed())
      .subscribe({
        next: (structures) => {
          this.structures.set(structures);
          this.loading.set(false);
        },
        error: (error: unknown) => {
          this.error.set(toApiError(error));
          this.loading.set(false);
        },
      });
  }

  /** A new structure has no site nor agent yet: its page is where to add them. */
  protected created(structure: Structure): void {
    void this.router.navigate(['/plateforme/structures', structure.id]);
  }
}
