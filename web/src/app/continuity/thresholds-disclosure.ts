import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ApiError, CONTINUITY_ALERT_KIND_HELP, CONTINUITY_ALERT_KIND_LABELS, CONTINUITY_ALERT_KINDS, ContinuityThresholds } from '@passerelle/contracts';
import { toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { ContinuityApi } from './continuity.api';

/**
 * "Seuils du territoire": the delays after which each kind of gap becomes an alert, as the coordination
 * set them, read-only. Folded by default; the delays are fetched the first time it is opened.
 */
@Component({
  selector: 'pa-thresholds-disclosure',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ApiErrorAlert],
  host: { class: 'pa-block fr-mb-3w' },
  template: `
    <button
      type="button"
      class="fr-btn fr-btn--tertiary-no-outline fr-btn--sm fr-btn--icon-left"
      [class.fr-icon-arrow-down-s-line]="!expanded()"
      [class.fr-icon-arrow-up-s-line]="expanded()"
      [attr.aria-expanded]="expanded()"
      aria-controls="seuils-du-territoire"
      (click)="toggle()"
      i18n
    >
      Seuils du territoire
    </button>
    <div id="seuils-du-territoire" [hidden]="!expanded()">
      <pa-api-error-alert [error]="error()" />
      @if (thresholds(); as thresholds) {
        <p class="fr-text--sm fr-mb-1w" i18n>Une situation devient une alerte au-delà de ces délais, fixés par la coordination territoriale :</p>
        <ul class="fr-text--sm">
          @for (kind of kinds; track kind) {
            <li>
              <ng-container i18n>{{ kindLabels[kind] }} : {thresholds[kind], plural, =1 {1 jour} other {{{ thresholds[kind] }} jours}}</ng-container>
              <br /><span class="fr-hint-text">{{ kindHelp[kind] }}</span>
            </li>
          }
        </ul>
      } @else if (expanded() && !error()) {
        <p class="fr-text--sm" role="status" i18n>Chargement des seuils…</p>
      }
    </div>
  `,
})
export class ThresholdsDisclosure {
  private readonly api = inject(ContinuityApi);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly expanded = signal(false);
  protected readonly thresholds = signal<ContinuityThresholds | null>(null);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly kinds = CONTINUITY_ALERT_KINDS;
  protected readonly kindLabels = CONTINUITY_ALERT_KIND_LABELS;
  protected readonly kindHelp = CONTINUITY_ALERT_KIND_HELP;
  private loading = false;

  protected toggle(): void {
    this.expanded.update((expanded) => !expanded);
    if (!this.expanded() || this.thresholds() || this.loading) return;
    this.loading = true;
    this.error.set(null);
    this.api
      .thresholds()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (thresholds) => {
          this.loading = false;
          this.thresholds.set(thresholds);
        },
        error: (error: unknown) => {
          this.loading = false;
          this.error.set(toApiError(error));
        },
      });
  }
}
