import { HttpClient, HttpEvent, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import {
  BarrierIndicators,
  ContactIndicators,
  ContinuityIndicators,
  ExportFormat,
  FlowIndicators,
  IndicatorFilters,
  IndicatorSection,
  IndicatorTerritory,
  ReferralIndicators,
} from '@passerelle/contracts';
import { Observable } from 'rxjs';

/** The response type of each section's endpoint. */
export interface IndicatorReports {
  contacts: ContactIndicators;
  referrals: ReferralIndicators;
  flows: FlowIndicators;
  barriers: BarrierIndicators;
  continuity: ContinuityIndicators;
}

const FILTER_KEYS: readonly (keyof IndicatorFilters)[] = ['from', 'to', 'territory', 'structureId', 'bouquet', 'channel', 'siteId', 'scope'];

/** The filters as query parameters, in a fixed order after `params` (absent ones are left out). */
export function indicatorParams(filters: IndicatorFilters, params = new HttpParams()): HttpParams {
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value !== undefined && value !== '') params = params.set(key, value);
  }
  return params;
}

/** `/api/indicators/<section>/export`, or `/api/indicators/export` for every section in one workbook. */
export function exportUrl(section: IndicatorSection | null): string {
  return section ? `/api/indicators/${section}/export` : '/api/indicators/export';
}

/**
 * Indicators of the territory or of a structure (GET /api/indicators/…): the territories the filters
 * offer, each section's figures, and their exports (CSV or XLSX files).
 */
@Injectable({ providedIn: 'root' })
export class IndicatorsApi {
  private readonly http = inject(HttpClient);

  /** The département's EPCIs and the communes where structures are. */
  territories(): Observable<IndicatorTerritory[]> {
    return this.http.get<IndicatorTerritory[]>('/api/indicators/territories');
  }

  section<S extends IndicatorSection>(section: S, filters: IndicatorFilters): Observable<IndicatorReports[S]> {
    return this.http.get<IndicatorReports[S]>(`/api/indicators/${section}`, { params: indicatorParams(filters) });
  }

  /**
   * Downloads an export with its progress events (the file arrives in the last one, a `Response`).
   * Unsubscribing cancels the request.
   */
  download(section: IndicatorSection | null, format: ExportFormat, filters: IndicatorFilters): Observable<HttpEvent<Blob>> {
    const params = indicatorParams(filters, new HttpParams().set('format', format));
    return this.http.get(exportUrl(section), { params, reportProgress: true, observe: 'events', responseType: 'blob' });
  }
}
