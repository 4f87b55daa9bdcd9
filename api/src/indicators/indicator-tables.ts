import {
  ACCESSIBILITY_LINKS,
  CONTACT_CHANNEL_LABELS,
  INDICATOR_SECTION_LABELS,
  NEED_BOUQUETS,
  REFERRAL_OUTCOME_LABELS,
  REFERRAL_OUTCOMES,
  SECONDARY_SUPPRESSED,
  SMALL_COUNT_THRESHOLD,
  SUPPRESSED,
  type BarrierIndicators,
  type ContactIndicators,
  type ContinuityIndicators,
  type CountRow,
  type FlowIndicators,
  type IndicatorFilters,
  type IndicatorMeta,
  type IndicatorSection,
  type ReferralIndicators,
  type ReferralOutcome,
  type StatCount,
} from '@passerelle/contracts';

/**
 * The tables of each section as an export writes them (one sheet each, or one block of the CSV):
 * the very values of the JSON — "< 5", "secret" and nulls included — under French headers.
 */

export type CellKind = 'text' | 'count' | 'rate' | 'days';
export type ExportCell = string | number | null;

export interface ExportColumn {
  header: string;
  kind: CellKind;
}

export interface ExportTable {
  /** The block title in a CSV. */
  title: string;
  /** The sheet name in a workbook: unique across sections, at most 31 characters, none of : \ / ? * [ ]. */
  sheet: string;
  columns: ExportColumn[];
  rows: ExportCell[][];
}

/** The names behind the filters' codes, for the "Filtres" sheet. */
export interface FilterLabels {
  tenantName: string;
  territory?: string;
  structure?: string;
  site?: string;
}

export type SectionReport<S extends IndicatorSection> = {
  contacts: ContactIndicators;
  referrals: ReferralIndicators;
  flows: FlowIndicators;
  barriers: BarrierIndicators;
  continuity: ContinuityIndicators;
}[S];

const text = (header: string): ExportColumn => ({ header, kind: 'text' });
const countCol = (header: string): ExportColumn => ({ header, kind: 'count' });
const rateCol = (header: string): ExportColumn => ({ header, kind: 'rate' });
const daysCol = (header: string): ExportColumn => ({ header, kind: 'days' });
const countRows = (rows: CountRow<string | number>[]): ExportCell[][] => rows.map((r) => [r.label, r.count]);
const outcomeColumns = () => REFERRAL_OUTCOMES.map((o) => countCol(REFERRAL_OUTCOME_LABELS[o]));
const outcomeCells = (outcomes: Record<ReferralOutcome, StatCount>) => REFERRAL_OUTCOMES.map((o) => outcomes[o]);
const linkColumns = () => ACCESSIBILITY_LINKS.map((l) => countCol(`${l.code}. ${l.label}`));
const linkCells = (links: Record<number, StatCount>) => ACCESSIBILITY_LINKS.map((l) => links[l.code]);

const COLUMN = {
  acceptance: 'Taux d’acceptation',
  answer: 'Délai médian de réponse (jours)',
  charge: 'Délai médian de prise en charge (jours)',
  closedLoop: 'Taux de boucle fermée',
};

export function contactTables(r: ContactIndicators): ExportTable[] {
  const one = (title: string, sheet: string, header: string, rows: CountRow<string | number>[]): ExportTable => ({
    title: `Contacts : ${title}`,
    sheet: `Contacts - ${sheet}`,
    columns: [text(header), countCol('Contacts')],
    rows: countRows(rows),
  });
  return [
    {
      title: 'Contacts : synthèse',
      sheet: 'Contacts - synthèse',
      columns: [
        countCol('Contacts'),
        countCol('Contacts anonymes'),
        countCol('Répondus au premier contact'),
        rateCol('Part répondue au premier contact'),
        countCol('Information seule'),
      ],
      rows: [[r.total, r.anonymous, r.answeredAtFirstContact, r.answeredAtFirstContactRate, r.informationOnly]],
    },
    one('par canal', 'par canal', 'Canal', r.byChannel),
    one('par réponse apportée', 'par réponse', 'Réponse apportée', r.byAnswer),
    one('par besoin (un contact compte dans chacun de ses besoins)', 'par besoin', 'Bouquet de services', r.byNeed),
    one('par lieu d’accueil', 'par lieu', 'Lieu d’accueil', r.bySite),
    one('par heure (heure de Paris)', 'par heure', 'Heure', r.byHour),
    one('par jour de la semaine', 'par jour', 'Jour', r.byWeekday),
  ];
}

export function referralTables(r: ReferralIndicators): ExportTable[] {
  return [
    {
      title: 'Orientations : synthèse',
      sheet: 'Orientations - synthèse',
      columns: [countCol('Orientations envoyées'), rateCol(COLUMN.acceptance), daysCol(COLUMN.answer), daysCol(COLUMN.charge), rateCol(COLUMN.closedLoop), ...outcomeColumns()],
      rows: [[r.total, r.acceptanceRate, r.medianDaysToAnswer, r.medianDaysToCharge, r.closedLoopRate, ...outcomeCells(r.outcomes)]],
    },
    {
      title: 'Orientations : par structure destinataire',
      sheet: 'Orientations - par partenaire',
      columns: [
        text('Structure destinataire'),
        countCol('Envoyées'),
        countCol('Acceptées'),
        countCol('Refusées'),
        rateCol(COLUMN.acceptance),
        daysCol(COLUMN.answer),
        daysCol(COLUMN.charge),
        ...outcomeColumns(),
        rateCol(COLUMN.closedLoop),
      ],
      rows: r.byPartner.map((p) => [
        p.structure.name,
        p.sent,
        p.accepted,
        p.refused,
        p.acceptanceRate,
        p.medianDaysToAnswer,
        p.medianDaysToCharge,
        ...outcomeCells(p.outcomes),
        p.closedLoopRate,
      ]),
    },
  ];
}

export function flowTables(r: FlowIndicators): ExportTable[] {
  const names = new Map(r.structures.map((s) => [s.id, s.name]));
  return [
    {
      title: 'Flux d’orientations entre structures',
      sheet: 'Flux entre structures',
      columns: [text('Structure émettrice'), text('Structure destinataire'), countCol('Orientations')],
      rows: r.flows.map((f) => [names.get(f.fromId) ?? '', names.get(f.toId) ?? '', f.count]),
    },
  ];
}

export function barrierTables(r: BarrierIndicators): ExportTable[] {
  return [
    {
      title: 'Freins d’accès : synthèse',
      sheet: 'Freins - synthèse',
      columns: [countCol('Orientations refusées ou échouées avec un maillon rompu')],
      rows: [[r.total]],
    },
    {
      title: 'Freins d’accès : par maillon de la chaîne d’accessibilité',
      sheet: 'Freins - par maillon',
      columns: [text('Maillon rompu'), countCol('Orientations')],
      rows: r.byLink.map((l) => [`${l.key}. ${l.label}`, l.count]),
    },
    {
      title: 'Freins d’accès : par besoin et maillon',
      sheet: 'Freins - par besoin',
      columns: [text('Bouquet de services'), ...linkColumns(), countCol('Total')],
      rows: r.byNeed.map((n) => [n.label, ...linkCells(n.links), n.total]),
    },
    {
      title: 'Freins d’accès : par territoire (EPCI de la structure qui oriente) et maillon',
      sheet: 'Freins - par territoire',
      columns: [text('Territoire'), ...linkColumns(), countCol('Total')],
      rows: r.byTerritory.map((t) => [t.label, ...linkCells(t.links), t.total]),
    },
  ];
}

export function continuityTables(r: ContinuityIndicators): ExportTable[] {
  return [
    {
      title: 'Continuité des parcours : synthèse',
      sheet: 'Continuité - synthèse',
      columns: [countCol('Personnes vues'), countCol('Personnes avec un référent'), rateCol('Part avec un référent'), daysCol('Délai médian entre deux contacts (jours)')],
      rows: [[r.personsSeen, r.personsWithReferent, r.referentShare, r.medianDaysBetweenContacts]],
    },
    {
      title: 'Continuité des parcours : alertes par semaine',
      sheet: 'Continuité - alertes',
      columns: [text('Semaine du (lundi)'), countCol('Alertes ouvertes'), countCol('Alertes clôturées'), countCol('Alertes en cours en fin de semaine')],
      rows: r.alertsOverTime.map((w) => [w.week, w.opened, w.closed, w.openAtEnd]),
    },
  ];
}

export function sectionTables<S extends IndicatorSection>(section: S, report: SectionReport<S>): ExportTable[] {
  switch (section) {
    case 'contacts':
      return contactTables(report as ContactIndicators);
    case 'referrals':
      return referralTables(report as ReferralIndicators);
    case 'flows':
      return flowTables(report as FlowIndicators);
    case 'barriers':
      return barrierTables(report as BarrierIndicators);
    case 'continuity':
      return continuityTables(report as ContinuityIndicators);
    default:
      throw new Error(`unknown section ${String(section)}`);
  }
}

/** The "Filtres" table: what the figures cover, in words. */
export function filtersTable(sections: IndicatorSection[], meta: IndicatorMeta, labels: FilterLabels): ExportTable {
  const f: IndicatorFilters = meta.filters;
  const bouquet = f.bouquet ? NEED_BOUQUETS.find((b) => b.code === f.bouquet) : undefined;
  const rows: ExportCell[][] = [
    ['Indicateurs', sections.map((s) => INDICATOR_SECTION_LABELS[s]).join(' ; ')],
    ['Du', f.from],
    ['Au (inclus)', f.to],
    ['Niveau', f.scope === 'structure' ? 'Structure (chiffres exacts)' : 'Territoire (petits effectifs masqués)'],
    ['Territoire', f.territory ? `${labels.territory ?? ''} (${f.territory})` : `Tout le département (${labels.tenantName})`],
    ['Structure', f.structureId ? (labels.structure ?? f.structureId) : 'Toutes'],
    ['Bouquet de services', bouquet ? `${bouquet.code}. ${bouquet.label}` : 'Tous'],
    ['Canal (contacts et continuité)', f.channel ? CONTACT_CHANNEL_LABELS[f.channel] : 'Tous'],
    ['Lieu d’accueil (contacts et continuité)', f.siteId ? (labels.site ?? f.siteId) : 'Tous'],
    ['Généré le', meta.generatedAt],
  ];
  if (meta.suppressed) {
    rows.push([
      'Petits effectifs',
      `« ${SUPPRESSED} » : de 1 à ${SMALL_COUNT_THRESHOLD - 1} ; « ${SECONDARY_SUPPRESSED} » : masqué pour qu’un total ne permette pas de retrouver un petit effectif ; ` +
        `taux et médianes vides quand ils portent sur moins de ${SMALL_COUNT_THRESHOLD} éléments.`,
    ]);
  }
  return { title: 'Filtres', sheet: 'Filtres', columns: [text('Filtre'), text('Valeur')], rows };
}
