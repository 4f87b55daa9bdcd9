import type { ContactAnswer, ContactChannel, NeedBouquetCode, RequestStatus } from '@passerelle/contracts';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { parisDay } from './paris-day';

/** The demo structure whose desk gets contacts (its persons are seeded by the demo seeder). */
export const DEMO_DESK_STRUCTURE = 'France Services du Briançonnais';

interface DemoNeed {
  bouquet: NeedBouquetCode;
  subNeed?: string;
  detail?: string;
}
interface DemoRequest {
  /** Position of the need the request is opened for. */
  need: number;
  status: RequestStatus;
  /** For resolved / no_follow_up. */
  closedDaysAgo?: number;
  closedReason?: string;
}
interface DemoContact {
  /** 0: today (a little before now). */
  daysAgo: number;
  time: [number, number];
  channel: ContactChannel;
  durationMinutes: number;
  needs: DemoNeed[];
  answer: ContactAnswer;
  summary: string;
  privateNote?: string;
  opens?: DemoRequest[];
  /** Links the requests opened by earlier contacts of the same scenario (by need's bouquet). */
  touches?: NeedBouquetCode[];
}

/** One path per person (cycled): realistic for a France Services desk in the Briançonnais. */
const SCENARIOS: DemoContact[][] = [
  [
    {
      daysAgo: 41,
      time: [9, 40],
      channel: 'in_person',
      durationMinutes: 35,
      needs: [
        { bouquet: 5, subNeed: 'Prime d’activité', detail: 'Première demande en ligne sur caf.fr' },
        { bouquet: 4, subNeed: 'Déclaration de revenus' },
      ],
      answer: 'procedure_done',
      summary: 'Demande de prime d’activité faite en ligne avec la personne ; déclaration de revenus vérifiée ensemble.',
      opens: [{ need: 0, status: 'resolved', closedDaysAgo: 12, closedReason: 'Droit ouvert, premier versement reçu.' }],
    },
    {
      daysAgo: 19,
      time: [14, 10],
      channel: 'phone',
      durationMinutes: 10,
      needs: [{ bouquet: 5, subNeed: 'Prime d’activité', detail: 'Demande de nouvelles du dossier' }],
      answer: 'information',
      summary: 'Dossier en cours d’instruction à la CAF : délai rappelé, pièces complètes.',
      touches: [5],
    },
  ],
  [
    {
      daysAgo: 6,
      time: [10, 15],
      channel: 'in_person',
      durationMinutes: 45,
      needs: [
        { bouquet: 14, subNeed: 'Demande de logement social', detail: 'Numéro unique à créer' },
        { bouquet: 10, subNeed: 'Aide alimentaire' },
      ],
      answer: 'referral_needed',
      summary: 'Demande de logement social à déposer ; orientation vers l’assistante sociale du secteur à prévoir.',
      privateNote: 'Hébergement provisoire chez un proche : revoir la situation dans quinze jours.',
      opens: [{ need: 0, status: 'open' }],
    },
  ],
  [
    {
      daysAgo: 12,
      time: [9, 20],
      channel: 'itinerant',
      durationMinutes: 25,
      needs: [{ bouquet: 8, subNeed: 'Complémentaire santé solidaire' }],
      answer: 'appointment',
      summary: 'Rendez-vous pris avec la CPAM (visio depuis le bus France Services) pour la complémentaire santé solidaire.',
      opens: [{ need: 0, status: 'in_progress' }],
    },
    {
      daysAgo: 2,
      time: [16, 5],
      channel: 'phone',
      durationMinutes: 8,
      needs: [{ bouquet: 8, subNeed: 'Complémentaire santé solidaire' }],
      answer: 'information',
      summary: 'Pièces manquantes rappelées : avis d’imposition et relevé de pension.',
      touches: [8],
    },
  ],
  [
    {
      daysAgo: 3,
      time: [11, 0],
      channel: 'email',
      durationMinutes: 15,
      needs: [
        { bouquet: 11, subNeed: 'Inscription France Travail' },
        { bouquet: 15, subNeed: 'Aide au permis de conduire' },
      ],
      answer: 'information',
      summary: 'Démarche d’inscription expliquée par courriel ; aides au permis de la Région et de France Travail présentées.',
      opens: [{ need: 1, status: 'open' }],
    },
  ],
  [
    {
      daysAgo: 95,
      time: [15, 30],
      channel: 'in_person',
      durationMinutes: 20,
      needs: [{ bouquet: 4, subNeed: 'Carte d’identité', detail: 'Pré-demande en ligne' }],
      answer: 'procedure_done',
      summary: 'Pré-demande de carte d’identité faite ; rendez-vous en mairie de Briançon à prendre.',
    },
    {
      daysAgo: 30,
      time: [10, 45],
      channel: 'video',
      durationMinutes: 30,
      needs: [{ bouquet: 17, subNeed: 'Facture d’énergie impayée' }],
      answer: 'appointment',
      summary: 'Échéancier à demander au fournisseur d’électricité ; chèque énergie à vérifier.',
      opens: [{ need: 0, status: 'open' }],
    },
    {
      daysAgo: 0,
      time: [9, 0],
      channel: 'in_person',
      durationMinutes: 25,
      needs: [{ bouquet: 17, subNeed: 'Facture d’énergie impayée' }],
      answer: 'support_started',
      summary: 'Appel au fournisseur avec la personne : échéancier sur six mois accordé.',
      touches: [17],
    },
  ],
];

/** Three anonymous, information-only contacts of the day (they count in the statistics). */
const ANONYMOUS_TODAY: Pick<DemoContact, 'channel' | 'durationMinutes' | 'needs' | 'summary'>[] = [
  { channel: 'phone', durationMinutes: 5, needs: [{ bouquet: 1, subNeed: 'Horaires des permanences' }], summary: 'Horaires du bus France Services dans le Queyras.' },
  { channel: 'in_person', durationMinutes: 10, needs: [{ bouquet: 4, subNeed: 'Carte grise' }], summary: 'Changement d’adresse sur la carte grise : démarche ANTS expliquée.' },
  { channel: 'in_person', durationMinutes: 5, needs: [{ bouquet: 17, subNeed: 'La Poste' }], summary: 'Procuration postale : formulaire remis.' },
];

/**
 * Demo desk activity: 1–3 contacts for each demo person followed by "France Services du
 * Briançonnais" (various channels, needs and answers; requests open, in progress and one resolved)
 * and three anonymous contacts today. Does nothing if the structure is missing or already has contacts.
 */
export async function seedDemoContacts(manager: EntityManager, tenantId: string, now: Date = new Date()): Promise<void> {
  const [structure]: { id: string }[] = await manager.query(`SELECT id FROM structure WHERE tenant_id = $1 AND name = $2 ORDER BY created_at LIMIT 1`, [
    tenantId,
    DEMO_DESK_STRUCTURE,
  ]);
  if (!structure) return;
  const already: unknown[] = await manager.query(`SELECT 1 FROM contact WHERE structure_id = $1 LIMIT 1`, [structure.id]);
  if (already.length > 0) return;
  const [agent]: { user_id: string }[] = await manager.query(
    `SELECT user_id FROM membership WHERE structure_id = $1 AND deactivated_at IS NULL
      ORDER BY (role = 'reception_agent') DESC, created_at LIMIT 1`,
    [structure.id],
  );
  if (!agent) return;
  const sites: { id: string; kind: string }[] = await manager.query(`SELECT id, kind FROM site WHERE structure_id = $1 ORDER BY created_at, id`, [structure.id]);
  const siteFor = (channel: ContactChannel) => (channel === 'itinerant' ? sites.find((s) => s.kind === 'itinerant') : sites.find((s) => s.kind === 'fixed'))?.id ?? null;
  const persons: { id: string }[] = await manager.query(
    `SELECT p.id FROM person p JOIN person_follow pf ON pf.person_id = p.id AND pf.structure_id = $2
      WHERE p.tenant_id = $1 AND p.merged_into_id IS NULL ORDER BY p.created_at, p.id`,
    [tenantId, structure.id],
  );

  const today = parisDay(now);
  const at = (daysAgo: number, [hour, minute]: [number, number], order = 0): Date => {
    if (daysAgo === 0) return new Date(Math.max(today.start.getTime(), now.getTime() - (order + 1) * 20 * 60_000));
    const day = parisDay(new Date(now.getTime() - daysAgo * 86_400_000));
    return new Date(day.start.getTime() + (hour * 60 + minute) * 60_000);
  };
  const ctx = { manager, tenantId, structureId: structure.id, userId: agent.user_id };

  for (const [index, person] of persons.entries()) {
    const opened = new Map<NeedBouquetCode, string>();
    for (const contact of SCENARIOS[index % SCENARIOS.length]) {
      const occurredAt = at(contact.daysAgo, contact.time, index);
      const contactId = await insertContact(ctx, { ...contact, personId: person.id, siteId: siteFor(contact.channel), occurredAt });
      for (const r of contact.opens ?? []) {
        const need = contact.needs[r.need];
        const closedAt = r.closedDaysAgo === undefined ? null : at(r.closedDaysAgo, [11, 30]);
        const [row]: { id: string }[] = await manager.query(
          `INSERT INTO request (tenant_id, person_id, structure_id, bouquet, sub_need, description, status, closed_reason,
                                opened_at, closed_at, opened_by_user_id, status_changed_by_user_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
          [
            tenantId,
            person.id,
            structure.id,
            need.bouquet,
            need.subNeed ?? null,
            need.detail ?? null,
            r.status,
            r.closedReason ?? null,
            occurredAt,
            closedAt,
            agent.user_id,
            r.status === 'open' ? null : agent.user_id,
          ],
        );
        opened.set(need.bouquet, row.id);
        await link(ctx, row.id, contactId);
      }
      for (const bouquet of contact.touches ?? []) {
        const requestId = opened.get(bouquet);
        if (requestId) await link(ctx, requestId, contactId);
      }
    }
  }

  for (const [order, contact] of ANONYMOUS_TODAY.entries()) {
    await insertContact(ctx, {
      ...contact,
      answer: 'information',
      personId: null,
      siteId: siteFor(contact.channel),
      occurredAt: at(0, [0, 0], persons.length + order),
    });
  }
}

interface SeedContext {
  manager: EntityManager;
  tenantId: string;
  structureId: string;
  userId: string;
}

async function insertContact(
  { manager, tenantId, structureId, userId }: SeedContext,
  c: Pick<DemoContact, 'channel' | 'durationMinutes' | 'needs' | 'answer' | 'summary' | 'privateNote'> & { personId: string | null; siteId: string | null; occurredAt: Date },
): Promise<string> {
  const [row]: { id: string }[] = await manager.query(
    `INSERT INTO contact (tenant_id, client_request_id, person_id, structure_id, site_id, agent_user_id, channel, occurred_at,
                          duration_minutes, answer, summary, private_note, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $8) RETURNING id`,
    [tenantId, randomUUID(), c.personId, structureId, c.siteId, userId, c.channel, c.occurredAt, c.durationMinutes, c.answer, c.summary, c.privateNote ?? null],
  );
  for (const [position, need] of c.needs.entries()) {
    await manager.query(`INSERT INTO contact_need (tenant_id, contact_id, position, bouquet, sub_need, detail) VALUES ($1, $2, $3, $4, $5, $6)`, [
      tenantId,
      row.id,
      position,
      need.bouquet,
      need.subNeed ?? null,
      need.detail ?? null,
    ]);
  }
  return row.id;
}

async function link({ manager, tenantId }: SeedContext, requestId: string, contactId: string): Promise<void> {
  await manager.query(`INSERT INTO request_contact (tenant_id, request_id, contact_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [tenantId, requestId, contactId]);
}
