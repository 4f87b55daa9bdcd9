import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import {
  DIRECTORY_PROXIMITY_LABELS,
  DirectoryProximity,
  DirectoryService,
  SITE_KIND_LABELS,
  STRUCTURE_TYPE_LABELS,
} from '@passerelle/contracts';
import { describeOpeningHours } from '../structures/opening-hours';
import {
  bouquetLabels,
  costLabel,
  formatPhone,
  mobilizationLabels,
  publicLabel,
  receptionLabels,
  zoneLabel,
} from './directory-format';

/**
 * One service of the directory as a DSFR card: who offers it, for which needs, to whom, at what cost,
 * how to reach it, what to bring, when and where, and how fresh the information is.
 */
@Component({
  selector: 'pa-service-card',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe],
  templateUrl: './service-card.html',
})
export class ServiceCard {
  readonly service = input.required<DirectoryService>();
  /** Given by a search with a commune: shown as a badge. */
  readonly proximity = input<DirectoryProximity | null>(null);

  protected readonly hours = computed(() => describeOpeningHours(this.service().openingHours));
  protected readonly headingId = computed(() => `service-${this.service().id}`);
  protected readonly typeLabels = STRUCTURE_TYPE_LABELS;
  protected readonly kindLabels = SITE_KIND_LABELS;
  protected readonly proximityLabels = DIRECTORY_PROXIMITY_LABELS;
  protected readonly bouquetLabels = bouquetLabels;
  protected readonly costLabel = costLabel;
  protected readonly receptionLabels = receptionLabels;
  protected readonly mobilizationLabels = mobilizationLabels;
  protected readonly publicLabel = publicLabel;
  protected readonly zoneLabel = zoneLabel;
  protected readonly formatPhone = formatPhone;
}
