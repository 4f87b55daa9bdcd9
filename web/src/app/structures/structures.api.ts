import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import {
  CreateSiteRequest,
  CreateStructureRequest,
  Site,
  Structure,
  UpdateSiteRequest,
  UpdateStructureRequest,
} from '@passerelle/contracts';
import { Observable } from 'rxjs';

@Injectable({ providedIn: 'root' })
export class StructuresApi {
  private readonly http = inject(HttpClient);

  /** Structures of the tenant the user may see. */
  list(): Observable<Structure[]> {
    return this.http.get<Structure[]>('/api/structures');
  }

  get(id: string): Observable<Structure> {
    return this.http.get<Structure>(`/api/structures/${encodeURIComponent(id)}`);
  }

  create(request: CreateStructureRequest): Observable<Structure> {
    return this.http.post<Structure>('/api/structures', request);
  }

  update(id: string, request: UpdateStructureRequest): Observable<Structure> {
    return this.http.patch<Structure>(`/api/structures/${encodeURIComponent(id)}`, request);
  }

  listSites(structureId: string): Observable<Site[]> {
    return this.http.get<Site[]>(`/api/structures/${encodeURIComponent(structureId)}/sites`);
  }

  createSite(structureId: string, request: CreateSiteRequest): Observable<Site> {
    return this.http.post<Site>(`/api/structures/${encodeURIComponent(structureId)}/sites`, request);
  }

  updateSite(siteId: string, request: UpdateSiteRequest): Observable<Site> {
    return this.http.patch<Site>(`/api/sites/${encodeURIComponent(siteId)}`, request);
  }
}
