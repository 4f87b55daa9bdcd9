import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DOCUMENT_MAX_BYTES, DOCUMENT_MEDIA_TYPES, type DocumentMediaType, type PersonDocument } from '@passerelle/contracts';
import { filetypemime } from 'magic-bytes.js';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../common/auth/auth-context';
import { DomainError, notFound } from '../common/errors/domain-error';
import { PersonAccessService } from '../persons/person-access.service';
import type { UploadDocumentDto } from './dto/document.dto';

/** An uploaded file as multer hands it over (memory storage). */
export interface UploadedBytes {
  buffer: Buffer;
  size: number;
}

interface DocumentRow {
  id: string;
  person_id: string;
  structure_id: string;
  structure_name: string;
  uploaded_by: string;
  kind: PersonDocument['kind'];
  category: PersonDocument['category'];
  title: string;
  media_type: DocumentMediaType;
  size_bytes: number;
  sha256: string;
  created_at: Date;
}

const DOCUMENT_SELECT = `
  SELECT d.id, d.person_id, d.structure_id, s.name AS structure_name, concat_ws(' ', u.first_name, u.last_name) AS uploaded_by,
         d.kind, d.category, d.title, d.media_type, d.size_bytes, d.sha256, d.created_at
    FROM document d
    JOIN structure s ON s.id = d.structure_id
    JOIN app_user u ON u.id = d.uploaded_by_user_id`;

const M = {
  noFile: 'Joignez un fichier (PDF, JPEG, PNG ou WebP).',
  tooLarge: `Le fichier dépasse ${DOCUMENT_MAX_BYTES / 1024 / 1024} Mo.`,
  type: 'Ce fichier n’est ni un PDF, ni une image JPEG, PNG ou WebP (le type est reconnu d’après son contenu, pas son nom).',
};

/** The media type recognised from the first bytes, if it is one we accept. */
export function sniffMediaType(bytes: Uint8Array): DocumentMediaType | null {
  const found = filetypemime(bytes.subarray(0, 64));
  return DOCUMENT_MEDIA_TYPES.find((type) => found.includes(type)) ?? null;
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * The armoire numérique. Uploads by a structure that follows the person, type checked from the content,
 * stored in PostgreSQL with their SHA-256 (checked again on every download). A document belongs to the
 * structure that uploaded it; other structures see it when its category is shared with them
 * (PersonAccessService.recordVisibleSql on the document's own category). Reads and downloads are audited.
 */
@Injectable()
export class DocumentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: PersonAccessService,
    private readonly audit: AuditService,
  ) {}

  async list(auth: AuthContext, personId: string): Promise<PersonDocument[]> {
    return this.dataSource.transaction(async (manager) => {
      const access = await this.access.assertCanSee(auth, personId, manager);
      await this.audit.record(auth, { action: 'person.documents.read', entityType: 'person', entityId: personId, reason: access.reason }, manager);
      return this.find(manager, auth, personId);
    });
  }

  async upload(auth: AuthContext, personId: string, dto: UploadDocumentDto, file: UploadedBytes | undefined): Promise<PersonDocument> {
    if (!file || file.size === 0) throw new DomainError('VALIDATION_FAILED', M.noFile, [{ field: 'file', messages: [M.noFile] }]);
    if (file.size > DOCUMENT_MAX_BYTES) throw new DomainError('PAYLOAD_TOO_LARGE', M.tooLarge);
    const mediaType = sniffMediaType(file.buffer);
    if (!mediaType) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', M.type, [{ field: 'file', messages: [M.type] }]);
    return this.dataSource.transaction(async (manager) => {
      await this.access.assertFollows(auth, personId, manager);
      await this.access.assertNotAnonymized(personId, manager);
      const [row]: { id: string }[] = await manager.query(
        `INSERT INTO document (tenant_id, person_id, structure_id, uploaded_by_user_id, kind, category, title, media_type, size_bytes, sha256)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [auth.tenantId, personId, auth.structureId, auth.userId, dto.kind, dto.category, dto.title, mediaType, file.size, sha256(file.buffer)],
      );
      await manager.query(`INSERT INTO document_content (document_id, content) VALUES ($1, $2)`, [row.id, file.buffer]);
      await this.audit.record(auth, { action: 'document.upload', entityType: 'person', entityId: personId, reason: `${dto.kind}:${dto.category}` }, manager);
      const [created] = await this.find(manager, auth, personId, row.id);
      return created;
    });
  }

  /** The bytes of a document the caller may see, after checking them against their SHA-256. Audited. */
  async content(auth: AuthContext, personId: string, documentId: string): Promise<{ document: PersonDocument; bytes: Buffer }> {
    return this.dataSource.transaction(async (manager) => {
      await this.access.assertCanSee(auth, personId, manager);
      const [document] = await this.find(manager, auth, personId, documentId);
      if (!document) throw notFound('Document');
      const [row]: { content: Buffer }[] = await manager.query(`SELECT content FROM document_content WHERE document_id = $1`, [documentId]);
      if (!row || sha256(row.content) !== document.sha256) {
        // Recorded outside this transaction, which the error rolls back.
        await this.audit.record(auth, { action: 'document.download', outcome: 'failure', entityType: 'person', entityId: personId, reason: 'integrity' });
        throw new DomainError('INTEGRITY_ERROR');
      }
      await this.audit.record(auth, { action: 'document.download', entityType: 'person', entityId: personId, reason: documentId }, manager);
      return { document, bytes: row.content };
    });
  }

  /** The person's documents the caller may see (one of them with `documentId`), newest first. No audit: callers audit. */
  async find(manager: EntityManager, auth: AuthContext, personId: string, documentId?: string): Promise<PersonDocument[]> {
    const visible = this.access.recordVisibleSql(auth, 'd.person_id', 'd.structure_id', { column: 'd.category' }, 3);
    const params: unknown[] = [personId, auth.tenantId, ...visible.params];
    const byId = documentId ? ` AND d.id = $${params.push(documentId)}` : '';
    const rows: DocumentRow[] = await manager.query(
      `${DOCUMENT_SELECT} WHERE d.person_id = $1 AND d.tenant_id = $2 AND ${visible.sql}${byId} ORDER BY d.created_at DESC, d.id`,
      params,
    );
    return rows.map((r) => ({
      id: r.id,
      personId: r.person_id,
      structureId: r.structure_id,
      structureName: r.structure_name,
      uploadedBy: r.uploaded_by,
      kind: r.kind,
      category: r.category,
      title: r.title,
      mediaType: r.media_type,
      sizeBytes: r.size_bytes,
      sha256: r.sha256,
      createdAt: r.created_at.toISOString(),
    }));
  }
}
