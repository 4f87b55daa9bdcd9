import { HttpErrorResponse } from '@angular/common/http';
import { ApiError } from '@passerelle/contracts';
import { toApiError } from '../core/http/api-error';

/**
 * The file name of a `Content-Disposition` header: `filename*=UTF-8''…` (RFC 5987) first, then
 * `filename="…"`; null when there is none. Path separators are dropped.
 */
export function filenameFromContentDisposition(header: string | null): string | null {
  if (!header) return null;
  let name: string | null = null;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended) {
    try {
      name = decodeURIComponent(extended[2].trim().replace(/^"|"$/g, ''));
    } catch {
      name = null;
    }
  }
  if (!name) {
    const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(header);
    name = plain ? (plain[1] ?? plain[2]).replace(/\\(.)/g, '$1').trim() : null;
  }
  const safe = name?.split(/[/\\]/).pop()?.trim();
  return safe ? safe : null;
}

/** Saves a downloaded file: an object URL and a temporary `<a download>`, clicked then removed. */
export function saveBlob(document: Document, blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked once the browser has taken the download in hand.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** A blob's text (FileReader where `Blob.text()` is missing, as in older browsers and jsdom). */
function blobText(blob: Blob): Promise<string> {
  if (typeof blob.text === 'function') return blob.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

/**
 * The API's error for a request made with `responseType: 'blob'`: its JSON body arrives as a Blob,
 * read here so that the API's French message is shown.
 */
export async function apiErrorOfBlobRequest(error: unknown): Promise<ApiError> {
  if (error instanceof HttpErrorResponse && error.error instanceof Blob) {
    try {
      const body: unknown = JSON.parse(await blobText(error.error));
      return toApiError(
        new HttpErrorResponse({ error: body, headers: error.headers, status: error.status, statusText: error.statusText, url: error.url ?? undefined }),
      );
    } catch {
      return toApiError(new HttpErrorResponse({ status: error.status, statusText: error.statusText, url: error.url ?? undefined }));
    }
  }
  return toApiError(error);
}
