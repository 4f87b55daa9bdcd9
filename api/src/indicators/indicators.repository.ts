import { REFERRAL_OUTCOMES, type ContactAnswer, type ContactChannel, type ReferralOutcome } from '@passerelle/contracts';
import type { EntityManager } from 'typeorm';
import { compareNames, type BarrierAggregate, type ContactAggregate, type ContinuityAggregate, type FlowAggregate, type ReferralAggregate, type ReferralStats } from './indicator-reports';
import { needBit } from './need-mask';
import { SqlParams } from '../database/sql-params';

/**
 * The indicators' SQL: one scan of the period per aggregate (GROUPING SETS, FILTER clauses), medians
 * by percentile_cont, on the covering indexes of migration IndicatorIndexes1764900000001. Exact counts
 * only: suppression is applied afterwards, on these aggregates (indicator-reports.ts).
 */

/** What a section reads: the tenant, the period [start, end), and the filters as resolved by the service. */
export interface IndicatorQuery {
  tenantId: string;
  start: Date;
  end: Date;
  /** The INSEE codes of the territory filter (an EPCI's communes, or one commune); absent: the whole tenant. */
  communes?: string[];
  structureId?: string;
  bouquet?: number;
  channel?: ContactChannel;
  siteId?: string;
}

/** The Paris wall clock of an instant (hours and weekdays of the desks). */
const PARIS = `'Europe/Paris'`;

/**
 * Conditions on contacts `c`: in the period; territory by the site's commune, else the structure's;
 * structure, site, channel; bouquet = the contact has a need of that bouquet.
 */
function contactConditions(q: IndicatorQuery, p: SqlParams): string {
  const where = [`c.tenant_id = ${p.add(q.tenantId)}`, `c.occurred_at >= ${p.add(q.start)}`, `c.occurred_at < ${p.add(q.end)}`];
  if (q.communes) {
    // Uncorrelated sub-selects (the tenant as a parameter, not c.tenant_id): each is run once and hashed.
    const tenant = p.add(q.tenantId);
    const communes = p.add(q.communes);
    where.push(`CASE WHEN c.site_id IS NOT NULL
                  THEN c.site_id IN (SELECT si.id FROM site si WHERE si.tenant_id = ${tenant} AND si.commune_insee = ANY (${communes}::text[]))
                  ELSE c.structure_id IN (SELECT s.id FROM structure s WHERE s.tenant_id = ${tenant} AND s.commune_insee = ANY (${communes}::text[]))
                END`);
  }
  if (q.structureId) where.push(`c.structure_id = ${p.add(q.structureId)}`);
  if (q.siteId) where.push(`c.site_id = ${p.add(q.siteId)}`);
  if (q.channel) where.push(`c.channel = ${p.add(q.channel)}`);
  // need_mask: bit b set when the contact has a need of bouquet b (migration IndicatorIndexes).
  if (q.bouquet) where.push(`(c.need_mask & ${p.add(needBit(q.bouquet))}::int) <> 0`);
  return where.join('\n     AND ');
}

/** Whether contactConditions keeps only some of the tenant's contacts of the period (any filter beyond the period). */
function contactFiltered(q: IndicatorQuery): boolean {
  return Boolean(q.communes || q.structureId || q.siteId || q.channel || q.bouquet);
}

/**
 * Conditions on referrals `r` sent in the period: territory by the sending structure's commune;
 * structure = sender or receiver; bouquet of the referral. Channel and site do not apply.
 */
function referralConditions(q: IndicatorQuery, p: SqlParams): string {
  const where = [`r.tenant_id = ${p.add(q.tenantId)}`, `r.sent_at >= ${p.add(q.start)}`, `r.sent_at < ${p.add(q.end)}`];
  if (q.communes) {
    where.push(`r.from_structure_id IN (SELECT s.id FROM structure s WHERE s.tenant_id = ${p.add(q.tenantId)} AND s.commune_insee = ANY (${p.add(q.communes)}::text[]))`);
  }
  if (q.structureId) {
    const structure = p.add(q.structureId);
    where.push(`(r.from_structure_id = ${structure} OR r.to_structure_id = ${structure})`);
  }
  if (q.bouquet) where.push(`r.bouquet = ${p.add(q.bouquet)}`);
  return where.join('\n     AND ');
}

const count = (v: unknown) => Number(v ?? 0);
const decimal = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export async function contactAggregate(m: EntityManager, q: IndicatorQuery): Promise<ContactAggregate> {
  const p = new SqlParams();
  // One scan, four small hash tables: (channel, answer, anonymous) — ≤ 84 cells, rolled up below into
  // the total and the channel and answer rows —, the site, the hour (UTC hours: Paris is a whole
  // number of hours from UTC, so each maps to one Paris hour and weekday, converted on the ≤ 2,200
  // buckets rather than on every contact), and the set of bouquets of the contact's needs.
  const rows: {
    dim: 'kind' | 'site' | 'hour' | 'needs';
    channel: ContactChannel | null;
    answer: ContactAnswer | null;
    anonymous: boolean | null;
    site_id: string | null;
    hour: number | null;
    weekday: number | null;
    need_mask: number | null;
    n: number;
  }[] = await m.query(
    `WITH cells AS (
       SELECT CASE WHEN GROUPING(channel, answer, anonymous) = 0 THEN 'kind' WHEN GROUPING(site_id) = 0 THEN 'site'
                   WHEN GROUPING(hour_start) = 0 THEN 'hour' ELSE 'needs' END AS dim,
              channel, answer, anonymous, site_id, hour_start, need_mask, count(*)::int AS n
         FROM (SELECT c.channel, c.answer, c.person_id IS NULL AS anonymous, c.site_id, c.need_mask,
                      date_bin('1 hour', c.occurred_at, timestamptz '2000-01-01 00:00:00+00') AS hour_start
                 FROM contact c
                WHERE ${contactConditions(q, p)}) s
        GROUP BY GROUPING SETS ((channel, answer, anonymous), (site_id), (hour_start), (need_mask))
     )
     SELECT dim, channel, answer, anonymous, site_id, need_mask, n,
            extract(hour FROM hour_start AT TIME ZONE ${PARIS})::int AS hour,
            extract(isodow FROM hour_start AT TIME ZONE ${PARIS})::int AS weekday
       FROM cells`,
    p.values,
  );
  const add = <K>(map: Map<K, number>, key: K, n: number) => map.set(key, (map.get(key) ?? 0) + n);
  const agg: ContactAggregate = {
    total: 0,
    anonymous: 0,
    byChannel: new Map(),
    byAnswer: new Map(),
    byNeed: new Map(),
    bySite: [],
    byHour: new Map(),
    byWeekday: new Map(),
  };
  const sites: { siteId: string | null; count: number }[] = [];
  for (const r of rows) {
    if (r.dim === 'kind') {
      agg.total += r.n;
      if (r.anonymous) agg.anonymous += r.n;
      add(agg.byChannel, r.channel as ContactChannel, r.n);
      add(agg.byAnswer, r.answer as ContactAnswer, r.n);
    } else if (r.dim === 'site') {
      sites.push({ siteId: r.site_id, count: r.n });
    } else if (r.dim === 'hour') {
      add(agg.byHour, Number(r.hour), r.n);
      add(agg.byWeekday, Number(r.weekday), r.n);
    } else {
      // A contact counts once in each bouquet of its needs.
      for (let bouquet = 1; bouquet <= 18; bouquet++) if ((Number(r.need_mask) & needBit(bouquet)) !== 0) add(agg.byNeed, bouquet, r.n);
    }
  }
  const siteIds = sites.map((s) => s.siteId).filter((k): k is string => k !== null);
  const siteNames = new Map(
    siteIds.length === 0
      ? []
      : ((await m.query(`SELECT id, name FROM site WHERE id = ANY ($1::uuid[])`, [siteIds])) as { id: string; name: string }[]).map((s) => [s.id, s.name]),
  );
  // In a stable order (the complementary suppression breaks ties by position): by name, no site last.
  agg.bySite = sites
    .map((s) => ({ ...s, name: s.siteId ? (siteNames.get(s.siteId) ?? '') : '' }))
    .sort((a, b) => Number(a.siteId === null) - Number(b.siteId === null) || compareNames(a.name, b.name) || (String(a.siteId) < String(b.siteId) ? -1 : 1));
  return agg;
}

const outcomeColumn = (o: ReferralOutcome) => `outcome_${o}`;

export async function referralAggregate(m: EntityManager, q: IndicatorQuery): Promise<ReferralAggregate> {
  const p = new SqlParams();
  const days = (column: string) =>
    `round((percentile_cont(0.5) WITHIN GROUP (ORDER BY date_part('epoch', r.${column} - r.sent_at)) / 86400)::numeric, 1)`;
  const rows: Record<string, unknown>[] = await m.query(
    `SELECT GROUPING(r.to_structure_id) = 1 AS is_total, r.to_structure_id, s.name AS to_structure_name,
            count(*)::int AS sent,
            count(r.answered_at)::int AS answered,
            count(*) FILTER (WHERE r.answered_at IS NOT NULL AND r.status NOT IN ('refused','redirected','cancelled'))::int AS accepted,
            count(*) FILTER (WHERE r.status = 'refused')::int AS refused,
            count(*) FILTER (WHERE r.status = 'redirected')::int AS redirected,
            count(*) FILTER (WHERE r.status = 'closed')::int AS closed,
            count(*) FILTER (WHERE r.status = 'cancelled')::int AS cancelled,
            ${REFERRAL_OUTCOMES.map((o) => `count(*) FILTER (WHERE r.outcome = '${o}')::int AS ${outcomeColumn(o)}`).join(',\n            ')},
            count(r.in_charge_at)::int AS charged,
            ${days('answered_at')} AS median_days_to_answer,
            ${days('in_charge_at')} AS median_days_to_charge
       FROM referral r JOIN structure s ON s.id = r.to_structure_id
      WHERE ${referralConditions(q, p)}
      GROUP BY GROUPING SETS ((r.to_structure_id, s.name), ())`,
    p.values,
  );
  const stats = (r: Record<string, unknown> | undefined): ReferralStats => ({
    sent: count(r?.['sent']),
    answered: count(r?.['answered']),
    accepted: count(r?.['accepted']),
    refused: count(r?.['refused']),
    redirected: count(r?.['redirected']),
    closed: count(r?.['closed']),
    cancelled: count(r?.['cancelled']),
    outcomes: Object.fromEntries(REFERRAL_OUTCOMES.map((o) => [o, count(r?.[outcomeColumn(o)])])) as Record<ReferralOutcome, number>,
    answerDelays: count(r?.['answered']),
    medianDaysToAnswer: decimal(r?.['median_days_to_answer']),
    chargeDelays: count(r?.['charged']),
    medianDaysToCharge: decimal(r?.['median_days_to_charge']),
  });
  return {
    total: stats(rows.find((r) => r['is_total'] === true)),
    byPartner: rows
      .filter((r) => r['is_total'] !== true)
      .map((r) => ({ ...stats(r), structure: { id: String(r['to_structure_id']), name: String(r['to_structure_name']) } }))
      .sort((a, b) => compareNames(a.structure.name, b.structure.name) || (a.structure.id < b.structure.id ? -1 : 1)),
  };
}

export async function flowAggregate(m: EntityManager, q: IndicatorQuery): Promise<FlowAggregate> {
  const p = new SqlParams();
  const flows: { from_id: string; to_id: string; n: number }[] = await m.query(
    `SELECT r.from_structure_id AS from_id, r.to_structure_id AS to_id, count(*)::int AS n
       FROM referral r
      WHERE ${referralConditions(q, p)}
      GROUP BY r.from_structure_id, r.to_structure_id`,
    p.values,
  );
  const ids = [...new Set(flows.flatMap((f) => [f.from_id, f.to_id]))];
  const structures: { id: string; name: string }[] = ids.length === 0 ? [] : await m.query(`SELECT id, name FROM structure WHERE id = ANY ($1::uuid[])`, [ids]);
  return { structures, flows: flows.map((f) => ({ fromId: f.from_id, toId: f.to_id, count: f.n })) };
}

export async function barrierAggregate(m: EntityManager, q: IndicatorQuery, epciName: (code: string) => string): Promise<BarrierAggregate> {
  const p = new SqlParams();
  const rows: { by_need: boolean; by_territory: boolean; broken_link: number; bouquet: number | null; epci: string | null; n: number }[] = await m.query(
    `SELECT GROUPING(r.bouquet) = 0 AS by_need, GROUPING(cm.epci_code) = 0 AS by_territory,
            r.broken_link, r.bouquet, cm.epci_code AS epci, count(*)::int AS n
       FROM referral r
       JOIN structure fs ON fs.id = r.from_structure_id
       LEFT JOIN commune cm ON cm.tenant_id = fs.tenant_id AND cm.insee_code = fs.commune_insee
      WHERE ${referralConditions(q, p)}
        AND r.broken_link IS NOT NULL
      GROUP BY GROUPING SETS ((r.broken_link), (r.bouquet, r.broken_link), (cm.epci_code, r.broken_link))`,
    p.values,
  );
  const byNeed = new Map<number, Map<number, number>>();
  const byTerritory = new Map<string, Map<number, number>>();
  const byLink = new Map<number, number>();
  for (const r of rows) {
    const link = Number(r.broken_link);
    if (r.by_need) {
      const bouquet = Number(r.bouquet);
      byNeed.set(bouquet, (byNeed.get(bouquet) ?? new Map<number, number>()).set(link, r.n));
    } else if (r.by_territory) {
      const code = r.epci ?? '';
      byTerritory.set(code, (byTerritory.get(code) ?? new Map<number, number>()).set(link, r.n));
    } else {
      byLink.set(link, r.n);
    }
  }
  return {
    byLink,
    byNeed,
    byTerritory: [...byTerritory].map(([code, links]) => ({ code, label: code ? epciName(code) : '', links })),
  };
}

/**
 * Continuity of parcours (docs/indicators.md), from the period's contacts of persons (person_id not
 * null) matching the contacts' filters: the persons seen; those with a référent active at the end of
 * the period; the median, over those contacts, of the interval since the same person's previous
 * contact anywhere — any structure, any channel, before or in the period — (a person's first contact
 * has none). Then the alerts journal by week.
 *
 * Each contact carries the time of its person's previous contact (contact.previous_contact_at,
 * migration ContactInterval1765000000001), so the persons, the référents and the intervals
 * (occurred_at − previous_contact_at) are one index-only range scan of the period on
 * contact_indicators_idx, with no sort by person. With a filter, a person's contacts are only partly
 * kept: the persons are the distinct ones among those kept. Without one, a person's first contact of
 * the period is exactly the one whose previous contact is none or before the start: the persons are
 * counted without grouping them (half the time of a count(DISTINCT) at département scale).
 */
export async function continuityAggregate(m: EntityManager, q: IndicatorQuery, weeks: { mondays: string[]; start: Date; end: Date }): Promise<ContinuityAggregate> {
  const p = new SqlParams();
  const where = contactConditions(q, p);
  const end = p.add(q.end);
  const tenant = p.add(q.tenantId);
  // A référent active at the end of the period: started before it, not ended before it. Uncorrelated: hashed once.
  const withReferent = (person: string) =>
    `${person} IN (SELECT rf.person_id FROM referent rf
                    WHERE rf.tenant_id = ${tenant} AND rf.started_at < ${end} AND (rf.ended_at IS NULL OR rf.ended_at >= ${end}))`;
  let seen: string;
  let seenWithReferent: string;
  if (contactFiltered(q)) {
    seen = `count(DISTINCT c.person_id)`;
    seenWithReferent = `count(DISTINCT c.person_id) FILTER (WHERE ${withReferent('c.person_id')})`;
  } else {
    const first = `(c.previous_contact_at IS NULL OR c.previous_contact_at < ${p.add(q.start)})`;
    seen = `count(*) FILTER (WHERE ${first})`;
    // CASE: the référent's probe only for the persons' first contacts, not for every contact.
    seenWithReferent = `count(*) FILTER (WHERE CASE WHEN ${first} THEN ${withReferent('c.person_id')} END)`;
  }
  const [persons]: { persons_seen: number; with_referent: number; gaps: number; median_gap: string | null }[] = await m.query(
    `SELECT ${seen}::int AS persons_seen,
            ${seenWithReferent}::int AS with_referent,
            count(c.previous_contact_at)::int AS gaps,
            round((percentile_cont(0.5) WITHIN GROUP (ORDER BY date_part('epoch', c.occurred_at - c.previous_contact_at) / 86400))::numeric, 1) AS median_gap
       FROM contact c
      WHERE ${where}
        AND c.person_id IS NOT NULL`,
    p.values,
  );

  const a = new SqlParams();
  const alertWhere = [`al.tenant_id = ${a.add(q.tenantId)}`];
  const spanStart = a.add(weeks.start);
  const spanEnd = a.add(weeks.end);
  if (q.communes) {
    alertWhere.push(`al.structure_id IN (SELECT s.id FROM structure s WHERE s.tenant_id = ${a.add(q.tenantId)} AND s.commune_insee = ANY (${a.add(q.communes)}::text[]))`);
  }
  if (q.structureId) alertWhere.push(`al.structure_id = ${a.add(q.structureId)}`);
  if (q.bouquet) alertWhere.push(`al.bouquet = ${a.add(q.bouquet)}`);
  const mondays = a.add(weeks.mondays);
  // Open at the end of week w = open at the start of the first week + Σ (opened − closed) up to w. Each
  // of the three counts is one range of its own index (first seen: continuity_alert_indicators_idx;
  // closed: continuity_alert_closed_idx), each row put in its week by a binary search of the weeks'
  // starts (width_bucket: the Mondays at midnight in Paris), not by a time-zone conversion per row.
  const scoped = alertWhere.join(' AND ');
  const alerts: { week: string; opened: number; closed: number; open_at_end: number }[] = await m.query(
    `WITH weeks AS MATERIALIZED (
       SELECT array_agg((w.week::timestamp AT TIME ZONE ${PARIS}) ORDER BY w.week) AS starts FROM unnest(${mondays}::date[]) AS w(week)
     ),
     opened AS (
       SELECT width_bucket(al.first_seen_at, (SELECT starts FROM weeks)) AS i, count(*)::int AS n FROM continuity_alert al
        WHERE ${scoped} AND al.first_seen_at >= ${spanStart} AND al.first_seen_at < ${spanEnd} GROUP BY 1
     ),
     closed AS (
       SELECT width_bucket(al.closed_at, (SELECT starts FROM weeks)) AS i, count(*)::int AS n FROM continuity_alert al
        WHERE ${scoped} AND al.closed_at >= ${spanStart} AND al.closed_at < ${spanEnd} GROUP BY 1
     ),
     at_start AS (
       SELECT count(*)::int AS n FROM continuity_alert al
        WHERE ${scoped} AND al.first_seen_at < ${spanStart} AND (al.closed_at IS NULL OR al.closed_at >= ${spanStart})
     )
     SELECT to_char(w.week, 'YYYY-MM-DD') AS week, coalesce(o.n, 0) AS opened, coalesce(c.n, 0) AS closed,
            ((SELECT n FROM at_start) + sum(coalesce(o.n, 0) - coalesce(c.n, 0)) OVER (ORDER BY w.i))::int AS open_at_end
       FROM unnest(${mondays}::date[]) WITH ORDINALITY AS w(week, i)
       LEFT JOIN opened o ON o.i = w.i
       LEFT JOIN closed c ON c.i = w.i
      ORDER BY w.i`,
    a.values,
  );
  return {
    personsSeen: count(persons?.persons_seen),
    personsWithReferent: count(persons?.with_referent),
    gaps: count(persons?.gaps),
    medianDaysBetweenContacts: decimal(persons?.median_gap),
    alertsOverTime: alerts.map((w) => ({ week: w.week, opened: w.opened, closed: w.closed, openAtEnd: w.open_at_end })),
  };
}
