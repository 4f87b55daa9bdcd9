import type { DataCategory } from './consents';

/**
 * The armoire numérique: documents attached to a person's file. Each has a data category, so consent
 * governs who can see it; the type is checked from the content, not from the file name.
 */
export const DOCUMENT_KINDS = ['identity', 'residence', 'resources', 'housing', 'health_insurance', 'letter', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export const DOCUMENT_KIND_LABELS: Record<DocumentKind, string> = {
  identity: 'Pièce d’identité ou titre de séjour',
  residence: 'Justificatif de domicile ou de domiciliation',
  resources: 'Justificatif de ressources',
  housing: 'Logement (bail, quittance…)',
  health_insurance: 'Assurance maladie',
  letter: 'Courrier',
  other: 'Autre document',
};
/** The category a kind of document usually belongs to (the agent may choose another). */
export const DOCUMENT_KIND_DEFAULT_CATEGORY: Record<DocumentKind, DataCategory> = {
  identity: 'identity_contact',
  residence: 'family_housing',
  resources: 'resources_rights',
  housing: 'family_housing',
  health_insurance: 'resources_rights',
  letter: 'documents',
  other: 'documents',
};

/** What may be uploaded, recognised from the first bytes of the file. */
export const DOCUMENT_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/webp'] as const;
export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[number];
export const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;

export interface PersonDocument {
  id: string;
  personId: string;
  structureId: string;
  structureName: string;
  uploadedBy: string;
  kind: DocumentKind;
  category: DataCategory;
  title: string;
  mediaType: DocumentMediaType;
  sizeBytes: number;
  /** SHA-256 of the content, checked on every download. */
  sha256: string;
  createdAt: string;
}

/** The form fields of `POST /api/persons/:id/documents` (multipart/form-data, the file in `file`). */
export interface UploadDocumentFields {
  kind: DocumentKind;
  category: DataCategory;
  title: string;
}
