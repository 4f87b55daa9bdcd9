import {
  INDICATOR_SECTIONS,
  SECONDARY_SUPPRESSED as S2,
  SUPPRESSED as S,
  type BarrierIndicators,
  type ContactIndicators,
  type ContinuityIndicators,
  type FlowIndicators,
  type IndicatorSection,
  type IndicatorTerritory,
  type ReferralIndicators,
} from '@passerelle/contracts';
import { Workbook } from 'exceljs';
import type { Response } from 'superagent';
import { createTestApp, type TestApp, type TestSession } from '../../test/test-app';
import { migrations } from '@passerelle/migrations';
import { insertPerson } from '../contacts/testing/reception-fixtures';
import { sectionTables, type ExportCell } from './indicator-tables';
import { REFRESH_NEED_MASKS_SQL } from './need-mask';

/**
 * The indicators against a hand-built territory (Hautes-Alpes), every figure computed by hand below.
 *
 * Structures: A "CCAS de Gap" (Gap 05061, CA Gap-Tallard-Durance 200067825), B "France Services
 * Briançon" (Briançon 05023, CC du Briançonnais 240500439), C "Association Embrun" (Embrun 05046, CC
 * Serre-Ponçon 200067742), D "Association sans commune" (no commune: "(hors EPCI)"), E the
 * coordinator's Département (Gap, no activity).
 * Sites: A1 "Accueil Gap centre" (A, Gap), A2 "Permanence Briançon (CCAS Gap)" (A, in Briançon: the
 * site's commune, not A's, places its contacts), B1 "Maison France Services Briançon" (B, Briançon).
 * Period: 2026-01-01 … 2026-03-31, i.e. [2025-12-31T23:00Z, 2026-03-31T22:00Z).
 */

type Agent = TestSession & { userId: string };
const PERIOD = 'from=2026-01-01&to=2026-03-31';
const NAMES = {
  A: 'CCAS de Gap (test indicateurs)',
  B: 'France Services Briançon (test indicateurs)',
  C: 'Association Embrun (test indicateurs)',
  D: 'Association sans commune (test indicateurs)',
};
/** Free text that must never appear in an indicator (case notes, messages, names). */
const SECRETS = ['Zorglubinsky', 'Synthese-confidentielle', 'Note-privee-confidentielle', 'Message-confidentiel', 'Commentaire-confidentiel'];
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Superagent parser keeping the raw bytes (CSV BOM, XLSX zip). */
function binary(res: Response, callback: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

/** A strict reader of the CSV the API writes: ";" separator, "…" quoting with "" inside, CRLF records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ';') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record.length === 1 && record[0] === '' ? [] : record);
      record = [];
      field = '';
      i++;
    } else if (ch === '\n' || ch === '\r') throw new Error(`bare line break at ${i}`);
    else field += ch;
  }
  if (field !== '' || record.length > 0) throw new Error('the last record has no CRLF');
  return records;
}

/** CSV blocks: [title], header, rows — separated by blank records. */
function csvBlocks(records: string[][]): { title: string; header: string[]; rows: string[][] }[] {
  const blocks: string[][][] = [[]];
  for (const r of records) {
    if (r.length === 0) blocks.push([]);
    else blocks[blocks.length - 1].push(r);
  }
  return blocks.map(([[title], header, ...rows]) => ({ title, header, rows }));
}

/** How the CSV writes a JSON cell: decimal comma, null empty. */
const csvText = (cell: ExportCell) => (cell === null ? '' : typeof cell === 'number' ? String(cell).replace('.', ',') : cell);

async function readXlsx(body: Buffer): Promise<Workbook> {
  const workbook = new Workbook();
  // exceljs types its own Buffer (an ArrayBuffer): a Node Buffer is what it reads.
  await workbook.xlsx.load(body as unknown as Parameters<Workbook['xlsx']['load']>[0]);
  return workbook;
}

/** A sheet's rows after the header, `width` cells each (empty cells as null). */
function sheetRows(workbook: Workbook, name: string, width: number): unknown[][] {
  const sheet = workbook.getWorksheet(name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  const rows: unknown[][] = [];
  sheet.eachRow((row, n) => {
    if (n > 1) rows.push(Array.from({ length: width }, (_, j) => row.getCell(j + 1).value ?? null));
  });
  return rows;
}

describe('indicators (integration)', () => {
  let t: TestApp;
  const id = { A: '', B: '', C: '', D: '', E: '', A1: '', A2: '', B1: '' };
  let adminA: Agent;
  let adminB: Agent;
  let coordinator: Agent;

  beforeAll(async () => {
    t = await createTestApp();
    const ds = t.dataSource;
    const tenant = t.tenant.id;
    id.A = (await t.createStructure({ name: NAMES.A, type: 'ccas', communeInsee: '05061' })).id;
    id.B = (await t.createStructure({ name: NAMES.B, type: 'france_services', communeInsee: '05023' })).id;
    id.C = (await t.createStructure({ name: NAMES.C, type: 'association', communeInsee: '05046' })).id;
    [{ id: id.D }] = await ds.query(`INSERT INTO structure (tenant_id, name, type) VALUES ($1, $2, 'association') RETURNING id`, [tenant, NAMES.D]);
    id.E = (await t.createStructure({ name: 'Département (test indicateurs)', type: 'departmental_social_service', communeInsee: '05061' })).id;
    const site = async (structureId: string, name: string, commune: string) =>
      ((await ds.query(`INSERT INTO site (tenant_id, structure_id, name, kind, commune_insee) VALUES ($1, $2, $3, 'fixed', $4) RETURNING id`, [tenant, structureId, name, commune])) as { id: string }[])[0].id;
    id.A1 = await site(id.A, 'Accueil Gap centre', '05061');
    id.A2 = await site(id.A, 'Permanence Briançon (CCAS Gap)', '05023');
    id.B1 = await site(id.B, 'Maison France Services Briançon', '05023');
    adminA = await t.signIn('structure_admin', id.A);
    adminB = await t.signIn('structure_admin', id.B);
    coordinator = await t.signIn('coordinator', id.E);

    const P: Record<string, string> = {};
    for (const [key, structure] of Object.entries({ P1: id.A, P2: id.A, P3: id.A, P4: id.A, P5: id.B, P6: id.B, P7: id.B, P8: id.C })) {
      P[key] = await insertPerson(ds, { tenantId: tenant, structureId: structure, usageLastName: `Zorglubinsky${key.slice(1)}`, firstNames: 'Camille' });
    }

    // Contacts: [structure, site, channel, answer, bouquets, person, Paris time].
    const contacts: [string, string | null, string, string, number[], string | null, string][] = [
      [id.A, id.A1, 'in_person', 'information', [5], 'P1', '2026-01-01T00:00:00+01:00'], // #1 first instant of the period
      [id.A, id.A1, 'in_person', 'information', [5, 14], 'P1', '2026-01-05T09:15:00+01:00'], // #2
      [id.A, id.A1, 'in_person', 'procedure_done', [4], 'P2', '2026-01-05T10:30:00+01:00'], // #3
      [id.A, id.A1, 'phone', 'appointment', [5], 'P2', '2026-01-12T09:00:00+01:00'], // #4
      [id.A, id.A1, 'in_person', 'referral_needed', [14], 'P3', '2026-02-02T14:00:00+01:00'], // #5
      [id.A, id.A1, 'in_person', 'information', [1], null, '2026-02-03T09:45:00+01:00'], // #6
      [id.A, id.A2, 'itinerant', 'information', [5], null, '2026-02-10T10:00:00+01:00'], // #7
      [id.A, id.A2, 'itinerant', 'support_started', [10], 'P4', '2026-02-10T11:00:00+01:00'], // #8
      [id.A, null, 'phone', 'information', [1], null, '2026-03-02T14:30:00+01:00'], // #9
      [id.A, id.A1, 'in_person', 'other', [8], 'P1', '2026-03-31T23:59:00+02:00'], // #10 last minute (summer time)
      [id.A, id.A1, 'in_person', 'information', [5], 'P3', '2026-03-10T09:30:00+01:00'], // #11
      [id.A, id.A1, 'phone', 'appointment', [11], 'P4', '2026-03-16T14:15:00+01:00'], // #12
      [id.A, id.A1, 'in_person', 'information', [5], 'P1', '2025-12-31T23:30:00+01:00'], // x1 before the period
      [id.A, id.A1, 'phone', 'information', [5], 'P2', '2026-04-01T00:00:00+02:00'], // x2 after the period
      [id.B, id.B1, 'in_person', 'information', [4], 'P5', '2026-01-06T09:00:00+01:00'], // #13
      [id.B, id.B1, 'in_person', 'information', [4], 'P5', '2026-01-20T09:00:00+01:00'], // #14
      [id.B, id.B1, 'email', 'procedure_done', [4, 5], 'P6', '2026-02-04T15:00:00+01:00'], // #15
      [id.B, id.B1, 'in_person', 'referral_needed', [14], 'P6', '2026-02-11T10:00:00+01:00'], // #16
      [id.B, id.B1, 'video', 'appointment', [11], null, '2026-03-04T16:00:00+01:00'], // #17
      [id.B, null, 'phone', 'information', [1], 'P7', '2026-03-05T11:00:00+01:00'], // #18
      [id.C, null, 'home_visit', 'support_started', [9], 'P8', '2026-01-15T10:00:00+01:00'], // #19
      [id.C, null, 'in_person', 'information', [1], null, '2026-03-20T09:00:00+01:00'], // #20
    ];
    for (const [structure, siteId, channel, answer, bouquets, person, at] of contacts) {
      const [{ id: contactId }] = await ds.query(
        `INSERT INTO contact (tenant_id, client_request_id, person_id, structure_id, site_id, agent_user_id, channel, occurred_at, answer, summary, private_note)
         VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6, $7, $8, 'Synthese-confidentielle', 'Note-privee-confidentielle') RETURNING id`,
        [tenant, person ? P[person] : null, structure, siteId, adminA.userId, channel, at, answer],
      );
      for (const [position, bouquet] of bouquets.entries()) {
        await ds.query(`INSERT INTO contact_need (tenant_id, contact_id, position, bouquet, detail) VALUES ($1, $2, $3, $4, 'Besoin detaille')`, [tenant, contactId, position, bouquet]);
      }
    }

    // Orientations: sent at 10:00 Paris; the later steps N days (of 24 h) after sending.
    const day = 86_400_000;
    const referral = async (r: {
      from: string;
      to: string;
      bouquet: number;
      status: string;
      sent: string;
      answered?: number;
      inCharge?: number;
      closed?: number;
      outcome?: string;
      brokenLink?: number;
      refusal?: string;
      redirectTo?: string;
      cancelled?: number;
      received?: number;
    }) => {
      const after = (days: number | undefined) => (days === undefined ? null : new Date(new Date(r.sent).getTime() + days * day));
      await ds.query(
        `INSERT INTO referral (tenant_id, client_request_id, person_id, from_structure_id, to_structure_id, bouquet, status, sent_at, received_at, answered_at,
                               refusal_reason, redirected_to_structure_id, in_charge_kind, in_charge_at, closed_at, outcome, broken_link, cancelled_at,
                               message, status_comment)
         VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 'Message-confidentiel', 'Commentaire-confidentiel')`,
        [
          tenant,
          P['P1'],
          r.from,
          r.to,
          r.bouquet,
          r.status,
          r.sent,
          after(r.received ?? r.answered),
          after(r.answered),
          r.refusal ?? null,
          r.redirectTo ?? null,
          r.inCharge === undefined ? null : 'appointment',
          after(r.inCharge),
          after(r.closed),
          r.outcome ?? null,
          r.brokenLink ?? null,
          after(r.cancelled),
        ],
      );
    };
    const { A, B, C, D } = id;
    // A → B
    await referral({ from: A, to: B, bouquet: 14, status: 'closed', sent: '2026-01-05T10:00:00+01:00', answered: 2, inCharge: 5, closed: 20, outcome: 'done' }); // r1
    await referral({ from: A, to: B, bouquet: 14, status: 'closed', sent: '2026-01-12T10:00:00+01:00', answered: 1, inCharge: 3, closed: 10, outcome: 'not_done', brokenLink: 3 }); // r2
    await referral({ from: A, to: B, bouquet: 5, status: 'refused', sent: '2026-01-19T10:00:00+01:00', answered: 4, refusal: 'no_capacity', brokenLink: 3 }); // r3
    await referral({ from: A, to: B, bouquet: 5, status: 'accepted', sent: '2026-02-02T10:00:00+01:00', answered: 3 }); // r4
    await referral({ from: A, to: B, bouquet: 5, status: 'in_charge', sent: '2026-02-09T10:00:00+01:00', answered: 1.5, inCharge: 6 }); // r5
    await referral({ from: A, to: B, bouquet: 14, status: 'sent', sent: '2026-02-16T10:00:00+01:00' }); // r6
    await referral({ from: A, to: B, bouquet: 14, status: 'cancelled', sent: '2026-02-23T10:00:00+01:00', cancelled: 1 }); // r7
    await referral({ from: A, to: B, bouquet: 14, status: 'redirected', sent: '2026-03-02T10:00:00+01:00', answered: 2, redirectTo: C }); // r8
    // A → C
    await referral({ from: A, to: C, bouquet: 10, status: 'closed', sent: '2026-01-08T10:00:00+01:00', answered: 5, closed: 15, outcome: 'abandoned', brokenLink: 6 }); // r9
    await referral({ from: A, to: C, bouquet: 10, status: 'refused', sent: '2026-02-05T10:00:00+01:00', answered: 10, refusal: 'out_of_zone', brokenLink: 5 }); // r10
    await referral({ from: A, to: C, bouquet: 14, status: 'received', sent: '2026-03-10T10:00:00+01:00', received: 1 }); // r11
    // B → A, B → C
    await referral({ from: B, to: A, bouquet: 4, status: 'closed', sent: '2026-01-14T10:00:00+01:00', answered: 1, inCharge: 2, closed: 8, outcome: 'done' }); // r12
    await referral({ from: B, to: A, bouquet: 4, status: 'refused', sent: '2026-03-03T10:00:00+01:00', answered: 2, refusal: 'not_our_service', brokenLink: 1 }); // r13
    await referral({ from: B, to: C, bouquet: 11, status: 'cancelled', sent: '2026-02-20T10:00:00+01:00', answered: 1, cancelled: 3 }); // r14, cancelled after acceptance
    // C → B, D → B
    await referral({ from: C, to: B, bouquet: 14, status: 'closed', sent: '2026-01-22T10:00:00+01:00', answered: 2, closed: 30, outcome: 'unreachable' }); // r15
    await referral({ from: D, to: B, bouquet: 5, status: 'refused', sent: '2026-02-12T10:00:00+01:00', answered: 3, refusal: 'no_capacity', brokenLink: 3 }); // r16
    await referral({ from: D, to: B, bouquet: 14, status: 'closed', sent: '2026-03-12T10:00:00+01:00', answered: 1, inCharge: 2, closed: 12, outcome: 'not_done', brokenLink: 6 }); // r17
    // Outside the period.
    await referral({ from: A, to: B, bouquet: 5, status: 'refused', sent: '2025-12-31T23:30:00+01:00', answered: 1, refusal: 'no_capacity', brokenLink: 3 }); // r18
    await referral({ from: A, to: B, bouquet: 5, status: 'sent', sent: '2026-04-01T00:00:00+02:00' }); // r19

    // Référents, as of the end of the period (2026-04-01 00:00 Paris = 2026-03-31T22:00Z).
    const referent = (person: string, structure: string, startedAt: string, endedAt: string | null) =>
      ds.query(
        `INSERT INTO referent (tenant_id, person_id, user_id, structure_id, criteria, chosen_with_person, started_at, ended_at, ended_reason)
         VALUES ($1, $2, $3, $4, ARRAY['relevance'], true, $5, $6, $7)`,
        [tenant, P[person], adminA.userId, structure, startedAt, endedAt, endedAt ? 'ended' : null],
      );
    await referent('P1', A, '2026-01-10T10:00:00+01:00', null); // active at the end
    await referent('P2', A, '2026-01-10T10:00:00+01:00', '2026-03-31T22:00:00Z'); // ended exactly at the end: still active then
    await referent('P3', A, '2026-03-31T22:00:00Z', null); // starts exactly at the end: not yet
    await referent('P4', A, '2025-06-01T10:00:00+02:00', '2026-02-01T10:00:00+01:00'); // ended during the period
    await referent('P5', B, '2025-11-01T10:00:00+01:00', null);
    await referent('P7', B, '2026-03-05T12:00:00+01:00', null);

    // The alerts journal: [structure, first seen, closed].
    const alerts: [string, string, string | null][] = [
      [A, '2025-12-01T10:00:00+01:00', null], // al1 open before the weeks and throughout
      [A, '2025-12-15T10:00:00+01:00', '2026-01-07T10:00:00+01:00'], // al2 closed in the week of 2026-01-05
      [A, '2026-01-06T09:00:00+01:00', '2026-01-20T09:00:00+01:00'], // al3
      [A, '2026-01-06T10:00:00+01:00', null], // al4
      [B, '2026-02-02T09:00:00+01:00', '2026-02-03T09:00:00+01:00'], // al5 opened and closed in one week
      [B, '2026-03-30T09:00:00+02:00', null], // al6 last week
      [C, '2026-01-04T23:30:00+01:00', null], // al7 Sunday night, Paris: week of 2025-12-29
      [A, '2025-11-01T10:00:00+01:00', '2025-12-20T10:00:00+01:00'], // al8 over before the weeks
      [A, '2026-04-06T09:00:00+02:00', null], // al9 after the weeks
    ];
    for (const [structure, firstSeen, closed] of alerts) {
      await ds.query(
        `INSERT INTO continuity_alert (tenant_id, kind, subject_id, gap_since, person_id, structure_id, first_seen_at, closed_at)
         VALUES ($1, 'request_without_referent', gen_random_uuid(), $2, $3, $4, $2, $5)`,
        [tenant, firstSeen, P['P1'], structure, closed],
      );
    }
  });
  afterAll(() => t.close());

  const get = async <T>(agent: TestSession, url: string): Promise<T> => {
    const res = await agent.get(url);
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as T;
  };
  const counts = (rows: { key: string | number; count: unknown }[]) => Object.fromEntries(rows.filter((r) => r.count !== 0).map((r) => [r.key, r.count]));

  describe('contacts', () => {
    it('a structure admin reads their own structure exactly', async () => {
      const r = await get<ContactIndicators>(adminA, `/api/indicators/contacts?${PERIOD}`);
      expect(r.suppressed).toBe(false);
      expect(r.filters).toEqual({ from: '2026-01-01', to: '2026-03-31', structureId: id.A, scope: 'structure' });
      // A's contacts #1–#12 (x1 ends 30 min before the period, x2 starts at its end). Anonymous: #6, #7, #9.
      // Answers: information #1 #2 #6 #7 #9 #11 = 6, procedure_done #3, appointment #4 #12, referral_needed #5,
      // support_started #8, other #10; answered at once = 6 + 1 + 2 = 9 of 12 = 0.75.
      expect(r).toMatchObject({ total: 12, anonymous: 3, answeredAtFirstContact: 9, answeredAtFirstContactRate: 0.75, informationOnly: 6 });
      expect(r.byAnswer.map((a) => a.count)).toEqual([6, 1, 2, 1, 1, 1]);
      expect(r.byAnswer[1]).toEqual({ key: 'procedure_done', label: 'Démarche faite / droit ouvert sur place', count: 1 });
      // in_person #1 #2 #3 #5 #6 #10 #11, phone #4 #9 #12, itinerant #7 #8.
      expect(r.byChannel.map((c) => [c.key, c.label, c.count])).toEqual([
        ['in_person', 'Accueil physique', 7],
        ['phone', 'Téléphone', 3],
        ['email', 'Courriel', 0],
        ['video', 'Visio', 0],
        ['itinerant', 'Permanence itinérante', 2],
        ['home_visit', 'Visite à domicile', 0],
        ['mail', 'Courrier', 0],
      ]);
      // Bouquet 5: #1 #2 #4 #7 #11; 14: #2 #5 (#2 counts in both); 1: #6 #9; 4: #3; 8: #10; 10: #8; 11: #12.
      expect(counts(r.byNeed)).toEqual({ 1: 2, 4: 1, 5: 5, 8: 1, 10: 1, 11: 1, 14: 2 });
      expect(r.byNeed).toHaveLength(18);
      expect(r.byNeed.find((n) => n.key === 14)?.label).toBe('Hébergement / logement');
      // A1: 9, A2: #7 #8, no site: #9.
      expect(r.bySite).toEqual([
        { key: id.A1, label: 'Accueil Gap centre', count: 9 },
        { key: id.A2, label: 'Permanence Briançon (CCAS Gap)', count: 2 },
        { key: 'none', label: '(sans lieu)', count: 1 },
      ]);
      // Paris hours: 0 h #1; 9 h #2 #4 #6 #11; 10 h #3 #7; 11 h #8; 14 h #5 #9 #12; 23 h #10.
      expect(counts(r.byHour)).toEqual({ 0: 1, 9: 4, 10: 2, 11: 1, 14: 3, 23: 1 });
      expect(r.byHour).toHaveLength(24);
      expect(r.byHour[23]).toEqual({ key: 23, label: '23 h', count: 1 });
      // Mondays: #2 #3 #4 #5 #9 #12; Tuesdays #6 #7 #8 #10 #11; 2026-01-01 (#1) is a Thursday.
      expect(counts(r.byWeekday)).toEqual({ 1: 6, 2: 5, 4: 1 });
      expect(r.byWeekday[0]).toEqual({ key: 1, label: 'Lundi', count: 6 });
    });

    it('a coordinator reads the whole département, small counts suppressed', async () => {
      const r = await get<ContactIndicators>(coordinator, `/api/indicators/contacts?${PERIOD}`);
      expect(r.suppressed).toBe(true);
      expect(r.filters).toEqual({ from: '2026-01-01', to: '2026-03-31', scope: 'territory' });
      // #1–#20: anonymous #6 #7 #9 #17 #20 = 5; information 6 + 3 (#13 #14 #18) + 1 (#20) = 10; procedure_done #3 #15,
      // appointment #4 #12 #17, referral_needed #5 #16, support_started #8 #19, other #10: answered at once 15 / 20.
      // Each breakdown has several small parts: no complementary suppression needed.
      expect(r).toMatchObject({ total: 20, anonymous: 5, answeredAtFirstContact: 15, answeredAtFirstContactRate: 0.75, informationOnly: 10 });
      expect(r.byAnswer.map((a) => a.count)).toEqual([10, S, S, S, S, S]);
      // in_person 7 + 3 (#13 #14 #16) + 1 (#20) = 11, phone 4, email 1, video 1, itinerant 2, home_visit 1.
      expect(r.byChannel.map((c) => c.count)).toEqual([11, S, S, S, S, S, 0]);
      // Bouquet 5: 5 + #15 = 6; 4: #3 #13 #14 #15; 1: #6 #9 #18 #20; 14: #2 #5 #16; 11: #12 #17; 8, 9, 10: one each.
      expect(counts(r.byNeed)).toEqual({ 1: S, 4: S, 5: 6, 8: S, 9: S, 10: S, 11: S, 14: S });
      // A1 9, B1 #13–#17 = 5, A2 2, no site #9 #18 #19 #20 = 4: visible first, hidden by name, "(sans lieu)" last.
      expect(r.bySite.map((s) => [s.label, s.count])).toEqual([
        ['Accueil Gap centre', 9],
        ['Maison France Services Briançon', 5],
        ['Permanence Briançon (CCAS Gap)', S],
        ['(sans lieu)', S],
      ]);
      // 9 h: 4 + #13 #14 + #20 = 7; the others small.
      expect(counts(r.byHour)).toEqual({ 0: S, 9: 7, 10: S, 11: S, 14: S, 15: S, 16: S, 23: S });
      // Monday 6, Tuesday 5 + #13 #14 = 7, Wednesday #15 #16 #17, Thursday #1 #18 #19, Friday #20.
      expect(counts(r.byWeekday)).toEqual({ 1: 6, 2: 7, 3: S, 4: S, 5: S });
    });

    it('a single small part beside the total hides the next smallest part ("secret")', async () => {
      // Gap: A1's contacts (#1–#6, #10–#12) and #9 (no site, A in Gap) = 10; not #7 #8 (A2 is in Briançon).
      const r = await get<ContactIndicators>(coordinator, `/api/indicators/contacts?${PERIOD}&territory=commune:05061`);
      expect(r.total).toBe(10);
      // in_person 7, phone 3 (#4 #9 #12): 7 = 10 − 3 would give the 3 back.
      expect(r.byChannel.map((c) => c.count)).toEqual([S2, S, 0, 0, 0, 0, 0]);
      // A1 9, no site 1.
      expect(r.bySite.map((s) => [s.label, s.count])).toEqual([
        ['Accueil Gap centre', S2],
        ['(sans lieu)', S],
      ]);
      // information #1 #2 #6 #9 #11 = 5; answered at once 5 + 1 + 2 = 8 of 10.
      expect(r).toMatchObject({ anonymous: S, answeredAtFirstContact: 8, answeredAtFirstContactRate: 0.8, informationOnly: 5 });
      // Monday #2 #3 #4 #5 #9 #12 = 6, Tuesday #6 #10 #11 = 3, Thursday #1: two small parts.
      expect(counts(r.byWeekday)).toEqual({ 1: 6, 2: S, 4: S });
    });

    it('filters: territory by the site’s commune, else the structure’s; bouquet; channel; site; period bounds', async () => {
      const total = async (query: string, agent: TestSession = adminA) => (await get<ContactIndicators>(agent, `/api/indicators/contacts?${query}`)).total;
      // A's own contacts in the Briançonnais: A2's #7 #8 (A itself is in Gap, so #9 is not).
      expect(await total(`${PERIOD}&structureId=${id.A}&territory=epci:240500439`)).toBe(2);
      expect(await total(`${PERIOD}&territory=epci:200067825&scope=structure`)).toBe(10);
      expect(await total(`${PERIOD}&bouquet=14`)).toBe(2); // #2 #5
      expect(await total(`${PERIOD}&channel=phone`)).toBe(3); // #4 #9 #12
      expect(await total(`${PERIOD}&siteId=${id.A2}`)).toBe(2);
      expect(await total(`from=2026-01-01&to=2026-01-01`)).toBe(1); // #1 at 00:00
      expect(await total(`from=2026-03-31&to=2026-03-31`)).toBe(1); // #10 at 23:59
      expect(await total(`from=2025-12-31&to=2025-12-31`)).toBe(1); // x1
      expect(await total(`from=2026-04-01&to=2026-04-01`)).toBe(1); // x2
      // The coordinator: B's contacts (#13–#18); the Briançonnais: #7 #8, #13–#17 (B1), #18 (no site, B in Briançon).
      expect(await total(`${PERIOD}&structureId=${id.B}`, coordinator)).toBe(6);
      expect(await total(`${PERIOD}&territory=epci:240500439`, coordinator)).toBe(8);
      expect(await total(`${PERIOD}&territory=commune:05046`, coordinator)).toBe(S); // #19 #20
      // A structure admin asking for the territory gets it suppressed.
      const territory = await get<ContactIndicators>(adminA, `/api/indicators/contacts?${PERIOD}&scope=territory`);
      expect([territory.total, territory.suppressed, territory.filters.scope, territory.filters.structureId]).toEqual([20, true, 'territory', undefined]);
      const briançonnais = await get<ContactIndicators>(adminA, `/api/indicators/contacts?${PERIOD}&territory=epci:240500439`);
      expect([briançonnais.total, briançonnais.suppressed]).toEqual([8, true]);
    });
  });

  describe('referrals', () => {
    it('a structure admin: every orientation their structure sent or received, by receiving partner', async () => {
      const r = await get<ReferralIndicators>(adminA, `/api/indicators/referrals?${PERIOD}`);
      // r1–r11 (sent by A) and r12 r13 (received by A) = 13.
      // B (r1–r8): answered r1 r2 r3 r4 r5 r8 = 6; accepted r1 r2 r4 r5 = 4 → 0.667; refused r3; delays to answer
      // 1, 1.5, 2, 2, 3, 4 → 2; to charge 3, 5, 6 → 5; closed loop (r3 + r8 + r1 r2) / (8 − r7) = 4/7 = 0.571.
      // C (r9–r11): answered r9 r10; accepted r9 → 0.5; delays 5, 10 → 7.5; closed loop (r10 + r9) / 3 = 0.667.
      // A (r12 r13): accepted r12 → 0.5; delays 1, 2 → 1.5; to charge 2; closed loop 2/2 = 1.
      // Total: answered 10, accepted 6 → 0.6; delays 1 1 1.5 2 2 2 3 4 5 10 → 2; to charge 2 3 5 6 → 4;
      // closed loop (refused 3 + redirected 1 + closed 4) / (13 − 1) = 0.667; outcomes done r1 r12, not_done r2, abandoned r9.
      const none = { done: 0, not_done: 0, unreachable: 0, abandoned: 0, other: 0 };
      expect(r).toMatchObject({
        suppressed: false,
        total: 13,
        acceptanceRate: 0.6,
        medianDaysToAnswer: 2,
        medianDaysToCharge: 4,
        closedLoopRate: 0.667,
        outcomes: { ...none, done: 2, not_done: 1, abandoned: 1 },
      });
      expect(r.byPartner).toEqual([
        {
          structure: { id: id.B, name: NAMES.B },
          sent: 8,
          accepted: 4,
          refused: 1,
          acceptanceRate: 0.667,
          medianDaysToAnswer: 2,
          medianDaysToCharge: 5,
          outcomes: { ...none, done: 1, not_done: 1 },
          closedLoopRate: 0.571,
        },
        {
          structure: { id: id.C, name: NAMES.C },
          sent: 3,
          accepted: 1,
          refused: 1,
          acceptanceRate: 0.5,
          medianDaysToAnswer: 7.5,
          medianDaysToCharge: null,
          outcomes: { ...none, abandoned: 1 },
          closedLoopRate: 0.667,
        },
        {
          structure: { id: id.A, name: NAMES.A },
          sent: 2,
          accepted: 1,
          refused: 1,
          acceptanceRate: 0.5,
          medianDaysToAnswer: 1.5,
          medianDaysToCharge: 2,
          outcomes: { ...none, done: 1 },
          closedLoopRate: 1,
        },
      ]);
    });

    it('a coordinator: the département, suppressed (rates and medians over fewer than 5 are null)', async () => {
      const r = await get<ReferralIndicators>(coordinator, `/api/indicators/referrals?${PERIOD}`);
      // r1–r17. B (r1–r8, r15, r16, r17) = 11: answered 9, accepted r1 r2 r4 r5 r15 r17 = 6 → 0.667; refused r3 r16;
      // delays 1 1 1.5 2 2 2 3 3 4 → 2; only 4 taken in charge (r1 r2 r5 r17) → null; closed loop (2 + 1 + 4) / 10 = 0.7.
      // Total: answered 14, accepted 8 → 0.571; delays (14) median 2; to charge 2 2 3 5 6 → 3; closed loop
      // (refused 4 + redirected 1 + closed 6) / (17 − r7 r14) = 11/15 = 0.733; outcomes done 2, not_done 2, unreachable 1, abandoned 1.
      expect(r).toMatchObject({
        suppressed: true,
        total: 17,
        acceptanceRate: 0.571,
        medianDaysToAnswer: 2,
        medianDaysToCharge: 3,
        closedLoopRate: 0.733,
        outcomes: { done: S, not_done: S, unreachable: S, abandoned: S, other: 0 },
      });
      expect(r.byPartner).toEqual([
        {
          structure: { id: id.B, name: NAMES.B },
          sent: 11,
          accepted: 6,
          refused: S,
          acceptanceRate: 0.667,
          medianDaysToAnswer: 2,
          medianDaysToCharge: null,
          outcomes: { done: S, not_done: S, unreachable: S, abandoned: 0, other: 0 },
          closedLoopRate: 0.7,
        },
        // C (r9 r10 r11 r14) and A (r12 r13): every figure small, listed by name.
        {
          structure: { id: id.C, name: NAMES.C },
          sent: S,
          accepted: S,
          refused: S,
          acceptanceRate: null,
          medianDaysToAnswer: null,
          medianDaysToCharge: null,
          outcomes: { done: 0, not_done: 0, unreachable: 0, abandoned: S, other: 0 },
          closedLoopRate: null,
        },
        {
          structure: { id: id.A, name: NAMES.A },
          sent: S,
          accepted: S,
          refused: S,
          acceptanceRate: null,
          medianDaysToAnswer: null,
          medianDaysToCharge: null,
          outcomes: { done: S, not_done: 0, unreachable: 0, abandoned: 0, other: 0 },
          closedLoopRate: null,
        },
      ]);
    });

    it('filters: bouquet of the orientation; territory of the sender; channel and site do not apply', async () => {
      const r = await get<ReferralIndicators>(adminA, `/api/indicators/referrals?${PERIOD}&bouquet=14`);
      // r1 r2 r6 r7 r8 (to B), r11 (to C).
      expect([r.total, r.byPartner.map((p) => [p.structure.id, p.sent])]).toEqual([
        6,
        [
          [id.B, 5],
          [id.C, 1],
        ],
      ]);
      expect((await get<ReferralIndicators>(adminA, `/api/indicators/referrals?${PERIOD}&channel=phone&siteId=${id.A1}`)).total).toBe(13);
      // Sent from the Briançonnais: B's r12 r13 r14 (B's received ones do not count).
      expect((await get<ReferralIndicators>(coordinator, `/api/indicators/referrals?${PERIOD}&territory=epci:240500439`)).total).toBe(S);
      // Sent or received by B: r1–r8, r12–r17 = 14.
      expect((await get<ReferralIndicators>(coordinator, `/api/indicators/referrals?${PERIOD}&structureId=${id.B}`)).total).toBe(14);
      expect((await get<ReferralIndicators>(adminA, `/api/indicators/referrals?from=2026-04-01&to=2026-04-01`)).total).toBe(1); // r19
    });
  });

  describe('flows', () => {
    it('a structure admin: who oriented to whom, their structure on one side', async () => {
      const r = await get<FlowIndicators>(adminA, `/api/indicators/flows?${PERIOD}`);
      expect(r.structures).toEqual([
        { id: id.C, name: NAMES.C },
        { id: id.A, name: NAMES.A },
        { id: id.B, name: NAMES.B },
      ]);
      // By sender's name, then receiver's: A → C 3, A → B 8, B → A 2.
      expect(r.flows).toEqual([
        { fromId: id.A, toId: id.C, count: 3 },
        { fromId: id.A, toId: id.B, count: 8 },
        { fromId: id.B, toId: id.A, count: 2 },
      ]);
    });

    it('a coordinator: A → B hidden too, since A sent 8 + 3 and the 3 is small ("secret")', async () => {
      const r = await get<FlowIndicators>(coordinator, `/api/indicators/flows?${PERIOD}`);
      expect(r.structures.map((s) => s.id)).toEqual([id.C, id.D, id.A, id.B]);
      // A → B 8, A → C 3, B → A 2, B → C 1, C → B 1, D → B 2.
      expect(r.flows).toEqual([
        { fromId: id.C, toId: id.B, count: S },
        { fromId: id.D, toId: id.B, count: S },
        { fromId: id.A, toId: id.C, count: S },
        { fromId: id.A, toId: id.B, count: S2 },
        { fromId: id.B, toId: id.C, count: S },
        { fromId: id.B, toId: id.A, count: S },
      ]);
    });
  });

  describe('barriers', () => {
    it('a structure admin: broken links of their orientations, by need and by territory of the sender', async () => {
      const r = await get<BarrierIndicators>(adminA, `/api/indicators/barriers?${PERIOD}`);
      // r2 (14, link 3), r3 (5, link 3), r9 (10, link 6), r10 (10, link 5) sent by A from Gap; r13 (4, link 1) sent by B.
      expect(r.total).toBe(5);
      expect(counts(r.byLink)).toEqual({ 1: 1, 3: 2, 5: 1, 6: 1 });
      expect(r.byLink[2]).toEqual({ key: 3, label: 'Délais d’attente', count: 2 });
      const nonZero = (links: Record<number, unknown>) => Object.fromEntries(Object.entries(links).filter(([, v]) => v !== 0));
      expect(r.byNeed.map((n) => [n.bouquet, n.label, nonZero(n.links), n.total])).toEqual([
        [4, 'Formalités administratives', { 1: 1 }, 1],
        [5, 'Prestations sociales', { 3: 1 }, 1],
        [10, 'Aide et accompagnement social', { 5: 1, 6: 1 }, 2],
        [14, 'Hébergement / logement', { 3: 1 }, 1],
      ]);
      expect(Object.keys(r.byNeed[0].links)).toHaveLength(11);
      expect(r.byTerritory.map((t) => [t.code, t.label, nonZero(t.links), t.total])).toEqual([
        ['epci:200067825', 'CA Gap-Tallard-Durance', { 3: 2, 5: 1, 6: 1 }, 4],
        ['epci:240500439', 'CC du Briançonnais', { 1: 1 }, 1],
      ]);
    });

    it('a coordinator: suppressed, the structure without a commune "(hors EPCI)"', async () => {
      const r = await get<BarrierIndicators>(coordinator, `/api/indicators/barriers?${PERIOD}`);
      // + r16 (D, 5, link 3) and r17 (D, 14, link 6): link 1: 1, 3: 3, 5: 1, 6: 2.
      expect(r.total).toBe(7);
      expect(counts(r.byLink)).toEqual({ 1: S, 3: S, 5: S, 6: S });
      const nonZero = (links: Record<number, unknown>) => Object.fromEntries(Object.entries(links).filter(([, v]) => v !== 0));
      expect(r.byNeed.map((n) => [n.bouquet, nonZero(n.links), n.total])).toEqual([
        [4, { 1: S }, S],
        [5, { 3: S }, S],
        [10, { 5: S, 6: S }, S],
        [14, { 3: S, 6: S }, S],
      ]);
      expect(r.byTerritory.map((t) => [t.code, t.label, nonZero(t.links), t.total])).toEqual([
        ['epci:200067825', 'CA Gap-Tallard-Durance', { 3: S, 5: S, 6: S }, S],
        ['epci:240500439', 'CC du Briançonnais', { 1: S }, S],
        ['hors-epci', '(hors EPCI)', { 3: S, 6: S }, S],
      ]);
    });
  });

  describe('continuity', () => {
    it('a structure admin: persons seen, référents at the end, days between contacts, alerts by week', async () => {
      const r = await get<ContinuityIndicators>(adminA, `/api/indicators/continuity?${PERIOD}`);
      // P1 P2 P3 P4 seen; référents active at the end: P1, P2 (ended exactly at the end); not P3 (starts then), not P4.
      // Intervals since the person's previous contact, wherever it was (x1 before the period counts), for each of A's
      // contacts of the period with a person; first contacts (#3 P2, #5 P3, #8 P4) have none:
      //   #1  P1 since x1: 2025-12-31 23:30 → 2026-01-01 00:00                          = 30 min      =  0.0208 d
      //   #2  P1 since #1: 01-01 00:00 → 01-05 09:15                                   = 4 d 9 h 15  =  4.3854 d
      //   #10 P1 since #2: 01-05 08:15Z → 03-31 21:59Z = 85 d (26 + 28 + 31) + 13 h 44   = 85.5722 d
      //   #4  P2 since #3: 01-05 10:30 → 01-12 09:00                                   = 6 d 22 h 30 =  6.9375 d
      //   #11 P3 since #5: 02-02 14:00 → 03-10 09:30 = 36 d (26 + 10) − 4 h 30          = 35.8125 d
      //   #12 P4 since #8: 02-10 11:00 → 03-16 14:15 = 34 d (18 + 16) + 3 h 15          = 34.1354 d
      // Six: 0.0208 4.3854 6.9375 | 34.1354 35.8125 85.5722 → median (6.9375 + 34.1354) / 2 = 20.536 → 20.5.
      expect(r).toMatchObject({ personsSeen: 4, personsWithReferent: 2, referentShare: 0.5, medianDaysBetweenContacts: 20.5 });
      // A's alerts: al1 (open throughout) and al2 open when the weeks begin (2025-12-29); al3, al4 opened and al2 closed
      // the week of 01-05; al3 closed the week of 01-19; al8 (before) and al9 (after) outside.
      const quiet = (week: string) => ({ week, opened: 0, closed: 0, openAtEnd: 2 });
      expect(r.alertsOverTime).toEqual([
        { week: '2025-12-29', opened: 0, closed: 0, openAtEnd: 2 },
        { week: '2026-01-05', opened: 2, closed: 1, openAtEnd: 3 },
        { week: '2026-01-12', opened: 0, closed: 0, openAtEnd: 3 },
        { week: '2026-01-19', opened: 0, closed: 1, openAtEnd: 2 },
        ...['2026-01-26', '2026-02-02', '2026-02-09', '2026-02-16', '2026-02-23', '2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30'].map(quiet),
      ]);
    });

    it('a coordinator: suppressed; the share beside a hidden count is null', async () => {
      const r = await get<ContinuityIndicators>(coordinator, `/api/indicators/continuity?${PERIOD}`);
      // P1–P8; with référent P1 P2 P5 P7 = 4. Intervals: A's six above, + #14 P5 since #13 (01-06 09:00 → 01-20 09:00) = 14 d,
      // #16 P6 since #15 (02-04 15:00 → 02-11 10:00 = 6 d 19 h) = 6.7917 d; #13 #15 #18 #19 are first contacts.
      // Eight: 0.0208 4.3854 6.7917 6.9375 | 14 34.1354 35.8125 85.5722 → median (6.9375 + 14) / 2 = 10.469 → 10.5 (8 intervals: shown).
      expect(r).toMatchObject({ personsSeen: 8, personsWithReferent: S, referentShare: null, medianDaysBetweenContacts: 10.5 });
      // + al5 (B) opened and closed the week of 02-02, al6 (B) opened the last week, al7 (C) the Sunday of the first week.
      const quiet = (week: string) => ({ week, opened: 0, closed: 0, openAtEnd: S });
      expect(r.alertsOverTime).toEqual([
        { week: '2025-12-29', opened: S, closed: 0, openAtEnd: S }, // 1, 0, 3
        { week: '2026-01-05', opened: S, closed: S, openAtEnd: S }, // 2, 1, 4
        { week: '2026-01-12', opened: 0, closed: 0, openAtEnd: S }, // 4
        { week: '2026-01-19', opened: 0, closed: S, openAtEnd: S }, // 0, 1, 3
        quiet('2026-01-26'),
        { week: '2026-02-02', opened: S, closed: S, openAtEnd: S }, // 1, 1, 3
        ...['2026-02-09', '2026-02-16', '2026-02-23', '2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23'].map(quiet),
        { week: '2026-03-30', opened: S, closed: 0, openAtEnd: S }, // 1, 0, 4
      ]);
    });

    it('filters: a structure for the alerts, a channel for the contacts', async () => {
      const b = await get<ContinuityIndicators>(coordinator, `/api/indicators/continuity?${PERIOD}&structureId=${id.B}`);
      // P5 P6 P7; intervals P5 14, P6 6.792: two, too few for a median.
      expect([b.personsSeen, b.medianDaysBetweenContacts]).toEqual([S, null]);
      expect(b.alertsOverTime.find((w) => w.week === '2026-02-02')).toEqual({ week: '2026-02-02', opened: S, closed: S, openAtEnd: 0 });
      // A’s in-person contacts of persons: #1 #2 #10 (P1), #3 (P2), #5 #11 (P3) → 3 persons, P1 and P2 with a référent.
      const inPerson = await get<ContinuityIndicators>(adminA, `/api/indicators/continuity?${PERIOD}&channel=in_person`);
      expect([inPerson.personsSeen, inPerson.personsWithReferent]).toEqual([3, 2]);
      // A's phone contacts of persons: #4 (P2) and #12 (P4), each the person's second contact, the first one by another
      // channel (#3 in person, #8 itinerant): the interval is since the previous contact by any channel,
      // 6.9375 d and 34.1354 d → median (6.9375 + 34.1354) / 2 = 20.536 → 20.5.
      const phone = await get<ContinuityIndicators>(adminA, `/api/indicators/continuity?${PERIOD}&channel=phone`);
      expect([phone.personsSeen, phone.medianDaysBetweenContacts]).toEqual([2, 20.5]);
    });
  });

  it('a coordinator’s indicators hold no case notes, messages or names', async () => {
    const bodies = await Promise.all([
      ...INDICATOR_SECTIONS.map((s) => get<object>(coordinator, `/api/indicators/${s}?${PERIOD}`)),
      get<object>(coordinator, `/api/indicators/contacts?${PERIOD}&structureId=${id.A}`),
      get<object>(coordinator, '/api/indicators/territories'),
    ]);
    const json = JSON.stringify(bodies);
    for (const secret of SECRETS) expect(json).not.toContain(secret);
    expect(json).not.toMatch(/summary|privateNote|private_note|statusComment|message|personId|firstNames/);
  });

  it('territories: the EPCIs of the département, then the communes with structures or sites', async () => {
    const r = await get<IndicatorTerritory[]>(coordinator, '/api/indicators/territories');
    const epcis = r.filter((x) => x.kind === 'epci');
    expect(epcis).toHaveLength(9); // the 9 EPCIs with communes in Hautes-Alpes (CC du Sisteronais-Buëch spans two départements)
    expect(epcis).toEqual(
      expect.arrayContaining([
        { code: 'epci:200067825', label: 'CA Gap-Tallard-Durance', kind: 'epci' },
        { code: 'epci:240500439', label: 'CC du Briançonnais', kind: 'epci' },
      ]),
    );
    expect(epcis.map((e) => e.label)).toEqual([...epcis.map((e) => e.label)].sort((a, b) => a.localeCompare(b, 'fr')));
    expect(r.filter((x) => x.kind === 'commune')).toEqual([
      { code: 'commune:05023', label: 'Briançon', kind: 'commune' },
      { code: 'commune:05046', label: 'Embrun', kind: 'commune' },
      { code: 'commune:05061', label: 'Gap', kind: 'commune' },
    ]);
    expect(r.findIndex((x) => x.kind === 'commune')).toBe(9);
    expect((await adminA.get('/api/indicators/territories')).status).toBe(200);
  });

  describe('exports', () => {
    const download = (agent: TestSession, url: string) => agent.get(url).buffer(true).parse(binary);

    it('CSV of a section: UTF-8 BOM, ";", the filters then one titled block per table, the JSON’s values', async () => {
      const json = await get<ContactIndicators>(adminA, `/api/indicators/contacts?${PERIOD}`);
      const res = await download(adminA, `/api/indicators/contacts/export?${PERIOD}&format=csv`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="indicateurs-contacts_2026-01-01_2026-03-31.csv"');
      const body = res.body as Buffer;
      expect(Number(res.headers['content-length'])).toBe(body.length);
      expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const blocks = csvBlocks(parseCsv(body.subarray(3).toString('utf8')));
      expect(blocks.map((b) => b.title)).toEqual([
        'Filtres',
        'Contacts : synthèse',
        'Contacts : par canal',
        'Contacts : par réponse apportée',
        'Contacts : par besoin (un contact compte dans chacun de ses besoins)',
        'Contacts : par lieu d’accueil',
        'Contacts : par heure (heure de Paris)',
        'Contacts : par jour de la semaine',
      ]);
      expect(blocks[0].rows).toEqual(expect.arrayContaining([['Du', '2026-01-01'], ['Au (inclus)', '2026-03-31'], ['Structure', NAMES.A], ['Niveau', 'Structure (chiffres exacts)']]));
      expect(blocks[1].header).toEqual(['Contacts', 'Contacts anonymes', 'Répondus au premier contact', 'Part répondue au premier contact', 'Information seule']);
      expect(blocks[1].rows).toEqual([['12', '3', '9', '0,75', '6']]);
      expect(blocks[2].rows).toEqual(json.byChannel.map((c) => [c.label, String(c.count)]));
      expect(blocks[5].rows).toEqual([
        ['Accueil Gap centre', '9'],
        ['Permanence Briançon (CCAS Gap)', '2'],
        ['(sans lieu)', '1'],
      ]);
      // Every block is the JSON's table.
      sectionTables('contacts', json).forEach((table, i) => {
        expect(blocks[i + 1].header).toEqual(table.columns.map((c) => c.header));
        expect(blocks[i + 1].rows).toEqual(table.rows.map((row) => row.map(csvText)));
      });
    });

    it('CSV of a suppressed section keeps "< 5" and "secret" cells', async () => {
      const res = await download(coordinator, `/api/indicators/flows/export?${PERIOD}&format=csv`);
      const blocks = csvBlocks(parseCsv((res.body as Buffer).subarray(3).toString('utf8')));
      expect(blocks[1].rows).toEqual([
        [NAMES.C, NAMES.B, S],
        [NAMES.D, NAMES.B, S],
        [NAMES.A, NAMES.C, S],
        [NAMES.A, NAMES.B, S2],
        [NAMES.B, NAMES.C, S],
        [NAMES.B, NAMES.A, S],
      ]);
    });

    it('XLSX of a section: a "Filtres" sheet, then one sheet per table with its header, the JSON’s values', async () => {
      const json = await get<ReferralIndicators>(coordinator, `/api/indicators/referrals?${PERIOD}`);
      const res = await download(coordinator, `/api/indicators/referrals/export?${PERIOD}&format=xlsx`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(XLSX_TYPE);
      expect(res.headers['content-disposition']).toBe('attachment; filename="indicateurs-referrals_2026-01-01_2026-03-31.xlsx"');
      expect(Number(res.headers['content-length'])).toBe((res.body as Buffer).length);
      const workbook = await readXlsx(res.body as Buffer);
      expect(workbook.worksheets.map((w) => w.name)).toEqual(['Filtres', 'Orientations - synthèse', 'Orientations - par partenaire']);
      expect(sheetRows(workbook, 'Filtres', 2)).toEqual(
        expect.arrayContaining([
          ['Niveau', 'Territoire (petits effectifs masqués)'],
          ['Territoire', 'Tout le département (Hautes-Alpes)'],
          ['Structure', 'Toutes'],
        ]),
      );
      expect((workbook.getWorksheet('Orientations - synthèse')?.getRow(1).values as unknown[]).slice(1, 3)).toEqual(['Orientations envoyées', 'Taux d’acceptation']);
      expect(sheetRows(workbook, 'Orientations - synthèse', 10)).toEqual([[17, 0.571, 2, 3, 0.733, S, S, S, S, 0]]);
      const partners = sheetRows(workbook, 'Orientations - par partenaire', 13);
      expect(partners).toEqual(
        json.byPartner.map((p) => [
          p.structure.name,
          p.sent,
          p.accepted,
          p.refused,
          p.acceptanceRate,
          p.medianDaysToAnswer,
          p.medianDaysToCharge,
          p.outcomes.done,
          p.outcomes.not_done,
          p.outcomes.unreachable,
          p.outcomes.abandoned,
          p.outcomes.other,
          p.closedLoopRate,
        ]),
      );
      expect(partners[0]).toEqual([NAMES.B, 11, 6, S, 0.667, 2, null, S, S, S, 0, 0, 0.7]);
    });

    it('XLSX of every section: one workbook, the same figures as each section’s JSON', async () => {
      const res = await download(coordinator, `/api/indicators/export?${PERIOD}&format=xlsx&bouquet=14`);
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toBe('attachment; filename="indicateurs_2026-01-01_2026-03-31.xlsx"');
      expect(Number(res.headers['content-length'])).toBe((res.body as Buffer).length);
      const workbook = await readXlsx(res.body as Buffer);
      expect(workbook.worksheets).toHaveLength(17);
      expect(sheetRows(workbook, 'Filtres', 2)).toEqual(expect.arrayContaining([['Bouquet de services', '14. Hébergement / logement']]));
      for (const section of INDICATOR_SECTIONS as readonly IndicatorSection[]) {
        const json = await get<never>(coordinator, `/api/indicators/${section}?${PERIOD}&bouquet=14`);
        for (const table of sectionTables(section, json)) {
          expect([table.sheet, sheetRows(workbook, table.sheet, table.columns.length)]).toEqual([table.sheet, table.rows]);
        }
      }
    });

    it('every export is audited, without personal data', async () => {
      await download(adminB, `/api/indicators/barriers/export?${PERIOD}&format=csv&scope=territory`);
      const rows: { user_id: string; entity_type: string; entity_id: string; reason: string }[] = await t.dataSource.query(
        `SELECT user_id, entity_type, entity_id, reason FROM audit_event WHERE action = 'indicators.export' ORDER BY id`,
      );
      expect(rows.map((r) => [r.entity_id, r.reason])).toEqual([
        ['contacts', 'csv:structure'],
        ['flows', 'csv:territory'],
        ['referrals', 'xlsx:territory'],
        ['all', 'xlsx:territory'],
        ['barriers', 'csv:territory'],
      ]);
      expect(rows[4]).toMatchObject({ user_id: adminB.userId, entity_type: 'indicators' });
    });
  });

  describe('who may read, and bad requests', () => {
    it('403: other roles, another structure’s id or site for a structure admin', async () => {
      for (const role of ['reception_agent', 'social_worker', 'platform_admin'] as const) {
        const agent = await t.signIn(role, role === 'platform_admin' ? null : id.A);
        expect((await agent.get(`/api/indicators/contacts?${PERIOD}`)).status).toBe(403);
        expect((await agent.get(`/api/indicators/contacts/export?${PERIOD}&format=csv`)).status).toBe(403);
        expect((await agent.get(`/api/indicators/export?${PERIOD}&format=xlsx`)).status).toBe(403);
        expect((await agent.get('/api/indicators/territories')).status).toBe(403);
      }
      const other = await adminA.get(`/api/indicators/referrals?${PERIOD}&structureId=${id.B}`);
      expect(other.status).toBe(403);
      expect(other.body.code).toBe('FORBIDDEN');
      expect((await adminA.get(`/api/indicators/contacts/export?${PERIOD}&format=xlsx&structureId=${id.B}`)).status).toBe(403);
      expect((await adminA.get(`/api/indicators/contacts?${PERIOD}&siteId=${id.B1}`)).status).toBe(403);
      expect((await adminA.get(`/api/indicators/contacts?${PERIOD}&scope=territory&siteId=${id.B1}`)).status).toBe(403);
      // The coordinator may filter on any structure.
      expect((await coordinator.get(`/api/indicators/contacts?${PERIOD}&structureId=${id.A}&siteId=${id.A1}`)).status).toBe(200);
    });

    it('400, never a 500: bad days, from after to, more than 5 years, unknown territory, structure or site, bad values', async () => {
      const bad = [
        'from=2026-02-30&to=2026-03-31',
        'from=2026-01-01&to=2026-13-01',
        'from=01/01/2026&to=2026-03-31',
        'to=2026-03-31',
        'from=2026-01-01',
        'from=2026-04-01&to=2026-03-31',
        'from=2021-01-01&to=2026-01-01',
        'from=2026-01-01&from=2026-01-02&to=2026-03-31',
        `${PERIOD}&territory=epci:123456789`,
        `${PERIOD}&territory=commune:75056`,
        `${PERIOD}&territory=gap`,
        `${PERIOD}&territory=epci:200067825&territory=commune:05061`,
        `${PERIOD}&bouquet=19`,
        `${PERIOD}&bouquet=abc`,
        `${PERIOD}&channel=fax`,
        `${PERIOD}&structureId=not-a-uuid`,
        `${PERIOD}&siteId=00000000-0000-4000-8000-000000000000`,
        `${PERIOD}&scope=everything`,
        `${PERIOD}&unknown=1`,
      ];
      for (const query of bad) {
        const res = await coordinator.get(`/api/indicators/contacts?${query}`);
        expect([query, res.status, res.body.code]).toEqual([query, 400, 'VALIDATION_FAILED']);
      }
      const unknownStructure = await coordinator.get(`/api/indicators/flows?${PERIOD}&structureId=00000000-0000-4000-8000-000000000000`);
      expect([unknownStructure.status, unknownStructure.body.details]).toEqual([400, [{ field: 'structureId', messages: ['Structure inconnue dans ce département.'] }]]);
      expect((await coordinator.get(`/api/indicators/contacts?from=2026-04-01&to=2026-03-31`)).body.details).toEqual([
        { field: 'to', messages: ['La date de fin précède la date de début.'] },
      ]);
      expect((await coordinator.get(`/api/indicators/contacts?from=2021-01-01&to=2025-12-31`)).status).toBe(200);
      expect((await adminA.get(`/api/indicators/contacts?${PERIOD}&structureId=${id.A}&scope=territory`)).status).toBe(400);
      expect((await coordinator.get(`/api/indicators/contacts/export?${PERIOD}&format=pdf`)).status).toBe(400);
      expect((await coordinator.get(`/api/indicators/contacts/export?${PERIOD}`)).status).toBe(400);
      expect((await coordinator.get(`/api/indicators/export?format=xlsx&from=2026-02-30&to=2026-03-31`)).status).toBe(400);
      expect((await coordinator.get(`/api/indicators/nothing?${PERIOD}`)).status).toBe(404);
      expect((await coordinator.get(`/api/indicators/nothing/export?${PERIOD}&format=csv`)).status).toBe(404);
    });
  });
  describe('contact.need_mask (migration IndicatorIndexes)', () => {
    const maskOf = async (contactId: string) => ((await t.dataSource.query(`SELECT need_mask FROM contact WHERE id = $1`, [contactId])) as { need_mask: number }[])[0]?.need_mask;

    it('follows the needs: added with the contact, removed, changed; blanking details changes nothing', async () => {
      const ds = t.dataSource;
      const [{ id: contactId }] = await ds.query(
        `INSERT INTO contact (tenant_id, client_request_id, structure_id, agent_user_id, channel, occurred_at, answer)
         VALUES ($1, gen_random_uuid(), $2, $3, 'phone', '2020-01-01T10:00:00+01:00', 'information') RETURNING id`,
        [t.tenant.id, id.A, adminA.userId],
      );
      expect(await maskOf(contactId)).toBe(0);
      await ds.query(
        `INSERT INTO contact_need (tenant_id, contact_id, position, bouquet, sub_need)
         VALUES ($1, $2, 0, 5, 'a'), ($1, $2, 1, 14, NULL), ($1, $2, 2, 5, 'b')`,
        [t.tenant.id, contactId],
      );
      expect(await maskOf(contactId)).toBe((1 << 5) | (1 << 14));
      await ds.query(`DELETE FROM contact_need WHERE contact_id = $1 AND position = 0`, [contactId]);
      expect(await maskOf(contactId)).toBe((1 << 5) | (1 << 14)); // the other need of bouquet 5 remains
      await ds.query(`UPDATE contact_need SET bouquet = 1 WHERE contact_id = $1 AND position = 1`, [contactId]);
      expect(await maskOf(contactId)).toBe((1 << 5) | (1 << 1));
      await ds.query(`UPDATE contact_need SET detail = NULL WHERE contact_id = $1`, [contactId]);
      expect(await maskOf(contactId)).toBe((1 << 5) | (1 << 1));
      await ds.query(`DELETE FROM contact_need WHERE contact_id = $1`, [contactId]);
      expect(await maskOf(contactId)).toBe(0);
      await ds.query(`INSERT INTO contact_need (tenant_id, contact_id, position, bouquet) VALUES ($1, $2, 0, 18)`, [t.tenant.id, contactId]);
      await ds.query(`DELETE FROM contact WHERE id = $1`, [contactId]); // the needs go with it
      expect(await maskOf(contactId)).toBeUndefined();
    });

    it('a bulk load without triggers refreshes the masks in one statement', async () => {
      const runner = t.dataSource.createQueryRunner();
      await runner.startTransaction();
      try {
        await runner.query(`ALTER TABLE contact_need DISABLE TRIGGER USER`);
        await runner.query(`UPDATE contact_need SET bouquet = 18 WHERE bouquet = 14`);
        await runner.query(`ALTER TABLE contact_need ENABLE TRIGGER USER`);
        const masks = () => runner.query(`SELECT count(*)::int AS n FROM contact WHERE need_mask & ${1 << 18} <> 0`);
        expect(await masks()).toEqual([{ n: 0 }]);
        await runner.query(REFRESH_NEED_MASKS_SQL);
        expect(await masks()).toEqual([{ n: 3 }]); // #2, #5, #16
        const [, updated] = (await runner.query(REFRESH_NEED_MASKS_SQL)) as [unknown, number];
        expect(updated).toBe(0);
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    });

    it('the migration goes down and up again, recomputing the masks', async () => {
      const runner = t.dataSource.createQueryRunner();
      await runner.startTransaction();
      try {
        const Migration = migrations.find((m) => m.name === 'IndicatorIndexes1764900000001');
        if (!Migration) throw new Error('migration IndicatorIndexes1764900000001 not listed');
        const migration = new Migration();
        await migration.down(runner);
        const [{ n }] = await runner.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'contact' AND column_name = 'need_mask'`);
        expect(n).toBe(0);
        await migration.up(runner);
        // #2 (bouquets 5 and 14) recomputed from its needs.
        const [row] = await runner.query(`SELECT need_mask FROM contact WHERE occurred_at = '2026-01-05T09:15:00+01:00'`);
        expect(row.need_mask).toBe((1 << 5) | (1 << 14));
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    });
  });
});
