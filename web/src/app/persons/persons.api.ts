import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import {
  CreatePersonRequest,
  ErasePersonRequest,
  ErasureReport,
  MergePersonsRequest,
  Person,
  PersonRequest,
  PersonSearchHit,
  PersonSearchQuery,
  TimelineEntry,
  UpdatePersonRequest,
} from '@passerelle/contracts';
import { Observable } from 'rxjs';

function personUrl(id: string): string {
  return `/api/persons/${encodeURIComponent(id)}`;
}

@Injectable({ providedIn: 'root' })
export class PersonsApi {
  private readonly http = inject(HttpClient);

  /** Persons the caller may see, ranked by likeness (names in any order, phone, e-mail). */
  search(query: PersonSearchQuery): Observable<PersonSearchHit[]> {
    let params = new HttpParams().set('q', query.q);
    if (query.birth) params = params.set('birth', query.birth);
    if (query.limit) params = params.set('limit', query.limit);
    return this.http.get<PersonSearchHit[]>('/api/persons/search', { params });
  }

  /** 409 POSSIBLE_DUPLICATE (with `candidates`) unless `confirmNotDuplicate`. */
  create(request: CreatePersonRequest): Observable<Person> {
    return this.http.post<Person>('/api/persons', request);
  }

  get(id: string): Observable<Person> {
    return this.http.get<Person>(personUrl(id));
  }

  update(id: string, request: UpdatePersonRequest): Observable<Person> {
    return this.http.patch<Person>(personUrl(id), request);
  }

  /** Re-attaches everything of `sourcePersonId` to the person `targetId`; the source file disappears. */
  merge(targetId: string, request: MergePersonsRequest): Observable<Person> {
    return this.http.post<Person>(`${personUrl(targetId)}/merge`, request);
  }

  /**
   * Erasure at the person's request (RGPD art. 17, structure admins): the file is anonymised at once.
   * 409 ERASURE_BLOCKED (with the reasons in `details`) while a request is open or in progress.
   */
  erase(id: string, request: ErasePersonRequest): Observable<ErasureReport> {
    return this.http.post<ErasureReport>(`${personUrl(id)}/erasure`, request);
  }

  timeline(id: string): Observable<TimelineEntry[]> {
    return this.http.get<TimelineEntry[]>(`${personUrl(id)}/timeline`);
  }

  requests(id: string): Observable<PersonRequest[]> {
    return this.http.get<PersonRequest[]>(`${personUrl(id)}/requests`);
  }
}
