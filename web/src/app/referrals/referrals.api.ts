import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import {
  ChangeReferralStatusRequest,
  CreateReferralRequest,
  Referral,
  ReferralListQuery,
} from '@passerelle/contracts';
import { Observable } from 'rxjs';

function referralUrl(id: string): string {
  return `/api/referrals/${encodeURIComponent(id)}`;
}

function listParams(query: ReferralListQuery): HttpParams {
  let params = new HttpParams();
  if (query.status) params = params.set('status', query.status);
  if (query.bouquet) params = params.set('bouquet', query.bouquet);
  if (query.olderThanDays) params = params.set('olderThanDays', query.olderThanDays);
  return params;
}

/**
 * Orientations (referrals) followed until they close: send one (idempotent on `clientRequestId`), the
 * receiving structure's inbox, the sender's follow-up, one orientation (opening a 'sent' one as the
 * receiver marks it 'received'), its status changes, and a person's orientations.
 */
@Injectable({ providedIn: 'root' })
export class ReferralsApi {
  private readonly http = inject(HttpClient);

  /** 409 CONSENT_REQUIRED (with `consentRequired`) when a category is not covered by the person's consent. */
  create(request: CreateReferralRequest): Observable<Referral> {
    return this.http.post<Referral>('/api/referrals', request);
  }

  /** Orientations received by the caller's structure. */
  inbox(query: ReferralListQuery = {}): Observable<Referral[]> {
    return this.http.get<Referral[]>('/api/referrals/inbox', { params: listParams(query) });
  }

  /** Orientations sent by the caller's structure. */
  sent(query: ReferralListQuery = {}): Observable<Referral[]> {
    return this.http.get<Referral[]>('/api/referrals/sent', { params: listParams(query) });
  }

  get(id: string): Observable<Referral> {
    return this.http.get<Referral>(referralUrl(id));
  }

  /** Only the transitions listed in the orientation's `allowedTransitions` are accepted (409 otherwise). */
  changeStatus(id: string, request: ChangeReferralStatusRequest): Observable<Referral> {
    return this.http.post<Referral>(`${referralUrl(id)}/status`, request);
  }

  forPerson(personId: string): Observable<Referral[]> {
    return this.http.get<Referral[]>(`/api/persons/${encodeURIComponent(personId)}/referrals`);
  }
}
