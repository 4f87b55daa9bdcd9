import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { SECONDARY_SUPPRESSION_NOTICE, SUPPRESSION_NOTICE } from './indicator-format';

/** Said in every section whose small counts were suppressed (figures shared outside the caller's structure). */
@Component({
  selector: 'pa-suppression-notice',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'pa-block' },
  template: `
    @if (suppressed()) {
      <div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w">
        <p>{{ notice }}</p>
        @if (secondary()) {
          <p>{{ secondaryNotice }}</p>
        }
      </div>
    }
  `,
})
export class SuppressionNotice {
  readonly suppressed = input(false);
  /** Some counts of 5 or more are hidden too ("secret"). */
  readonly secondary = input(false);
  protected readonly notice = SUPPRESSION_NOTICE;
  protected readonly secondaryNotice = SECONDARY_SUPPRESSION_NOTICE;
}
