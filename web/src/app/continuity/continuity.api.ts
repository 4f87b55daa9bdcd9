import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import {
  AcknowledgeContinuityAlertRequest,
  ContinuityAlert,
  ContinuityAlertPage,
  ContinuityAlertQuery,
  ContinuitySummary,
  ContinuityThresholds,
  UpdateContinuityThresholdsRequest,
} from '@passerelle/contracts';
import { Observable } from 'rxjs';

function alertParams(query: ContinuityAlertQuery): HttpParams {
  let params = new HttpParams();
  if (query.kind) params = params.set('kind', query.kind);
  if (query.structureId) params = params.set('structureId', query.structureId);
  if (query.territory) params = params.set('territory', query.territory);
  if (query.state) params = params.set('state', query.state);
  if (query.limit !== undefined) params = params.set('limit', query.limit);
  if (query.offset !== undefined) params = params.set('offset', query.offset);
  return params;
}

/**
 * Ruptures de parcours: the alerts computed from the data (those of my structure, or every one of the
 * tenant for a coordinator), one alert, its acknowledgement ("vu, on s'en occupe"), the counts for the
 * coordinator's dashboard, and the tenant's delays.
 */
@Injectable({ providedIn: 'root' })
export class ContinuityApi {
  private readonly http = inject(HttpClient);

  alerts(query: ContinuityAlertQuery = {}): Observable<ContinuityAlertPage> {
    return this.http.get<ContinuityAlertPage>('/api/continuity/alerts', { params: alertParams(query) });
  }

  /** 404 once the gap has closed: the alert no longer exists. Keys hold `~` and `:`, hence the encoding. */
  alert(key: string): Observable<ContinuityAlert> {
    return this.http.get<ContinuityAlert>(`/api/continuity/alerts/${encodeURIComponent(key)}`);
  }

  acknowledge(request: AcknowledgeContinuityAlertRequest): Observable<ContinuityAlert> {
    return this.http.post<ContinuityAlert>('/api/continuity/alerts/acknowledgements', request);
  }

  /** Counts of the alerts now open, by structure and kind; `territory` is `epci:<SIREN>` or `commune:<INSEE>`. */
  summary(territory?: string): Observable<ContinuitySummary> {
    const params = territory ? new HttpParams().set('territory', territory) : undefined;
    return this.http.get<ContinuitySummary>('/api/continuity/summary', { params });
  }

  thresholds(): Observable<ContinuityThresholds> {
    return this.http.get<ContinuityThresholds>('/api/continuity/thresholds');
  }

  /** Coordinators only. */
  updateThresholds(request: UpdateContinuityThresholdsRequest): Observable<ContinuityThresholds> {
    return this.http.put<ContinuityThresholds>('/api/continuity/thresholds', request);
  }
}
