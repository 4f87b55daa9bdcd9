import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RouterLink } from '@angular/router';

/** The page numbers shown around the current one: 1 … 4 5 [6] 7 8 … 20 (null stands for "…"). */
export function pageWindow(current: number, count: number, around = 2): (number | null)[] {
  const pages: (number | null)[] = [];
  for (let page = 1; page <= count; page++) {
    if (page === 1 || page === count || Math.abs(page - current) <= around) pages.push(page);
    else if (pages[pages.length - 1] !== null) pages.push(null);
  }
  return pages;
}

/**
 * DSFR pagination of the alert lists. The page lives in the URL (`?page=`, absent on the first), with
 * the filters kept; unavailable links (first page when on it…) are marked aria-disabled without href.
 */
@Component({
  selector: 'pa-alerts-pagination',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `
    @if (count() > 1) {
      <nav role="navigation" class="fr-pagination fr-mt-3w" [attr.aria-label]="label()">
        <ul class="fr-pagination__list">
          <li>
            @if (current() > 1) {
              <a class="fr-pagination__link fr-pagination__link--first" [routerLink]="[]" [queryParams]="{ page: null }" queryParamsHandling="merge" i18n
                >Première page</a
              >
            } @else {
              <a class="fr-pagination__link fr-pagination__link--first" aria-disabled="true" role="link" i18n>Première page</a>
            }
          </li>
          <li>
            @if (current() > 1) {
              <a
                class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label"
                [routerLink]="[]"
                [queryParams]="{ page: pageParam(current() - 1) }"
                queryParamsHandling="merge"
                i18n
                >Page précédente</a
              >
            } @else {
              <a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" aria-disabled="true" role="link" i18n
                >Page précédente</a
              >
            }
          </li>
          @for (page of pages(); track $index) {
            <li>
              @if (page === null) {
                <span class="fr-pagination__link fr-displayed-lg" aria-hidden="true">…</span>
              } @else if (page === current()) {
                <a class="fr-pagination__link" aria-current="page" i18n-title title="Page {{ page }}">{{ page }}</a>
              } @else {
                <a
                  class="fr-pagination__link"
                  [routerLink]="[]"
                  [queryParams]="{ page: pageParam(page) }"
                  queryParamsHandling="merge"
                  i18n-title
                  title="Page {{ page }}"
                  >{{ page }}</a
                >
              }
            </li>
          }
          <li>
            @if (current() < count()) {
              <a
                class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label"
                [routerLink]="[]"
                [queryParams]="{ page: current() + 1 }"
                queryParamsHandling="merge"
                i18n
                >Page suivante</a
              >
            } @else {
              <a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" aria-disabled="true" role="link" i18n
                >Page suivante</a
              >
            }
          </li>
          <li>
            @if (current() < count()) {
              <a
                class="fr-pagination__link fr-pagination__link--last"
                [routerLink]="[]"
                [queryParams]="{ page: count() }"
                queryParamsHandling="merge"
                i18n
                >Dernière page</a
              >
            } @else {
              <a class="fr-pagination__link fr-pagination__link--last" aria-disabled="true" role="link" i18n>Dernière page</a>
            }
          </li>
        </ul>
      </nav>
    }
  `,
})
export class AlertsPagination {
  readonly total = input.required<number>();
  readonly pageSize = input.required<number>();
  readonly current = input.required<number>();
  readonly label = input($localize`Pagination`);

  protected readonly count = computed(() => Math.max(1, Math.ceil(this.total() / this.pageSize())));
  protected readonly pages = computed(() => pageWindow(this.current(), this.count()));

  /** The first page has no `page` parameter. */
  protected pageParam(page: number): number | null {
    return page > 1 ? page : null;
  }
}
