import type { PersonSearchHit } from './persons';
import type { ConsentRequiredDetail } from './referrals';

/** Stable error codes returned by the API in `{ code, message }` bodies. */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'AUTH_REQUIRED',
  'SESSION_EXPIRED',
  'INVALID_CREDENTIALS',
  'ACCOUNT_LOCKED',
  'ACCOUNT_INACTIVE',
  'TOO_MANY_REQUESTS',
  'CSRF_INVALID',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'POSSIBLE_DUPLICATE',
  'INVALID_TRANSITION',
  'ERASURE_BLOCKED',
  'ALREADY_ANONYMIZED',
  'PERSON_ANONYMIZED',
  'CONSENT_REQUIRED',
  'ACTIVATION_INVALID',
  'WEAK_PASSWORD',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INTEGRITY_ERROR',
  'INTERNAL_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  statusCode: number;
  code: ErrorCode;
  /** French message, safe to show to the user. */
  message: string;
  /** Field-level problems for VALIDATION_FAILED; for ERASURE_BLOCKED, the reasons (`field`: an ErasureBlocker). */
  details?: { field: string; messages: string[] }[];
  requestId?: string;
  /** POSSIBLE_DUPLICATE: the similar person files the agent can open instead. */
  candidates?: PersonSearchHit[];
  /** CONSENT_REQUIRED: which categories the person's consent does not cover for which structure. */
  consentRequired?: ConsentRequiredDetail;
}
