import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import {
  AnswerHandoffRequest,
  CaseloadEntry,
  DesignateReferentRequest,
  EndReferentRequest,
  Handoff,
  PersonReferents,
  Professional,
  ProposeHandoffRequest,
} from '@passerelle/contracts';
import { Observable } from 'rxjs';

function personUrl(id: string): string {
  return `/api/persons/${encodeURIComponent(id)}`;
}

function handoffUrl(id: string): string {
  return `/api/handoffs/${encodeURIComponent(id)}`;
}

/** What the professionals' picker asks for. */
export interface ProfessionalsQuery {
  q?: string;
  /** Only the professionals of the structures that follow this person (designation of the référent). */
  personId?: string;
  limit?: number;
}

/**
 * The référent de parcours (current and history, designation, end of term), handoffs (passages de
 * relais: propose, inbox, sent, answer, cancel), the professionals' picker and my caseload.
 */
@Injectable({ providedIn: 'root' })
export class ReferentsApi {
  private readonly http = inject(HttpClient);

  referents(personId: string): Observable<PersonReferents> {
    return this.http.get<PersonReferents>(`${personUrl(personId)}/referents`);
  }

  /** 409 when another designation happened at the same time. */
  designate(personId: string, request: DesignateReferentRequest): Observable<PersonReferents> {
    return this.http.post<PersonReferents>(`${personUrl(personId)}/referent`, request);
  }

  end(personId: string, request: EndReferentRequest): Observable<PersonReferents> {
    return this.http.post<PersonReferents>(`${personUrl(personId)}/referent/end`, request);
  }

  professionals(query: ProfessionalsQuery = {}): Observable<Professional[]> {
    let params = new HttpParams();
    if (query.q) params = params.set('q', query.q);
    if (query.personId) params = params.set('personId', query.personId);
    if (query.limit) params = params.set('limit', query.limit);
    return this.http.get<Professional[]>('/api/professionals', { params });
  }

  /** Idempotent on `clientRequestId`; 409 CONSENT_REQUIRED towards a structure the person's consent does not name. */
  proposeHandoff(request: ProposeHandoffRequest): Observable<Handoff> {
    return this.http.post<Handoff>('/api/handoffs', request);
  }

  inbox(): Observable<Handoff[]> {
    return this.http.get<Handoff[]>('/api/handoffs/inbox');
  }

  sent(): Observable<Handoff[]> {
    return this.http.get<Handoff[]>('/api/handoffs/sent');
  }

  answer(id: string, request: AnswerHandoffRequest): Observable<Handoff> {
    return this.http.post<Handoff>(`${handoffUrl(id)}/answer`, request);
  }

  cancel(id: string): Observable<Handoff> {
    return this.http.post<Handoff>(`${handoffUrl(id)}/cancel`, null);
  }

  caseload(): Observable<CaseloadEntry[]> {
    return this.http.get<CaseloadEntry[]>('/api/caseload');
  }
}
