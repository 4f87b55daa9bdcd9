import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { ApiError, DirectorySearchHit, NEED_BOUQUETS, NeedBouquetCode } from '@passerelle/contracts';
import { toApiError } from '../core/http/api-error';
import { CommuneChoice, CommunePicker } from '../territory/commune-picker';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { DirectoryApi } from './directory.api';
import { ServiceCard } from './service-card';

/**
 * "Who can help with housing near Embrun?": the directory of partner services, searched by need,
 * the person's commune and words. Results come as cards, the services delivered nearest first.
 */
@Component({
  selector: 'pa-directory-search-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, ApiErrorAlert, CommunePicker, ServiceCard],
  templateUrl: './directory-search-page.html',
})
export class DirectorySearchPage {
  private readonly api = inject(DirectoryApi);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly bouquets = NEED_BOUQUETS;
  protected readonly form = inject(FormBuilder).nonNullable.group({
    bouquet: [''],
    commune: [null as CommuneChoice | null],
    q: [''],
  });
  protected readonly hits = signal<DirectorySearchHit[] | null>(null);
  protected readonly searchedCommune = signal<string | null>(null);
  protected readonly pending = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly status = signal('');

  protected search(): void {
    const { bouquet, commune, q } = this.form.getRawValue();
    this.pending.set(true);
    this.error.set(null);
    this.status.set($localize`Recherche en cours…`);
    this.api
      .search({ bouquet: bouquet ? (Number(bouquet) as NeedBouquetCode) : undefined, commune: commune?.inseeCode, q, limit: 20 })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (hits) => {
          this.pending.set(false);
          this.hits.set(hits);
          this.searchedCommune.set(commune?.name ?? null);
          this.status.set(
            hits.length === 0
              ? $localize`Aucun service ne correspond à cette recherche.`
              : hits.length === 1
                ? $localize`1 service trouvé.`
                : $localize`${hits.length}:count: services trouvés.`,
          );
        },
        error: (error: unknown) => {
          this.pending.set(false);
          this.status.set('');
          this.error.set(toApiError(error));
        },
      });
  }
}
