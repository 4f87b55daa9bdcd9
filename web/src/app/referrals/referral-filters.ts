import { ChangeDetectionStrategy, Component, effect, inject, input } from '@angular/core';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { ActivatedRoute, Router } from '@angular/router';
import {
  NEED_BOUQUET_CODES,
  NEED_BOUQUETS,
  NeedBouquetCode,
  REFERRAL_STATUS_LABELS,
  REFERRAL_STATUSES,
  ReferralListQuery,
  ReferralStatus,
} from '@passerelle/contracts';

/** The ages offered by the filter, in days ("sent more than … days ago"). */
export const AGE_FILTERS = [3, 10, 30] as const;

/** Query parameters of the lists (`?statut=sent&besoin=14&anciennete=10`), read into the API's query. */
export interface ReferralFilterParams {
  statut?: string;
  besoin?: string;
  anciennete?: string;
}

/** The API query of the filters in the URL; unknown values are ignored. */
export function listQueryOf(params: ReferralFilterParams): ReferralListQuery {
  const query: ReferralListQuery = {};
  if (params.statut && (REFERRAL_STATUSES as readonly string[]).includes(params.statut)) {
    query.status = params.statut as ReferralStatus;
  }
  const bouquet = Number(params.besoin);
  if ((NEED_BOUQUET_CODES as number[]).includes(bouquet)) query.bouquet = bouquet as NeedBouquetCode;
  const age = Number(params.anciennete);
  if (Number.isInteger(age) && age > 0) query.olderThanDays = age;
  return query;
}

/**
 * The filters of the inbox and of the sent orientations: status, need, age. They live in the URL (a
 * filtered list can be bookmarked, shared, and comes back with "Précédent"); "Filtrer" applies them.
 */
@Component({
  selector: 'pa-referral-filters',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule],
  host: { class: 'pa-block' },
  template: `
    <form [formGroup]="form" (ngSubmit)="apply()" novalidate role="search" [attr.aria-label]="label()">
      <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
        <div class="fr-col-12 fr-col-md-3">
          <div class="fr-select-group">
            <label class="fr-label" [for]="idPrefix() + '-statut'" i18n>Statut</label>
            <select class="fr-select" [id]="idPrefix() + '-statut'" formControlName="statut">
              <option value="" i18n>Tous les statuts</option>
              @for (status of statuses; track status) {
                <option [value]="status">{{ statusLabels[status] }}</option>
              }
            </select>
          </div>
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <div class="fr-select-group">
            <label class="fr-label" [for]="idPrefix() + '-besoin'" i18n>Besoin</label>
            <select class="fr-select" [id]="idPrefix() + '-besoin'" formControlName="besoin">
              <option value="" i18n>Tous les besoins</option>
              @for (bouquet of bouquets; track bouquet.code) {
                <option [value]="bouquet.code">{{ bouquet.label }}</option>
              }
            </select>
          </div>
        </div>
        <div class="fr-col-12 fr-col-md-3">
          <div class="fr-select-group">
            <label class="fr-label" [for]="idPrefix() + '-anciennete'" i18n>Envoyée depuis</label>
            <select class="fr-select" [id]="idPrefix() + '-anciennete'" formControlName="anciennete">
              <option value="" i18n>Toutes les dates</option>
              @for (age of ages; track age) {
                <option [value]="age" i18n>Plus de {{ age }} jours</option>
              }
            </select>
          </div>
        </div>
        <div class="fr-col-12 fr-col-md-2">
          <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
            <li>
              <button type="submit" class="fr-btn fr-btn--secondary" i18n>Filtrer</button>
            </li>
          </ul>
        </div>
      </div>
    </form>
  `,
})
export class ReferralFilters {
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly fb = inject(FormBuilder).nonNullable;

  readonly idPrefix = input.required<string>();
  /** Accessible name of the search form, e.g. "Filtrer les orientations reçues". */
  readonly label = input.required<string>();
  /** The current filters, from the URL. */
  readonly params = input<ReferralFilterParams>({});

  protected readonly statuses = REFERRAL_STATUSES;
  protected readonly statusLabels = REFERRAL_STATUS_LABELS;
  protected readonly bouquets = NEED_BOUQUETS;
  protected readonly ages = AGE_FILTERS;
  protected readonly form = this.fb.group({ statut: [''], besoin: [''], anciennete: [''] });

  constructor() {
    effect(() => {
      const query = listQueryOf(this.params());
      this.form.setValue({
        statut: query.status ?? '',
        besoin: query.bouquet ? String(query.bouquet) : '',
        anciennete: query.olderThanDays ? String(query.olderThanDays) : '',
      });
    });
  }

  protected apply(): void {
    const value = this.form.getRawValue();
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { statut: value.statut || null, besoin: value.besoin || null, anciennete: value.anciennete || null },
      queryParamsHandling: 'merge',
    });
  }
}
