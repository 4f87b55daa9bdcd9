import {
  ACCESSIBILITY_LINKS,
  CONTACT_ANSWER_LABELS,
  CONTACT_ANSWERS,
  CONTACT_CHANNEL_LABELS,
  CONTACT_CHANNELS,
  FIRST_CONTACT_ANSWERS,
  NEED_BOUQUETS,
  REFERRAL_OUTCOMES,
  type AccessibilityLinkCode,
  type BarrierIndicators,
  type ContactAnswer,
  type ContactChannel,
  type ContactIndicators,
  type ContinuityIndicators,
  type CountRow,
  type FlowIndicators,
  type IndicatorMeta,
  type NeedBouquetCode,
  type PartnerIndicator,
  type ReferralIndicators,
  type ReferralOutcome,
  type StatCount,
} from '@passerelle/contracts';
import { CountSheet, type Disclosed } from './suppression';

/**
 * From exact aggregates (what the repository's SQL counts) to the contracts' indicator shapes: every
 * count goes through one CountSheet per report, with the relations a reader could use to compute a
 * hidden count back, then is disclosed exactly or suppressed (decision 0015).
 */

export const NO_SITE_LABEL = '(sans lieu)';
export const NO_SITE_KEY = 'none';
export const NO_EPCI_LABEL = '(hors EPCI)';
export const NO_EPCI_CODE = 'hors-epci';
export const WEEKDAY_LABELS = ['Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi', 'Samedi', 'Dimanche'];
export const hourLabel = (hour: number) => `${hour} h`;
const LINK_CODES = ACCESSIBILITY_LINKS.map((l) => l.code) as AccessibilityLinkCode[];

const collator = new Intl.Collator('fr');
/** Names in French order (one collator: localeCompare builds one per call). */
export const compareNames = (a: string, b: string): number => collator.compare(a, b);
const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A rate from 0 to 1 with 3 decimals; null when the denominator is 0. */
export function rate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : Math.round((numerator / denominator) * 1000) / 1000;
}

/** Visible counts first, largest first; then hidden ones, by label (their order would tell their size). */
function byDisplayOrder<T>(rows: T[], count: (row: T) => StatCount, exact: (row: T) => number, label: (row: T) => string): T[] {
  return [...rows].sort((a, b) => {
    const [ca, cb] = [count(a), count(b)];
    const [ha, hb] = [typeof ca !== 'number', typeof cb !== 'number'];
    if (ha !== hb) return ha ? 1 : -1;
    return (ha ? 0 : exact(b) - exact(a)) || compareNames(label(a), label(b));
  });
}

// ---------------------------------------------------------------------------------------------
// Contacts

export interface ContactAggregate {
  total: number;
  anonymous: number;
  byChannel: Map<ContactChannel, number>;
  byAnswer: Map<ContactAnswer, number>;
  byNeed: Map<number, number>;
  bySite: { siteId: string | null; name: string; count: number }[];
  byHour: Map<number, number>;
  byWeekday: Map<number, number>;
}

export function contactIndicators(agg: ContactAggregate, meta: IndicatorMeta): ContactIndicators {
  const sheet = new CountSheet();
  const total = sheet.add(agg.total);
  const anonymous = sheet.add(agg.anonymous);
  const channels = sheet.addAll(CONTACT_CHANNELS.map((c) => agg.byChannel.get(c) ?? 0));
  sheet.sumOf(channels, total);
  const answers = sheet.addAll(CONTACT_ANSWERS.map((a) => agg.byAnswer.get(a) ?? 0));
  sheet.sumOf(answers, total);
  const firstContactParts = FIRST_CONTACT_ANSWERS.map((a) => answers[CONTACT_ANSWERS.indexOf(a)]);
  const answeredCount = FIRST_CONTACT_ANSWERS.reduce((sum, a) => sum + (agg.byAnswer.get(a) ?? 0), 0);
  const answered = sheet.add(answeredCount);
  sheet.sumOf(firstContactParts, answered);
  // "Information only" is the answer 'information': the same count, the same handle.
  const information = answers[CONTACT_ANSWERS.indexOf('information')];
  // A contact with several needs counts once in each of its bouquets: no sum to protect.
  const needs = sheet.addAll(NEED_BOUQUETS.map((b) => agg.byNeed.get(b.code) ?? 0));
  const sites = sheet.addAll(agg.bySite.map((s) => s.count));
  sheet.sumOf(sites, total);
  const hours = sheet.addAll(Array.from({ length: 24 }, (_, h) => agg.byHour.get(h) ?? 0));
  sheet.sumOf(hours, total);
  const weekdays = sheet.addAll(WEEKDAY_LABELS.map((_, i) => agg.byWeekday.get(i + 1) ?? 0));
  sheet.sumOf(weekdays, total);
  const d = sheet.disclose(meta.suppressed);

  const siteRows = agg.bySite.map((s, i) => ({ row: { key: s.siteId ?? NO_SITE_KEY, label: s.siteId ? s.name : NO_SITE_LABEL, count: d.count(sites[i]) }, exact: s.count }));
  const [withSite, withoutSite] = [siteRows.filter((r) => r.row.key !== NO_SITE_KEY), siteRows.filter((r) => r.row.key === NO_SITE_KEY)];
  return {
    ...meta,
    total: d.count(total),
    anonymous: d.count(anonymous),
    answeredAtFirstContact: d.count(answered),
    answeredAtFirstContactRate: d.statistic(rate(answeredCount, agg.total), { denominator: agg.total, linked: [{ handle: answered }, { handle: total }] }),
    informationOnly: d.count(information),
    byChannel: CONTACT_CHANNELS.map((key, i) => ({ key, label: CONTACT_CHANNEL_LABELS[key], count: d.count(channels[i]) })),
    byAnswer: CONTACT_ANSWERS.map((key, i) => ({ key, label: CONTACT_ANSWER_LABELS[key], count: d.count(answers[i]) })),
    byNeed: NEED_BOUQUETS.map((b, i) => ({ key: b.code as NeedBouquetCode, label: b.label, count: d.count(needs[i]) })),
    bySite: [
      ...byDisplayOrder(withSite, (r) => r.row.count, (r) => r.exact, (r) => r.row.label),
      ...withoutSite,
    ].map((r): CountRow => r.row),
    byHour: hours.map((h, hour) => ({ key: hour, label: hourLabel(hour), count: d.count(h) })),
    byWeekday: weekdays.map((w, i) => ({ key: i + 1, label: WEEKDAY_LABELS[i], count: d.count(w) })),
  };
}

// ---------------------------------------------------------------------------------------------
// Referrals

export interface ReferralStats {
  sent: number;
  /** answered_at not null. */
  answered: number;
  accepted: number;
  refused: number;
  redirected: number;
  closed: number;
  cancelled: number;
  outcomes: Record<ReferralOutcome, number>;
  /** Referrals with an answered_at (the median's items). */
  answerDelays: number;
  medianDaysToAnswer: number | null;
  /** Referrals with an in_charge_at. */
  chargeDelays: number;
  medianDaysToCharge: number | null;
}

export interface ReferralAggregate {
  total: ReferralStats;
  byPartner: (ReferralStats & { structure: { id: string; name: string } })[];
}

interface StatsHandles {
  sent: number;
  accepted: number;
  refused: number;
  outcomes: Record<ReferralOutcome, number>;
}

function addStats(sheet: CountSheet, s: ReferralStats, withAnswers: boolean): StatsHandles {
  return {
    sent: sheet.add(s.sent),
    accepted: withAnswers ? sheet.add(s.accepted) : -1,
    refused: withAnswers ? sheet.add(s.refused) : -1,
    outcomes: Object.fromEntries(REFERRAL_OUTCOMES.map((o) => [o, sheet.add(s.outcomes[o])])) as Record<ReferralOutcome, number>,
  };
}

/** The rates and medians of a set of referrals (the same at partner and total level). */
function referralStatistics(s: ReferralStats, h: StatsHandles, d: Disclosed) {
  const closedLoop = s.refused + s.redirected + s.closed;
  const notCancelled = s.sent - s.cancelled;
  return {
    acceptanceRate: d.statistic(rate(s.accepted, s.answered), { denominator: s.answered, linked: h.accepted >= 0 ? [{ handle: h.accepted }] : [s.accepted] }),
    medianDaysToAnswer: d.statistic(s.medianDaysToAnswer, { denominator: s.answerDelays }),
    medianDaysToCharge: d.statistic(s.medianDaysToCharge, { denominator: s.chargeDelays }),
    closedLoopRate: d.statistic(rate(closedLoop, notCancelled), { denominator: notCancelled, linked: [closedLoop] }),
  };
}

export function referralIndicators(agg: ReferralAggregate, meta: IndicatorMeta): ReferralIndicators {
  const sheet = new CountSheet();
  // The total level publishes no accepted/refused counts: only the sent total and the outcomes.
  const total = addStats(sheet, agg.total, false);
  const partners = agg.byPartner.map((p) => addStats(sheet, p, true));
  sheet.sumOf(
    partners.map((p) => p.sent),
    total.sent,
  );
  for (const o of REFERRAL_OUTCOMES) {
    sheet.sumOf(
      partners.map((p) => p.outcomes[o]),
      total.outcomes[o],
    );
  }
  const d = sheet.disclose(meta.suppressed);
  const outcomes = (h: StatsHandles) => Object.fromEntries(REFERRAL_OUTCOMES.map((o) => [o, d.count(h.outcomes[o])])) as Record<ReferralOutcome, StatCount>;

  const rows = agg.byPartner.map((p, i): { row: PartnerIndicator; exact: number } => {
    const h = partners[i];
    const stats = referralStatistics(p, h, d);
    return {
      row: {
        structure: p.structure,
        sent: d.count(h.sent),
        accepted: d.count(h.accepted),
        refused: d.count(h.refused),
        acceptanceRate: stats.acceptanceRate,
        medianDaysToAnswer: stats.medianDaysToAnswer,
        medianDaysToCharge: stats.medianDaysToCharge,
        outcomes: outcomes(h),
        closedLoopRate: stats.closedLoopRate,
      },
      exact: p.sent,
    };
  });
  return {
    ...meta,
    total: d.count(total.sent),
    ...referralStatistics(agg.total, total, d),
    outcomes: outcomes(total),
    byPartner: byDisplayOrder(rows, (r) => r.row.sent, (r) => r.exact, (r) => r.row.structure.name).map((r) => r.row),
  };
}

// ---------------------------------------------------------------------------------------------
// Flows

export interface FlowAggregate {
  structures: { id: string; name: string }[];
  /** Non-zero cells. */
  flows: { fromId: string; toId: string; count: number }[];
}

export function flowIndicators(agg: FlowAggregate, meta: IndicatorMeta): FlowIndicators {
  const structures = [...agg.structures].sort((a, b) => compareNames(a.name, b.name) || compareIds(a.id, b.id));
  const rank = new Map(structures.map((s, i) => [s.id, i]));
  const cells = agg.flows
    .map((f) => ({ fromId: f.fromId, toId: f.toId, count: f.count, from: rank.get(f.fromId) ?? -1, to: rank.get(f.toId) ?? -1, handle: 0 }))
    .sort((a, b) => a.from - b.from || a.to - b.to);
  const sheet = new CountSheet();
  // What each structure sent, and what each received, are published by the referrals section (the
  // partner's "sent", or the partners of a structure filter): both lines are protected.
  const sent: number[][] = structures.map(() => []);
  const received: number[][] = structures.map(() => []);
  for (const c of cells) {
    c.handle = sheet.add(c.count);
    sent[c.from]?.push(c.handle);
    received[c.to]?.push(c.handle);
  }
  for (const line of [...sent, ...received]) if (line.length > 0) sheet.sumOf(line);
  const d = sheet.disclose(meta.suppressed);
  return {
    ...meta,
    structures,
    flows: cells.map((c) => ({ fromId: c.fromId, toId: c.toId, count: d.count(c.handle) })),
  };
}

// ---------------------------------------------------------------------------------------------
// Barriers

export interface BarrierAggregate {
  byLink: Map<number, number>;
  byNeed: Map<number, Map<number, number>>;
  /** By EPCI code of the sending structure's commune ('' for none), with its name. */
  byTerritory: { code: string; label: string; links: Map<number, number> }[];
}

export function barrierIndicators(agg: BarrierAggregate, meta: IndicatorMeta): BarrierIndicators {
  const sheet = new CountSheet();
  const totalCount = LINK_CODES.reduce((sum, l) => sum + (agg.byLink.get(l) ?? 0), 0);
  const total = sheet.add(totalCount);
  const links = sheet.addAll(LINK_CODES.map((l) => agg.byLink.get(l) ?? 0));
  sheet.sumOf(links, total);

  /** A cross table (rows × the 11 links) whose row totals, column totals (byLink) and grand total are published. */
  const crossTable = (rows: Map<number, number>[]) => {
    const handles = rows.map((row) => {
      const cells = sheet.addAll(LINK_CODES.map((l) => row.get(l) ?? 0));
      const rowTotal = sheet.add(LINK_CODES.reduce((sum, l) => sum + (row.get(l) ?? 0), 0));
      sheet.sumOf(cells, rowTotal);
      return { cells, rowTotal };
    });
    LINK_CODES.forEach((_, j) =>
      sheet.sumOf(
        handles.map((h) => h.cells[j]),
        links[j],
      ),
    );
    sheet.sumOf(
      handles.map((h) => h.rowTotal),
      total,
    );
    return handles;
  };
  const needRows = NEED_BOUQUETS.filter((b) => agg.byNeed.has(b.code));
  const needHandles = crossTable(needRows.map((b) => agg.byNeed.get(b.code) as Map<number, number>));
  const territoryRows = [...agg.byTerritory].sort((a, b) => Number(a.code === '') - Number(b.code === '') || compareNames(a.label, b.label));
  const territoryHandles = crossTable(territoryRows.map((t) => t.links));
  const d = sheet.disclose(meta.suppressed);
  const linkRecord = (cells: number[]) => Object.fromEntries(LINK_CODES.map((l, j) => [l, d.count(cells[j])])) as Record<number, StatCount>;

  return {
    ...meta,
    total: d.count(total),
    byLink: ACCESSIBILITY_LINKS.map((l, j) => ({ key: l.code, label: l.label, count: d.count(links[j]) })),
    byNeed: needRows.map((b, i) => ({ bouquet: b.code as NeedBouquetCode, label: b.label, links: linkRecord(needHandles[i].cells), total: d.count(needHandles[i].rowTotal) })),
    byTerritory: territoryRows.map((t, i) => ({
      code: t.code === '' ? NO_EPCI_CODE : `epci:${t.code}`,
      label: t.code === '' ? NO_EPCI_LABEL : t.label,
      links: linkRecord(territoryHandles[i].cells),
      total: d.count(territoryHandles[i].rowTotal),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Continuity

export interface ContinuityAggregate {
  personsSeen: number;
  personsWithReferent: number;
  /** The period's contacts with an interval since the person's previous contact (the median's items). */
  gaps: number;
  medianDaysBetweenContacts: number | null;
  alertsOverTime: { week: string; opened: number; closed: number; openAtEnd: number }[];
}

export function continuityIndicators(agg: ContinuityAggregate, meta: IndicatorMeta): ContinuityIndicators {
  const sheet = new CountSheet();
  const seen = sheet.add(agg.personsSeen);
  const withReferent = sheet.add(agg.personsWithReferent);
  const weeks = agg.alertsOverTime.map((w) => ({ opened: sheet.add(w.opened), closed: sheet.add(w.closed), openAtEnd: sheet.add(w.openAtEnd) }));
  // Week after week: open at the end of the previous week + opened = open at the end + closed.
  weeks.forEach((w, i) => {
    if (i > 0) sheet.relate([weeks[i - 1].openAtEnd, w.opened, w.openAtEnd, w.closed]);
  });
  const d = sheet.disclose(meta.suppressed);
  return {
    ...meta,
    personsSeen: d.count(seen),
    personsWithReferent: d.count(withReferent),
    referentShare: d.statistic(rate(agg.personsWithReferent, agg.personsSeen), {
      denominator: agg.personsSeen,
      linked: [{ handle: withReferent }, { handle: seen }],
    }),
    medianDaysBetweenContacts: d.statistic(agg.medianDaysBetweenContacts, { denominator: agg.gaps }),
    alertsOverTime: agg.alertsOverTime.map((w, i) => ({
      week: w.week,
      opened: d.count(weeks[i].opened),
      closed: d.count(weeks[i].closed),
      openAtEnd: d.count(weeks[i].openAtEnd),
    })),
  };
}
