import { computed, inject, Signal, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { ApiError, IndicatorFilters, IndicatorSection } from '@passerelle/contracts';
import { catchError, EMPTY, switchMap, tap } from 'rxjs';
import { toApiError } from '../core/http/api-error';
import { IndicatorReports, IndicatorsApi } from './indicators.api';

export interface SectionState<T> {
  report: Signal<T | null>;
  error: Signal<ApiError | null>;
  loading: Signal<boolean>;
  /** Asks again with the same filters (after an error). */
  retry(): void;
}

/**
 * Loads one section of the indicators whenever the filters change (the previous request is
 * cancelled), with its own loading and error state: a slow or failing section does not hold the
 * others. To be called in an injection context (a component's field).
 */
export function loadSection<S extends IndicatorSection>(section: S, filters: Signal<IndicatorFilters>): SectionState<IndicatorReports[S]> {
  const api = inject(IndicatorsApi);
  const report = signal<IndicatorReports[S] | null>(null);
  const error = signal<ApiError | null>(null);
  const attempt = signal(0);
  const request = computed(() => ({ filters: filters(), attempt: attempt() }));
  toObservable(request)
    .pipe(
      tap(() => {
        report.set(null);
        error.set(null);
      }),
      switchMap(({ filters }) =>
        api.section(section, filters).pipe(
          catchError((failure: unknown) => {
            error.set(toApiError(failure));
            return EMPTY;
          }),
        ),
      ),
      takeUntilDestroyed(),
    )
    .subscribe((value) => report.set(value));
  return {
    report: report.asReadonly(),
    error: error.asReadonly(),
    loading: computed(() => report() === null && error() === null),
    retry: () => attempt.update((n) => n + 1),
  };
}
