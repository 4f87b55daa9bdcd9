import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { PersonDocument, UploadDocumentFields } from '@passerelle/contracts';
import { Observable } from 'rxjs';

const documentsUrl = (personId: string) => `/api/persons/${encodeURIComponent(personId)}/documents`;

/** A document's content, for a plain download link (the API sends it as an attachment). */
export function documentContentUrl(document: PersonDocument): string {
  return `${documentsUrl(document.personId)}/${encodeURIComponent(document.id)}/content`;
}

/** The armoire numérique of a person's file. */
@Injectable({ providedIn: 'root' })
export class PersonDocumentsApi {
  private readonly http = inject(HttpClient);

  /** The documents the caller may see (theirs, and those whose category is shared with them). */
  list(personId: string): Observable<PersonDocument[]> {
    return this.http.get<PersonDocument[]>(documentsUrl(personId));
  }

  /** multipart/form-data: the fields, then the file in `file` (the CSRF header is added as for JSON). */
  upload(personId: string, fields: UploadDocumentFields, file: File): Observable<PersonDocument> {
    const body = new FormData();
    body.append('kind', fields.kind);
    body.append('category', fields.category);
    body.append('title', fields.title);
    body.append('file', file, file.name);
    return this.http.post<PersonDocument>(documentsUrl(personId), body);
  }
}
