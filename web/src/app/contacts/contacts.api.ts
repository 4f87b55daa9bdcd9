import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { AttachContactRequest, Contact, CreateContactRequest, TodaySummary } from '@passerelle/contracts';
import { Observable } from 'rxjs';

@Injectable({ providedIn: 'root' })
export class ContactsApi {
  private readonly http = inject(HttpClient);

  /** Idempotent on `clientRequestId`: retrying the same create returns the same contact. */
  create(request: CreateContactRequest): Observable<Contact> {
    return this.http.post<Contact>('/api/contacts', request);
  }

  /** Attaches an anonymous contact to a person who came back. */
  attach(contactId: string, request: AttachContactRequest): Observable<Contact> {
    return this.http.patch<Contact>(`/api/contacts/${encodeURIComponent(contactId)}/person`, request);
  }

  /** The contacts of the caller's structure today, with counts by channel and need. */
  today(): Observable<TodaySummary> {
    return this.http.get<TodaySummary>('/api/contacts/today');
  }
}
