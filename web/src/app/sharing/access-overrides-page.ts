import { DatePipe, DOCUMENT } from '@angular/common';
import { afterNextRender, ChangeDetectionStrategy, Component, computed, DestroyRef, inject, Injector, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { AccessOverride, ApiError, OVERRIDE_LEGAL_BASIS_LABELS } from '@passerelle/contracts';
import { toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { StatusMessage } from '../ui/status-message';
import { SharingApi } from './sharing.api';

/**
 * `/administration/acces-exceptionnels` (structure admins): the files the structure's agents opened
 * without consent for a legal reason, those still to review first, with the reason and justification;
 * "Marquer comme vérifié" once the admin has checked it.
 */
@Component({
  selector: 'pa-access-overrides-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, ApiErrorAlert, StatusMessage],
  templateUrl: './access-overrides-page.html',
})
export class AccessOverridesPage {
  private readonly api = inject(SharingApi);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);
  private readonly document = inject(DOCUMENT);

  protected readonly overrides = signal<AccessOverride[] | null>(null);
  protected readonly toReview = computed(() => (this.overrides() ?? []).filter((o) => !o.reviewedAt).length);
  protected readonly loadError = signal<ApiError | null>(null);
  protected readonly actionError = signal<ApiError | null>(null);
  protected readonly statusMessage = signal('');
  protected readonly busyId = signal<string | null>(null);
  protected readonly basisLabels = OVERRIDE_LEGAL_BASIS_LABELS;

  constructor() {
    this.api
      .overrides()
      .pipe(takeUntilDestroyed())
      .subscribe({
        next: (overrides) => this.overrides.set(overrides),
        error: (error: unknown) => this.loadError.set(toApiError(error)),
      });
  }

  protected review(override: AccessOverride): void {
    if (this.busyId()) return;
    this.busyId.set(override.id);
    this.actionError.set(null);
    this.statusMessage.set('');
    this.api
      .reviewOverride(override.id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (updated) => {
          this.busyId.set(null);
          this.overrides.update((list) => (list ?? []).map((o) => (o.id === updated.id ? updated : o)));
          this.statusMessage.set($localize`L'accès exceptionnel de ${updated.userName}:name: est marqué comme vérifié.`);
          // The button is gone: the focus goes to the row's header cell.
          afterNextRender({ write: () => this.document.getElementById(this.rowId(updated))?.focus() }, { injector: this.injector });
        },
        error: (error: unknown) => {
          this.busyId.set(null);
          this.actionError.set(toApiError(error));
        },
      });
  }

  protected rowId(override: AccessOverride): string {
    return `acces-${override.id}`;
  }
}
