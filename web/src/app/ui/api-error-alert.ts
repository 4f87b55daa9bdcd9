import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { ApiError } from '@passerelle/contracts';

/** DSFR error alert showing the API's French message; announced at once (role="alert"). */
@Component({
  selector: 'pa-api-error-alert',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (error(); as error) {
      <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w" role="alert">
        <p>{{ error.message }}</p>
      </div>
    }
  `,
})
export class ApiErrorAlert {
  readonly error = input<ApiError | null>(null);
}
