import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import {
  CreateServiceRequest,
  DirectorySearchHit,
  DirectorySearchQuery,
  DirectoryService,
  UpdateServiceRequest,
} from '@passerelle/contracts';
import { Observable } from 'rxjs';

/** The directory of partner services: search (agents), a structure's offer (its admin). */
@Injectable({ providedIn: 'root' })
export class DirectoryApi {
  private readonly http = inject(HttpClient);

  search(query: DirectorySearchQuery): Observable<DirectorySearchHit[]> {
    let params = new HttpParams();
    if (query.bouquet) params = params.set('bouquet', query.bouquet);
    if (query.commune) params = params.set('commune', query.commune);
    if (query.q?.trim()) params = params.set('q', query.q.trim());
    if (query.excludeOwn) params = params.set('excludeOwn', true);
    if (query.limit) params = params.set('limit', query.limit);
    return this.http.get<DirectorySearchHit[]>('/api/directory/services', { params });
  }

  get(id: string): Observable<DirectoryService> {
    return this.http.get<DirectoryService>(`/api/directory/services/${encodeURIComponent(id)}`);
  }

  /** Active services of the caller's structure not verified for six months. */
  stale(): Observable<DirectoryService[]> {
    return this.http.get<DirectoryService[]>('/api/directory/stale');
  }

  listForStructure(structureId: string): Observable<DirectoryService[]> {
    return this.http.get<DirectoryService[]>(`/api/structures/${encodeURIComponent(structureId)}/services`);
  }

  create(structureId: string, request: CreateServiceRequest): Observable<DirectoryService> {
    return this.http.post<DirectoryService>(`/api/structures/${encodeURIComponent(structureId)}/services`, request);
  }

  update(id: string, request: UpdateServiceRequest): Observable<DirectoryService> {
    return this.http.patch<DirectoryService>(`/api/services/${encodeURIComponent(id)}`, request);
  }

  verify(id: string): Observable<DirectoryService> {
    return this.http.post<DirectoryService>(`/api/services/${encodeURIComponent(id)}/verify`, {});
  }
}
