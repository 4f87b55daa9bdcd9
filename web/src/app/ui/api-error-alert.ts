import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { ApiError } from '@passerelle/contracts';

/**
 * DSFR error alert showing the API's French message; announced at once (role="alert"). The reasons an
 * action was refused (`details` of an error other than VALIDATION_FAILED, e.g. ERASURE_BLOCKED) are
 * listed under it; validation details belong under their fields, so they are not repeated here.
 */
@Component({
  selector: 'pa-api-error-alert',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (error(); as error) {
      <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w" role="alert">
        <p>{{ error.message }}</p>
        @if (reasons().length) {
          <ul class="fr-mt-1w">
            @for (reason of reasons(); track $index) {
              <li>{{ reason }}</li>
            }
          </ul>
        }
      </div>
    }
  `,
})
export class ApiErrorAlert {
  readonly error = input<ApiError | null>(null);

  protected readonly reasons = computed(() => {
    const error = this.error();
    if (!error || error.code === 'VALIDATION_FAILED') return [];
    return (error.details ?? []).flatMap((detail) => detail.messages);
  });
}
