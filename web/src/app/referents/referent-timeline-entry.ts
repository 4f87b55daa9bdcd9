import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { HANDOFF_STATUS_LABELS, REFERENT_END_REASON_LABELS, ReferentTimelineEntry } from '@passerelle/contracts';
import { criteriaLabels } from './referent-format';

/**
 * One référent or handoff event in the person's parcours: who became référent (criteria, with the
 * person or not), whose term ended and why, who handed the case to whom and the answer. Never a
 * handoff's note nor its decline reason (the API does not send them here).
 */
@Component({
  selector: 'pa-referent-timeline-entry',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let e = entry();
    @switch (e.kind) {
      @case ('referent_designated') {
        <h3 class="fr-h6 fr-mb-1w" i18n>Référent de parcours : {{ e.referent.user.name }}</h3>
        <p class="fr-text--sm fr-mb-0">
          {{ e.referent.structure.name }} ·
          <ng-container i18n>critères : {{ criteria() }}</ng-container>
          @if (e.referent.chosenWithPerson) {
            · <ng-container i18n>choisi avec la personne</ng-container>
          }
        </p>
      }
      @case ('referent_ended') {
        <h3 class="fr-h6 fr-mb-1w" i18n>Fin de l'accompagnement par {{ e.referent.user.name }}</h3>
        <p class="fr-text--sm fr-mb-0">
          {{ e.referent.structure.name }}
          @if (e.referent.endedReason) {
            · {{ endReasonLabels[e.referent.endedReason] }}
          }
        </p>
      }
      @case ('handoff_proposed') {
        <h3 class="fr-h6 fr-mb-1w" i18n>Relais proposé à {{ e.handoff.to.userName }} ({{ e.handoff.to.structureName }})</h3>
        <p class="fr-text--sm fr-mb-0">
          <ng-container i18n>par {{ e.handoff.from.userName ?? '—' }} ({{ e.handoff.from.structureName }})</ng-container>
          @if (e.handoff.proposeReferent) {
            · <ng-container i18n>proposé comme référent</ng-container>
          }
        </p>
      }
      @case ('handoff_answered') {
        <h3 class="fr-h6 fr-mb-1w" i18n>Relais vers {{ e.handoff.to.userName }} : {{ statusLabels[e.handoff.status] }}</h3>
        <p class="fr-text--sm fr-mb-0">{{ e.handoff.to.structureName }}</p>
      }
    }
  `,
})
export class ReferentTimelineEntryView {
  readonly entry = input.required<ReferentTimelineEntry>();

  protected readonly criteria = computed(() => {
    const entry = this.entry();
    return 'referent' in entry ? criteriaLabels(entry.referent.criteria) : '';
  });
  protected readonly endReasonLabels = REFERENT_END_REASON_LABELS;
  protected readonly statusLabels = HANDOFF_STATUS_LABELS;
}
