/**
 * Erasure of a person's file at the person's request (RGPD art. 17, « droit à l'effacement »): the
 * file is anonymised exactly as the retention job does (docs/retention.md), at once, by the structure
 * admin of a structure that follows the person. Refused while an accompaniment is ongoing (open or
 * in-progress requests, orientations under way): the data is then still necessary.
 */

/**
 * Why the person's data is erased: the grounds of art. 17.1 that a reception desk meets. Recorded, as a
 * code, in the audit trail (`person.erasure`, reason).
 */
export const ERASURE_BASES = ['person_request', 'consent_withdrawn', 'objection'] as const;
export type ErasureBasis = (typeof ERASURE_BASES)[number];
export const ERASURE_BASIS_LABELS: Record<ErasureBasis, string> = {
  person_request: 'Demande de la personne : ses données ne sont plus nécessaires (RGPD art. 17.1.a)',
  consent_withdrawn: 'Retrait du consentement, sans autre base légale au traitement (art. 17.1.b)',
  objection: 'Opposition de la personne au traitement, sans motif légitime impérieux de le poursuivre (art. 17.1.c et 21)',
};

/** The word the admin types to confirm: erasure cannot be undone. */
export const ERASURE_CONFIRMATION = 'EFFACER';

export interface ErasePersonRequest {
  basis: ErasureBasis;
  /** Must be exactly ERASURE_CONFIRMATION. */
  confirmation: string;
}

/** What an erasure did: counts only, never personal data. */
export interface ErasureReport {
  personId: string;
  basis: ErasureBasis;
  /** When the file was anonymised (ISO 8601). */
  anonymizedAt: string;
  /** Files anonymised: this one and the files merged into it. */
  personsAnonymized: number;
  /** Rows changed or deleted by each eraser, by its name (contacts, requests, access_overrides, documents). */
  erased: Record<string, number>;
}

/** The kinds of reasons an erasure is refused (the `field` of the 409 ERASURE_BLOCKED details). */
export const ERASURE_BLOCKERS = ['open_requests', 'open_referrals'] as const;
export type ErasureBlocker = (typeof ERASURE_BLOCKERS)[number];
