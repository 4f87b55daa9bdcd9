import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/**
 * The DSFR messages group under a field. Always rendered (with its id) so the field's
 * aria-describedby points to it; the polite live region announces errors as they appear.
 */
@Component({
  selector: 'pa-field-messages',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'fr-messages-group', '[id]': 'id()', 'aria-live': 'polite' },
  template: `
    @for (message of errors(); track message) {
      <p class="fr-message fr-message--error">{{ message }}</p>
    }
  `,
})
export class FieldMessages {
  readonly id = input.required<string>();
  readonly errors = input<readonly string[]>([]);
}
