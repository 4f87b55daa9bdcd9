import type { ApiError, ErrorCode } from '@passerelle/contracts';

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  AUTH_REQUIRED: 401,
  SESSION_EXPIRED: 401,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_LOCKED: 423,
  ACCOUNT_INACTIVE: 403,
  TOO_MANY_REQUESTS: 429,
  CSRF_INVALID: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  POSSIBLE_DUPLICATE: 409,
  INVALID_TRANSITION: 409,
  ERASURE_BLOCKED: 409,
  ALREADY_ANONYMIZED: 409,
  PERSON_ANONYMIZED: 409,
  CONSENT_REQUIRED: 409,
  ACTIVATION_INVALID: 400,
  WEAK_PASSWORD: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTEGRITY_ERROR: 500,
  INTERNAL_ERROR: 500,
};

export const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'La requête contient des données invalides.',
  AUTH_REQUIRED: 'Vous devez vous connecter.',
  SESSION_EXPIRED: 'Votre session a expiré, reconnectez-vous.',
  INVALID_CREDENTIALS: 'Adresse électronique ou mot de passe incorrect.',
  ACCOUNT_LOCKED: 'Compte temporairement verrouillé après plusieurs échecs de connexion. Réessayez plus tard.',
  ACCOUNT_INACTIVE: 'Ce compte est désactivé.',
  TOO_MANY_REQUESTS: 'Trop de tentatives. Patientez une minute avant de réessayer.',
  CSRF_INVALID: 'Jeton de sécurité (CSRF) absent ou invalide. Rechargez la page.',
  FORBIDDEN: 'Vous n’avez pas les droits pour cette action.',
  NOT_FOUND: 'Ressource introuvable.',
  CONFLICT: 'Cette opération entre en conflit avec des données existantes.',
  POSSIBLE_DUPLICATE: 'Une ou plusieurs personnes ressemblent à celle que vous créez : vérifiez qu’il ne s’agit pas de la même.',
  INVALID_TRANSITION: 'Ce changement de statut n’est pas permis.',
  ERASURE_BLOCKED: 'Les données de cette personne ne peuvent pas être effacées pour l’instant.',
  ALREADY_ANONYMIZED: 'Ce dossier est déjà anonymisé : il n’y a plus rien à effacer.',
  PERSON_ANONYMIZED: 'Ce dossier a été anonymisé : il ne peut plus être modifié. Si la personne revient, créez-lui un nouveau dossier.',
  CONSENT_REQUIRED: 'La personne n’a pas consenti à partager ces informations avec cette structure : recueillez son consentement, ou envoyez l’orientation sans ces informations.',
  ACTIVATION_INVALID: 'Ce lien d’activation est invalide ou a expiré. Demandez un nouveau lien à votre administrateur.',
  WEAK_PASSWORD: 'Le mot de passe ne respecte pas les règles de sécurité.',
  PAYLOAD_TOO_LARGE: 'Le fichier ou la requête est trop volumineux.',
  UNSUPPORTED_MEDIA_TYPE: 'Ce type de fichier n’est pas accepté.',
  INTEGRITY_ERROR: 'Le contenu stocké ne correspond plus à son empreinte : il n’est pas transmis. L’incident est tracé ; prévenez l’administrateur.',
  INTERNAL_ERROR: 'Une erreur inattendue est survenue. Réessayez ; si elle persiste, contactez le support.',
};

/** A business error with a stable code; the exception filter turns it into an ApiError response. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: ApiError['details'],
    /** Extra fields of the response body, e.g. `candidates` for POSSIBLE_DUPLICATE. */
    readonly extra?: Pick<ApiError, 'candidates' | 'consentRequired'>,
  ) {
    super(message ?? DEFAULT_MESSAGES[code]);
  }
  get status(): number {
    return STATUS_BY_CODE[this.code];
  }
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} introuvable.`);
export const forbidden = (message?: string) => new DomainError('FORBIDDEN', message);
