import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import {
  AccessLogEntry,
  AccessOverride,
  Consent,
  CreateAccessOverrideRequest,
  CreateConsentRequest,
  NetworkSearchHit,
  PersonSearchQuery,
} from '@passerelle/contracts';
import { Observable } from 'rxjs';

function personUrl(id: string): string {
  return `/api/persons/${encodeURIComponent(id)}`;
}

/** The information notice and consent form handed to the person (PDF), for a plain download link. */
export function consentNoticeUrl(personId: string): string {
  return `${personUrl(personId)}/consents/notice.pdf`;
}

/** The person's access log as a PDF (structure admins), to hand to the person. */
export function accessLogPdfUrl(personId: string): string {
  return `${personUrl(personId)}/access-log.pdf`;
}

/** The subject-access export (GDPR right of access) as a PDF, readable by the person. */
export function subjectAccessPdfUrl(personId: string): string {
  return `${personUrl(personId)}/export.pdf`;
}

/** The subject-access export (GDPR right of access), machine-readable. */
export function subjectAccessExportUrl(personId: string): string {
  return `${personUrl(personId)}/export.json`;
}

/**
 * Consent and sharing between partners: a person's consents (structures that follow them only), the
 * territory's network search, exceptional access for a legal reason, the access log and the review of
 * exceptional accesses (structure admins).
 */
@Injectable({ providedIn: 'root' })
export class SharingApi {
  private readonly http = inject(HttpClient);

  /** Active and past consents, newest first (403 unless the caller's structure follows the person). */
  consents(personId: string): Observable<Consent[]> {
    return this.http.get<Consent[]>(`${personUrl(personId)}/consents`);
  }

  /** Idempotent on `clientRequestId`: send the same one again on retry. */
  createConsent(personId: string, request: CreateConsentRequest): Observable<Consent> {
    return this.http.post<Consent>(`${personUrl(personId)}/consents`, request);
  }

  withdrawConsent(personId: string, consentId: string): Observable<Consent> {
    return this.http.post<Consent>(`${personUrl(personId)}/consents/${encodeURIComponent(consentId)}/withdraw`, null);
  }

  /** Persons visible in the territory's network (by name only): minimal identity and who knows them. */
  networkSearch(query: PersonSearchQuery): Observable<NetworkSearchHit[]> {
    let params = new HttpParams().set('q', query.q);
    if (query.birth) params = params.set('birth', query.birth);
    if (query.limit) params = params.set('limit', query.limit);
    return this.http.get<NetworkSearchHit[]>('/api/persons/network-search', { params });
  }

  /** Exceptional access without consent (needs the permission; 403 otherwise). */
  createOverride(personId: string, request: CreateAccessOverrideRequest): Observable<AccessOverride> {
    return this.http.post<AccessOverride>(`${personUrl(personId)}/access-overrides`, request);
  }

  /** Who opened the file, when, from where, why (structure admins of a structure that follows the person). */
  accessLog(personId: string): Observable<AccessLogEntry[]> {
    return this.http.get<AccessLogEntry[]>(`${personUrl(personId)}/access-log`);
  }

  /** The exceptional accesses of the admin's agents, those to review first. */
  overrides(): Observable<AccessOverride[]> {
    return this.http.get<AccessOverride[]>('/api/access-overrides');
  }

  reviewOverride(id: string): Observable<AccessOverride> {
    return this.http.post<AccessOverride>(`/api/access-overrides/${encodeURIComponent(id)}/review`, null);
  }
}
