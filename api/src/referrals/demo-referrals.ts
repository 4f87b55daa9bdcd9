import type { AccessibilityLinkCode, InChargeKind, NeedBouquetCode, ReferralOutcome, ReferralStatus, RefusalReason } from '@passerelle/contracts';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** A past orientation of the demo, with the dates of each step (days before the seeding). */
interface DemoReferral {
  /** "Usage last name, first names" of a demo person. */
  person: [string, string];
  from: string;
  to: string;
  bouquet: NeedBouquetCode;
  message: string;
  sentDaysAgo: number;
  receivedDaysAgo?: number;
  answer?: { daysAgo: number; status: 'accepted' } | { daysAgo: number; status: 'refused'; reason: RefusalReason; brokenLink: AccessibilityLinkCode };
  inCharge?: { daysAgo: number; kind: InChargeKind };
  closed?: { daysAgo: number; outcome: ReferralOutcome; brokenLink?: AccessibilityLinkCode };
}

/**
 * Orientations between the demo structures over the last two months: the closed loop in each of its
 * states, so that the coordinator's dashboard and indicators have something to show (an orientation
 * waiting at the CAF, one accepted by the Département but not taken in charge, a refusal without
 * follow-up, closed ones, one just sent). Structures are named as in the demo seeder.
 */
const REFERRALS: DemoReferral[] = [
  {
    person: ['Garnier', 'Élise'],
    from: 'France Services du Briançonnais',
    to: 'CAF des Hautes-Alpes',
    bouquet: 5,
    message: 'Ouverture de droits à l’allocation de soutien familial à étudier.',
    sentDaysAgo: 22,
    receivedDaysAgo: 20,
  },
  {
    person: ['Diallo', 'Fatou'],
    from: 'France Services du Briançonnais',
    to: 'Département des Hautes-Alpes — Direction de l’action sociale',
    bouquet: 10,
    message: 'Souhaite rencontrer une assistante sociale pour un accompagnement budgétaire.',
    sentDaysAgo: 26,
    receivedDaysAgo: 25,
    answer: { daysAgo: 21, status: 'accepted' },
  },
  {
    person: ['Lefebvre', 'Kévin'],
    from: 'Département des Hautes-Alpes — Direction de l’action sociale',
    to: 'Épicerie solidaire du Buëch',
    bouquet: 10,
    message: 'Aide alimentaire temporaire.',
    sentDaysAgo: 40,
    receivedDaysAgo: 39,
    answer: { daysAgo: 35, status: 'refused', reason: 'out_of_zone', brokenLink: 5 },
  },
  {
    person: ['Martin', 'Lucas'],
    from: 'France Services du Briançonnais',
    to: 'France Travail Gap',
    bouquet: 11,
    message: 'Inscription et premier rendez-vous conseiller.',
    sentDaysAgo: 60,
    receivedDaysAgo: 59,
    answer: { daysAgo: 57, status: 'accepted' },
    inCharge: { daysAgo: 50, kind: 'appointment' },
    closed: { daysAgo: 30, outcome: 'done' },
  },
  {
    person: ['Brunet', 'Gérard'],
    from: 'France Services du Briançonnais',
    to: 'CPAM des Hautes-Alpes',
    bouquet: 8,
    message: 'Rendez-vous pour la complémentaire santé solidaire.',
    sentDaysAgo: 50,
    receivedDaysAgo: 49,
    answer: { daysAgo: 45, status: 'accepted' },
    inCharge: { daysAgo: 40, kind: 'appointment' },
    closed: { daysAgo: 20, outcome: 'abandoned', brokenLink: 6 },
  },
  {
    person: ['Bernard', 'Océane'],
    from: 'France Services du Briançonnais',
    to: 'Mission locale pour les jeunes des Hautes-Alpes',
    bouquet: 11,
    message: 'Recherche d’un contrat d’apprentissage.',
    sentDaysAgo: 3,
  },
];

/** Persons followed by the Département with a référent there (one of them lost from view). */
const REFERENTS: { person: [string, string]; structure: string; email: string; startedDaysAgo: number }[] = [
  { person: ['Roux-Chabert', 'Anaïs'], structure: 'Département des Hautes-Alpes — Direction de l’action sociale', email: 'social@demo.passerelle.fr', startedDaysAgo: 120 },
];

const DAY = 86_400_000;

/** Loads the demo orientations and référents (after the persons, structures and accounts). */
export async function seedDemoReferrals(manager: EntityManager, tenantId: string, now = new Date()): Promise<void> {
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const structureId = async (name: string): Promise<string> =>
    ((await manager.query(`SELECT id FROM structure WHERE tenant_id = $1 AND name = $2`, [tenantId, name])) as { id: string }[])[0].id;
  const personId = async ([last, first]: [string, string]): Promise<string> =>
    ((await manager.query(`SELECT id FROM person WHERE tenant_id = $1 AND usage_last_name = $2 AND first_names = $3`, [tenantId, last, first])) as { id: string }[])[0].id;
  const agentOf = async (structure: string): Promise<string | null> =>
    ((await manager.query(`SELECT user_id FROM membership WHERE structure_id = $1 ORDER BY created_at LIMIT 1`, [structure])) as { user_id: string }[])[0]?.user_id ??
    null;

  for (const r of REFERRALS) {
    const [person, from, to] = [await personId(r.person), await structureId(r.from), await structureId(r.to)];
    const [fromUser, toUser] = [await agentOf(from), await agentOf(to)];
    const status: ReferralStatus = r.closed ? 'closed' : r.inCharge ? 'in_charge' : (r.answer?.status ?? (r.receivedDaysAgo !== undefined ? 'received' : 'sent'));
    const refusal = r.answer?.status === 'refused' ? r.answer : null;
    const [row]: { id: string }[] = await manager.query(
      `INSERT INTO referral (tenant_id, client_request_id, person_id, from_structure_id, from_user_id, to_structure_id, bouquet, message,
                             status, sent_at, received_at, answered_at, refusal_reason, in_charge_kind, in_charge_at, closed_at, outcome,
                             broken_link, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, now()) RETURNING id`,
      [
        tenantId,
        randomUUID(),
        person,
        from,
        fromUser,
        to,
        r.bouquet,
        r.message,
        status,
        ago(r.sentDaysAgo),
        r.receivedDaysAgo === undefined ? null : ago(r.receivedDaysAgo),
        r.answer ? ago(r.answer.daysAgo) : null,
        refusal?.reason ?? null,
        r.inCharge?.kind ?? null,
        r.inCharge ? ago(r.inCharge.daysAgo) : null,
        r.closed ? ago(r.closed.daysAgo) : null,
        r.closed?.outcome ?? null,
        refusal?.brokenLink ?? r.closed?.brokenLink ?? null,
      ],
    );
    const steps: [ReferralStatus, number | undefined, string | null, string][] = [
      ['sent', r.sentDaysAgo, fromUser, from],
      ['received', r.receivedDaysAgo, toUser, to],
      [r.answer?.status ?? 'accepted', r.answer?.daysAgo, toUser, to],
      ['in_charge', r.inCharge?.daysAgo, toUser, to],
      ['closed', r.closed?.daysAgo, toUser, to],
    ];
    for (const [step, days, user, structure] of steps) {
      if (days === undefined) continue;
      await manager.query(`INSERT INTO referral_event (tenant_id, referral_id, status, at, user_id, structure_id) VALUES ($1, $2, $3, $4, $5, $6)`, [
        tenantId,
        row.id,
        step,
        ago(days),
        user,
        structure,
      ]);
    }
    // The receiver follows the person from the prise en charge (decision 0011).
    if (r.inCharge) {
      await manager.query(
        `INSERT INTO person_follow (tenant_id, person_id, structure_id, since, reason) VALUES ($1, $2, $3, $4, 'referral') ON CONFLICT DO NOTHING`,
        [tenantId, person, to, ago(r.inCharge.daysAgo)],
      );
    }
  }

  for (const r of REFERENTS) {
    const [person, structure] = [await personId(r.person), await structureId(r.structure)];
    const [user]: { id: string }[] = await manager.query(`SELECT id FROM app_user WHERE email = $1`, [r.email]);
    await manager.query(
      `INSERT INTO referent (tenant_id, person_id, user_id, structure_id, criteria, chosen_with_person, designated_by_user_id, started_at)
       VALUES ($1, $2, $3, $4, ARRAY['person_preference','relevance'], true, $3, $5)`,
      [tenantId, person, user.id, structure, ago(r.startedDaysAgo)],
    );
  }
}
