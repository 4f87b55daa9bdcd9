import { HttpErrorResponse } from '@angular/common/http';
import { ApiError, ERROR_CODES, ErrorCode } from '@passerelle/contracts';

/** Field name → French messages, from the `details` of a VALIDATION_FAILED error. */
export type FieldErrors = Readonly<Record<string, readonly string[]>>;

function isApiErrorBody(body: unknown): body is ApiError {
  if (typeof body !== 'object' || body === null) return false;
  const candidate = body as Partial<ApiError>;
  return (
    typeof candidate.message === 'string' &&
    typeof candidate.code === 'string' &&
    (ERROR_CODES as readonly string[]).includes(candidate.code)
  );
}

function fallbackCode(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'VALIDATION_FAILED';
    case 401:
      return 'AUTH_REQUIRED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 423:
      return 'ACCOUNT_LOCKED';
    case 429:
      return 'TOO_MANY_REQUESTS';
    default:
      return 'INTERNAL_ERROR';
  }
}

function fallbackMessage(status: number): string {
  if (status === 0) {
    return $localize`Le service Passerelle est injoignable. Vérifiez votre connexion puis réessayez.`;
  }
  if (status === 403) {
    return $localize`Vous n'avez pas les droits nécessaires pour cette action.`;
  }
  if (status === 404) {
    return $localize`L'élément demandé est introuvable.`;
  }
  if (status === 429) {
    return $localize`Trop de tentatives. Patientez quelques minutes puis réessayez.`;
  }
  return $localize`Une erreur inattendue est survenue. Réessayez dans quelques instants.`;
}

/**
 * Turns whatever an HTTP call failed with into the API's error shape, so that pages always have a
 * French message to show. The API's own message is kept when the body is an `ApiError`.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof HttpErrorResponse) {
    if (isApiErrorBody(error.error)) return error.error;
    return { statusCode: error.status, code: fallbackCode(error.status), message: fallbackMessage(error.status) };
  }
  return { statusCode: 0, code: 'INTERNAL_ERROR', message: fallbackMessage(500) };
}

/** Groups the validation details of an API error by field name. */
export function fieldErrorsOf(error: ApiError | null): FieldErrors {
  const result: Record<string, string[]> = {};
  for (const detail of error?.details ?? []) {
    result[detail.field] = [...(result[detail.field] ?? []), ...detail.messages];
  }
  return result;
}
