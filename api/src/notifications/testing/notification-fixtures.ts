// Test data for the notification and reminder integration tests: orientations and handoffs are
// inserted in SQL, independently of the referrals and handoffs APIs.
import type { Role } from '@passerelle/contracts';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** The part of the integration tests' TestApp used here (kept structural: this file is in the app's tsconfig). */
interface AgentFactory {
  createAgent(input: { role: Role; structureId?: string | null; tenantId?: string }): Promise<{ user: { id: string }; membership: { id: string }; email: string }>;
}

export interface TestReferralInput {
  tenantId: string;
  personId: string;
  fromStructureId: string;
  fromUserId: string | null;
  toStructureId: string;
  /** Defaults to the database's now(). */
  sentAt?: Date;
  status?: 'sent' | 'received' | 'accepted' | 'cancelled';
  message?: string | null;
  parentReferralId?: string | null;
}

export async function insertReferral(ds: DataSource, input: TestReferralInput): Promise<string> {
  const status = input.status ?? 'sent';
  const [row]: { id: string }[] = await ds.query(
    `INSERT INTO referral (tenant_id, client_request_id, person_id, from_structure_id, from_user_id, to_structure_id, bouquet, message,
                           status, sent_at, received_at, answered_at, cancelled_at, parent_referral_id)
     VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, 14, $6, $7::text, coalesce($8::timestamptz, now()),
             CASE WHEN $7::text IN ('received','accepted') THEN now() END,
             CASE WHEN $7::text = 'accepted' THEN now() END,
             CASE WHEN $7::text = 'cancelled' THEN now() END, $9)
     RETURNING id`,
    [input.tenantId, input.personId, input.fromStructureId, input.fromUserId, input.toStructureId, input.message ?? null, status, input.sentAt ?? null, input.parentReferralId ?? null],
  );
  await ds.query(`INSERT INTO referral_event (tenant_id, referral_id, status, user_id, structure_id) VALUES ($1, $2, 'sent', $3, $4)`, [
    input.tenantId,
    row.id,
    input.fromUserId,
    input.fromStructureId,
  ]);
  return row.id;
}

export async function insertHandoff(
  ds: DataSource,
  input: { tenantId: string; personId: string; fromStructureId: string; fromUserId: string; toStructureId: string; toUserId: string },
): Promise<string> {
  const [row]: { id: string }[] = await ds.query(
    `INSERT INTO handoff (tenant_id, client_request_id, person_id, from_structure_id, from_user_id, to_structure_id, to_user_id, note)
     VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6, 'Note de transmission confidentielle') RETURNING id`,
    [input.tenantId, input.personId, input.fromStructureId, input.fromUserId, input.toStructureId, input.toUserId],
  );
  return row.id;
}

/** A structure of `tenantId` (a commune of that tenant). */
export async function insertStructure(ds: DataSource, tenantId: string, name = `Structure ${randomUUID().slice(0, 8)}`): Promise<string> {
  const [{ id }]: { id: string }[] = await ds.query(
    `INSERT INTO structure (tenant_id, name, type, commune_insee)
     SELECT $1, $2, 'ccas', insee_code FROM commune WHERE tenant_id = $1 ORDER BY insee_code LIMIT 1 RETURNING id`,
    [tenantId, name],
  );
  return id;
}

/** An agent with `role` in the structure: their user id and e-mail. */
export async function agentOf(t: AgentFactory, role: Role, structureId: string, tenantId?: string): Promise<{ userId: string; email: string; membershipId: string }> {
  const created = await t.createAgent({ role, structureId, tenantId });
  return { userId: created.user.id, email: created.email, membershipId: created.membership.id };
}

/** The notifications of a referral or handoff: who got which kind (and detail), sorted. */
export async function notificationsOf(ds: DataSource, entityId: string): Promise<{ user_id: string; kind: string; detail: string | null }[]> {
  return ds.query(`SELECT user_id, kind, detail FROM notification WHERE entity_id = $1 ORDER BY kind, user_id`, [entityId]);
}
