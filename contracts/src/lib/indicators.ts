import type { ContactChannel, ContactAnswer } from './contacts';
import type { NeedBouquetCode } from './needs';
import type { AccessibilityLinkCode, ReferralOutcome } from './referrals';

/**
 * Indicators for the territory and each structure (the territorial diagnosis of access to services).
 *
 * Statistics shared outside a structure suppress small counts: a count from 1 to 4 is sent as "< 5"
 * (and a rate or median computed over fewer than 5 is null), so that nobody can be re-identified; a larger
 * count that would let a hidden one be computed back from a total is sent as "secret" (decision 0015).
 * A structure reading its own figures gets them exact.
 */
export const SMALL_COUNT_THRESHOLD = 5;
export const SUPPRESSED = '< 5' as const;
/**
 * Secondary ("complementary") suppression: a count of 5 or more hidden because, with the total shown
 * beside it, it would let a suppressed small count be computed back (decision 0015). Read "secret statistique".
 */
export const SECONDARY_SUPPRESSED = 'secret' as const;
export type StatCount = number | typeof SUPPRESSED | typeof SECONDARY_SUPPRESSED;

/**
 * Whose figures: `structure`, the caller's own structure (exact); `territory`, the département or the
 * `territory` filter (small counts suppressed). Read for structure admins only — absent, they get their
 * own structure unless they ask for a territory; coordinators always get the territory level.
 */
export const INDICATOR_SCOPES = ['structure', 'territory'] as const;
export type IndicatorScope = (typeof INDICATOR_SCOPES)[number];

/** GET /api/indicators/<section> query (dates are days, inclusive, Europe/Paris). */
export interface IndicatorFilters {
  from: string;
  to: string;
  /** `epci:<SIREN>` or `commune:<INSEE>`; absent: the whole département. */
  territory?: string;
  structureId?: string;
  bouquet?: NeedBouquetCode;
  channel?: ContactChannel;
  siteId?: string;
  scope?: IndicatorScope;
}

export const INDICATOR_SECTIONS = ['contacts', 'referrals', 'flows', 'barriers', 'continuity'] as const;
export type IndicatorSection = (typeof INDICATOR_SECTIONS)[number];
export const INDICATOR_SECTION_LABELS: Record<IndicatorSection, string> = {
  contacts: 'Accueil : contacts',
  referrals: 'Orientations par partenaire',
  flows: 'Flux entre structures',
  barriers: 'Freins d’accès',
  continuity: 'Continuité des parcours',
};

export interface IndicatorMeta {
  /** The filters applied, as resolved: a structure admin's own structureId filled in, `scope` always set. */
  filters: IndicatorFilters;
  /** True when small counts were suppressed (figures shared outside the caller's structure). */
  suppressed: boolean;
  generatedAt: string;
}

export interface CountRow<K extends string | number = string> {
  key: K;
  label: string;
  count: StatCount;
}

/** Contacts: reception load and what the first welcome answered itself. */
export interface ContactIndicators extends IndicatorMeta {
  total: StatCount;
  /** Contacts without a person file (anonymous information). */
  anonymous: StatCount;
  /** Answered at the first contact: information given, procedure done, appointment made (the seeds' "80 %"). */
  answeredAtFirstContact: StatCount;
  answeredAtFirstContactRate: number | null;
  informationOnly: StatCount;
  byChannel: CountRow<ContactChannel>[];
  byAnswer: CountRow<ContactAnswer>[];
  byNeed: CountRow<NeedBouquetCode>[];
  bySite: CountRow[];
  /** 0–23, Europe/Paris. */
  byHour: CountRow<number>[];
  /** 1 = lundi … 7 = dimanche (ISO). */
  byWeekday: CountRow<number>[];
}
/** Answers that mean the first welcome answered the request itself. */
export const FIRST_CONTACT_ANSWERS: readonly ContactAnswer[] = ['information', 'procedure_done', 'appointment'];

/** Orientations, by receiving partner. */
export interface PartnerIndicator {
  structure: { id: string; name: string };
  sent: StatCount;
  accepted: StatCount;
  refused: StatCount;
  /** Accepted (or beyond) among those answered. */
  acceptanceRate: number | null;
  medianDaysToAnswer: number | null;
  medianDaysToCharge: number | null;
  outcomes: Record<ReferralOutcome, StatCount>;
  /** The sender knows what happened: refused, réorientée or clôturée, among those not cancelled. */
  closedLoopRate: number | null;
}
export interface ReferralIndicators extends IndicatorMeta {
  total: StatCount;
  acceptanceRate: number | null;
  medianDaysToAnswer: number | null;
  medianDaysToCharge: number | null;
  closedLoopRate: number | null;
  outcomes: Record<ReferralOutcome, StatCount>;
  byPartner: PartnerIndicator[];
}

/** Who orients to whom. */
export interface FlowIndicators extends IndicatorMeta {
  structures: { id: string; name: string }[];
  /** Non-zero cells only. */
  flows: { fromId: string; toId: string; count: StatCount }[];
}

/** Which links of the accessibility chain break (refusals and failed orientations). */
export interface BarrierIndicators extends IndicatorMeta {
  total: StatCount;
  byLink: CountRow<AccessibilityLinkCode>[];
  byNeed: { bouquet: NeedBouquetCode; label: string; links: Record<number, StatCount>; total: StatCount }[];
  byTerritory: { code: string; label: string; links: Record<number, StatCount>; total: StatCount }[];
}

/** Référents, gaps between contacts, alerts over time. */
export interface ContinuityIndicators extends IndicatorMeta {
  /** Persons with a contact in the period. */
  personsSeen: StatCount;
  personsWithReferent: StatCount;
  referentShare: number | null;
  /** Median, over the period's contacts (with the filters), of the days since the same person's previous contact anywhere (any structure, channel or date). */
  medianDaysBetweenContacts: number | null;
  /** By ISO week (Monday), from the alerts journal. */
  alertsOverTime: { week: string; opened: StatCount; closed: StatCount; openAtEnd: StatCount }[];
}

export type IndicatorReport = ContactIndicators | ReferralIndicators | FlowIndicators | BarrierIndicators | ContinuityIndicators;

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A territory the filters offer: the département's EPCIs and communes where structures are. */
export interface IndicatorTerritory {
  code: string;
  label: string;
  kind: 'epci' | 'commune';
}
