import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { IndicatorFilters, IndicatorMeta, IndicatorSection as SectionCode } from '@passerelle/contracts';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { IndicatorExport } from './indicator-export';
import { hasSecondarySuppression } from './indicator-format';
import { SectionState } from './section-loader';
import { SuppressionNotice } from './suppression-notice';

/**
 * The frame of one section of the indicators page: its heading (the summary's anchor), its exports,
 * its own loading and error states (with "Réessayer") and the suppression notice. The figures are
 * the projected content, rendered by the section once its report is there.
 */
@Component({
  selector: 'pa-indicator-section',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ApiErrorAlert, IndicatorExport, SuppressionNotice],
  host: { class: 'pa-block fr-mt-6w' },
  template: `
    <section [attr.aria-labelledby]="anchor()">
      <h2 [id]="anchor()">{{ title() }}</h2>
      <p class="fr-text--sm">{{ description() }}</p>
      <pa-indicator-export [section]="section()" [filters]="filters()" [context]="title()" />
      <pa-api-error-alert [error]="state().error()" />
      @if (state().error()) {
        <button type="button" class="fr-btn fr-btn--sm fr-btn--tertiary fr-btn--icon-left fr-icon-refresh-line fr-mb-3w" (click)="state().retry()">
          <ng-container i18n>Réessayer</ng-container><span class="fr-sr-only"> : {{ title() }}</span>
        </button>
      } @else if (state().loading()) {
        <p role="status" i18n>Chargement des indicateurs : {{ title() }}…</p>
      } @else {
        <pa-suppression-notice [suppressed]="state().report()?.suppressed ?? false" [secondary]="secondary()" />
      }
      <ng-content />
    </section>
  `,
})
export class IndicatorSection {
  /** The heading's id, the summary's anchor, e.g. "indicateurs-accueil". */
  readonly anchor = input.required<string>();
  readonly title = input.required<string>();
  readonly description = input.required<string>();
  readonly section = input.required<SectionCode>();
  readonly filters = input.required<IndicatorFilters>();
  readonly state = input.required<SectionState<IndicatorMeta>>();

  protected readonly secondary = computed(() => hasSecondarySuppression(this.state().report()));
}
