import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  FINAL_REFERRAL_STATUSES,
  NEED_BOUQUETS,
  REFERRAL_STATUS_LABELS,
  REQUEST_STATUS_LABELS,
  type ErasureBlocker,
  type ErasureReport,
  type ReferralStatus,
  type RequestStatus,
} from '@passerelle/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../common/auth/auth-context';
import { DomainError } from '../common/errors/domain-error';
import { PersonAccessService } from '../persons/person-access.service';
import { ACTIVE_REQUEST_STATUSES } from '../requests/request-status';
import type { ErasePersonDto } from './dto/erasure.dto';
import { PersonAnonymizer } from './person-anonymizer';

interface OpenRequestRow {
  structure_id: string;
  structure_name: string;
  bouquet: number;
  sub_need: string | null;
  status: RequestStatus;
}

interface OpenReferralRow {
  from_structure_id: string;
  to_structure_id: string;
  from_name: string;
  to_name: string;
  bouquet: number;
  status: ReferralStatus;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/**
 * Erasure of a person's file at the person's request (RGPD art. 17; docs/retention.md, « Effacement à
 * la demande »; decision 0009): the structure admin of a structure that follows the person anonymises
 * the file at once, exactly as the retention job would (PersonAnonymizer: identity, free text,
 * documents, the files merged into it; codes, statuses and dates kept for statistics), in one
 * transaction with the audit row.
 *
 * "Where the law allows": refused (409 ERASURE_BLOCKED) while a request of the file is open or in
 * progress, or an orientation is still under way (not refused, redirected, closed or cancelled), at
 * any structure — an ongoing accompaniment needs the data; it is closed first. A file
 * already anonymised has nothing left to erase (409 ALREADY_ANONYMIZED). A file merged into another
 * is answered 404 like on every person route (its target is the file to erase; it carries it along).
 */
@Injectable()
export class ErasureService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: PersonAccessService,
    private readonly anonymizer: PersonAnonymizer,
    private readonly audit: AuditService,
  ) {}

  async erase(auth: AuthContext, personId: string, dto: ErasePersonDto): Promise<ErasureReport> {
    return this.dataSource.transaction(async (manager) => {
      // Locked before anything is checked: an edit, a merge, another erasure, and the contacts and
      // requests being written for the person (their foreign key takes a share lock on the row) wait
      // for this transaction, so what is checked below is what is erased.
      const [row]: { anonymized_at: Date | null }[] = await manager.query(
        `SELECT anonymized_at FROM person WHERE id = $1 AND tenant_id = $2 FOR UPDATE`,
        [personId, auth.tenantId],
      );
      // 404 when the caller may not see the file, or when it was merged into another; 403 when it is
      // only shared with their structure by consent.
      await this.access.assertFollows(auth, personId, manager);
      if (!row) throw new Error(`person ${personId} visible but not found`);
      if (row.anonymized_at) throw new DomainError('ALREADY_ANONYMIZED');

      const files = await this.anonymizer.withMergedFiles(manager, [personId]);
      const open = await openRequests(manager, auth, files);
      if (open.length > 0) throw erasureBlocked(auth, open);
      const referrals = await openReferrals(manager, auth, files);
      if (referrals.length > 0) throw referralsBlock(auth, referrals);

      const [{ now }]: { now: Date }[] = await manager.query(`SELECT now() AS now`);
      const done = await this.anonymizer.anonymize(manager, { tenantId: auth.tenantId, personIds: [personId], now, cause: 'erasure' });
      // The basis is a code; nothing personal goes into the audit trail.
      await this.audit.record(auth, { action: 'person.erasure', entityType: 'person', entityId: personId, reason: dto.basis }, manager);
      return { personId, basis: dto.basis, anonymizedAt: now.toISOString(), personsAnonymized: done.personsAnonymized, erased: done.erased };
    });
  }
}

/** The open or in-progress requests of these files, at any structure: the caller's structure's first. */
function openRequests(manager: EntityManager, auth: AuthContext, personIds: string[]): Promise<OpenRequestRow[]> {
  return manager.query(
    `SELECT r.structure_id, s.name AS structure_name, r.bouquet, r.sub_need, r.status
       FROM request r JOIN structure s ON s.id = r.structure_id
      WHERE r.tenant_id = $1 AND r.person_id = ANY($2::uuid[]) AND r.status = ANY($3::text[])
      ORDER BY (r.structure_id = $4) DESC, s.name, r.opened_at, r.id`,
    [auth.tenantId, personIds, ACTIVE_REQUEST_STATUSES, auth.structureId],
  );
}

/**
 * 409 ERASURE_BLOCKED, with one detail line per request of the caller's structure (what it is about:
 * the structure may see its own requests) and one per other structure (how many: their needs are not
 * the caller's to read without a consent, but the admin must know whom to ask).
 */
function erasureBlocked(auth: AuthContext, open: OpenRequestRow[]): DomainError {
  const field: ErasureBlocker = 'open_requests';
  const messages: string[] = [];
  const others = new Map<string, { name: string; count: number }>();
  for (const request of open) {
    if (request.structure_id === auth.structureId) {
      const bouquet = NEED_BOUQUETS.find((b) => b.code === request.bouquet)?.label ?? `Bouquet ${request.bouquet}`;
      const subNeed = request.sub_need ? ` (${request.sub_need})` : '';
      messages.push(`Votre structure : demande « ${bouquet} »${subNeed}, statut « ${REQUEST_STATUS_LABELS[request.status]} ».`);
    } else {
      const other = others.get(request.structure_id) ?? { name: request.structure_name, count: 0 };
      other.count += 1;
      others.set(request.structure_id, other);
    }
  }
  for (const { name, count } of others.values()) {
    messages.push(
      `${name} : ${count} ${plural(count, 'demande ouverte ou en cours', 'demandes ouvertes ou en cours')} — seule cette structure peut ${plural(count, 'la clore', 'les clore')}.`,
    );
  }
  const n = open.length;
  return new DomainError(
    'ERASURE_BLOCKED',
    `Les données de cette personne ne peuvent pas être effacées maintenant : ${n} ${plural(n, 'demande est encore ouverte ou en cours', 'demandes sont encore ouvertes ou en cours')}. ` +
      'Tant qu’un accompagnement est en cours, ses données restent nécessaires et sont conservées. ' +
      `Clôturez d’abord ${plural(n, 'cette demande', 'ces demandes')} (résolue ou sans suite), puis recommencez.`,
    [{ field, messages }],
  );
}

/** The orientations of these files still under way (the loop not closed), sent or received by anyone. */
function openReferrals(manager: EntityManager, auth: AuthContext, personIds: string[]): Promise<OpenReferralRow[]> {
  return manager.query(
    `SELECT r.from_structure_id, r.to_structure_id, f.name AS from_name, t.name AS to_name, r.bouquet, r.status
       FROM referral r JOIN structure f ON f.id = r.from_structure_id JOIN structure t ON t.id = r.to_structure_id
      WHERE r.tenant_id = $1 AND r.person_id = ANY($2::uuid[]) AND NOT (r.status = ANY($3::text[]))
      ORDER BY (r.from_structure_id = $4 OR r.to_structure_id = $4) DESC, r.sent_at, r.id`,
    [auth.tenantId, personIds, FINAL_REFERRAL_STATUSES, auth.structureId],
  );
}

/**
 * 409 ERASURE_BLOCKED for orientations under way: the caller's structure's own (sent or received) are
 * described; others are counted per receiving structure, which is the one to close them.
 */
function referralsBlock(auth: AuthContext, open: OpenReferralRow[]): DomainError {
  const field: ErasureBlocker = 'open_referrals';
  const messages: string[] = [];
  const others = new Map<string, { name: string; count: number }>();
  for (const r of open) {
    if (r.from_structure_id === auth.structureId || r.to_structure_id === auth.structureId) {
      const bouquet = NEED_BOUQUETS.find((b) => b.code === r.bouquet)?.label ?? `Bouquet ${r.bouquet}`;
      messages.push(`Orientation « ${bouquet} » de ${r.from_name} vers ${r.to_name}, statut « ${REFERRAL_STATUS_LABELS[r.status]} ».`);
    } else {
      const other = others.get(r.to_structure_id) ?? { name: r.to_name, count: 0 };
      other.count += 1;
      others.set(r.to_structure_id, other);
    }
  }
  for (const { name, count } of others.values()) {
    messages.push(`${name} : ${count} ${plural(count, 'orientation en cours', 'orientations en cours')}.`);
  }
  const n = open.length;
  return new DomainError(
    'ERASURE_BLOCKED',
    `Les données de cette personne ne peuvent pas être effacées maintenant : ${n} ${plural(n, 'orientation est encore en cours', 'orientations sont encore en cours')}. ` +
      'Tant que le parcours n’est pas bouclé, ses données restent nécessaires et sont conservées. ' +
      `${plural(n, 'Cette orientation doit être clôturée, refusée ou annulée', 'Ces orientations doivent être clôturées, refusées ou annulées')}, puis recommencez.`,
    [{ field, messages }],
  );
}
