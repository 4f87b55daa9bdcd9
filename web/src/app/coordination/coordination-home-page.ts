import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ApiError, STRUCTURE_TYPE_LABELS, Structure } from '@passerelle/contracts';
import { AuthService } from '../core/auth/auth.service';
import { toApiError } from '../core/http/api-error';
import { StructuresApi } from '../structures/structures.api';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { groupStructuresByType } from './structures-by-type';

/** Home of coordinators: the structures of the territory, grouped by type, with counts. */
@Component({
  selector: 'pa-coordination-home-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ApiErrorAlert],
  templateUrl: './coordination-home-page.html',
})
export class CoordinationHomePage {
  private readonly auth = inject(AuthService);

  protected readonly territoryName = computed(() => this.auth.currentUser()?.tenant.name ?? '');
  protected readonly structures = signal<Structure[]>([]);
  protected readonly activeStructures = computed(() => this.structures().filter((s) => s.active));
  protected readonly groups = computed(() => groupStructuresByType(this.activeStructures()));
  protected readonly loading = signal(true);
  protected readonly error = signal<ApiError | null>(null);
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
}
