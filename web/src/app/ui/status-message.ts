import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/**
 * Result of an action, shown as a small DSFR success alert inside a live region that is always in
 * the page, so screen readers announce the message when it appears.
 */
@Component({
  selector: 'pa-status-message',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { role: 'status', class: 'pa-block' },
  template: `
    @if (message()) {
      <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w">
        <p>{{ message() }}</p>
      </div>
    }
  `,
})
export class StatusMessage {
  readonly message = input('');
}
