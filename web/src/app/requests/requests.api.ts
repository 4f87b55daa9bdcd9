import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { ChangeRequestStatusRequest, PersonRequest } from '@passerelle/contracts';
import { Observable } from 'rxjs';

@Injectable({ providedIn: 'root' })
export class RequestsApi {
  private readonly http = inject(HttpClient);

  /** 409 INVALID_TRANSITION when the status may not follow the current one. */
  changeStatus(requestId: string, request: ChangeRequestStatusRequest): Observable<PersonRequest> {
    return this.http.post<PersonRequest>(`/api/requests/${encodeURIComponent(requestId)}/status`, request);
  }
}
