import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Commune } from '@passerelle/contracts';
import { Observable } from 'rxjs';

@Injectable({ providedIn: 'root' })
export class TerritoryApi {
  private readonly http = inject(HttpClient);

  /** Communes of the tenant's territory whose name or postal code starts with `q`. */
  searchCommunes(q: string, limit = 10): Observable<Commune[]> {
    const params = new HttpParams().set('q', q).set('limit', limit);
    return this.http.get<Commune[]>('/api/territory/communes', { params });
  }
}
