import {
  CONTINUITY_ALERT_KIND_LABELS,
  CONTINUITY_ALERT_KINDS,
  ContinuityAcknowledgement,
  ContinuityAlert,
  ContinuityAlertKind,
  ContinuityAlertQuery,
  parseTerritoryCode,
} from '@passerelle/contracts';
import { needLabel } from '../contacts/need-search';

/** Who reads the list: a structure (its own alerts, with the person) or a coordinator (the whole tenant, never who). */
export type AlertScope = 'structure' | 'coordinator';

export const ALERT_STATES = ['open', 'acknowledged', 'all'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
export const ALERT_STATE_LABELS: Record<AlertState, string> = {
  open: $localize`À traiter`,
  acknowledged: $localize`Acquittées`,
  all: $localize`Toutes`,
};

/** Alerts per page of the lists. */
export const ALERTS_PAGE_SIZE = 20;

/**
 * Query parameters of the lists, in French like the rest of the app, as the URL holds them:
 * `?type=referral_unanswered&etat=all&structure=…&territoire=epci:200067254&page=2` (the kind and the
 * state keep the API's codes, as the orientations' `statut` does).
 */
export interface AlertFilterParams {
  type?: string;
  etat?: string;
  structure?: string;
  territoire?: string;
  page?: string;
}

/** The filters of the URL, checked: unknown values are dropped, the state defaults to "à traiter". */
export interface AlertFilters {
  kind: ContinuityAlertKind | null;
  state: AlertState;
  structureId: string | null;
  territory: string | null;
  page: number;
}

export function isAlertKind(value: string | null | undefined): value is ContinuityAlertKind {
  return (CONTINUITY_ALERT_KINDS as readonly string[]).includes(value ?? '');
}

export function isTerritoryCode(value: string | null | undefined): value is string {
  return parseTerritoryCode(value) !== null;
}

/** Reads the URL's filters; a structure's list ignores the coordinator's (structure, territory). */
export function alertFiltersOf(params: AlertFilterParams, scope: AlertScope): AlertFilters {
  const page = Number(params.page);
  const coordinator = scope === 'coordinator';
  return {
    kind: isAlertKind(params.type) ? params.type : null,
    state: (ALERT_STATES as readonly string[]).includes(params.etat ?? '') ? (params.etat as AlertState) : 'open',
    structureId: coordinator && params.structure ? params.structure : null,
    territory: coordinator && isTerritoryCode(params.territoire) ? params.territoire : null,
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** The API query of the filters. */
export function alertQueryOf(filters: AlertFilters, pageSize = ALERTS_PAGE_SIZE): ContinuityAlertQuery {
  const query: ContinuityAlertQuery = {};
  if (filters.kind) query.kind = filters.kind;
  if (filters.structureId) query.structureId = filters.structureId;
  if (filters.territory) query.territory = filters.territory;
  query.state = filters.state;
  query.limit = pageSize;
  query.offset = (filters.page - 1) * pageSize;
  return query;
}

/** True when the list is narrowed by something else than the default state. */
export function isFiltered(filters: AlertFilters): boolean {
  return filters.kind !== null || filters.structureId !== null || filters.territory !== null || filters.state !== 'open';
}

export function alertKindLabel(alert: Pick<ContinuityAlert, 'kind'>): string {
  return CONTINUITY_ALERT_KIND_LABELS[alert.kind];
}

export function alertNeedLabel(alert: Pick<ContinuityAlert, 'bouquet'>): string {
  return alert.bouquet ? needLabel(alert.bouquet) : '—';
}

/**
 * The person as the structure may see them: the name, or "Identité non partagée" (the API gives the
 * person without a name, or no person at all, when the structure may not see who). Never used for coordinators.
 */
export function alertPersonLabel(alert: Pick<ContinuityAlert, 'person'>): string {
  return alert.person?.name ?? $localize`Identité non partagée`;
}

/**
 * Where the structure acts on the gap: the orientation for the orientation kinds, the person's file
 * (with its requests and contacts) for the others. Null when the alert names no one (coordinators).
 */
export function alertActionLink(alert: ContinuityAlert): string[] | null {
  if (alert.kind.startsWith('referral_') && alert.referralId) return ['/orientations', alert.referralId];
  if (alert.person) return ['/personnes', alert.person.id];
  return null;
}

/** "Orientation sans réponse – Jean-Pierre N'Diaye" (or the structure, for coordinators): names the alert for screen readers. */
export function alertContext(alert: ContinuityAlert, scope: AlertScope): string {
  const who = scope === 'structure' ? alertPersonLabel(alert) : alert.structure.name;
  return `${alertKindLabel(alert)} – ${who}`;
}

/** What the gap is about: the orientation, the request or the person. */
export function alertSubjectLabel(alert: Pick<ContinuityAlert, 'kind'>): string {
  switch (alert.kind) {
    case 'referral_unanswered':
    case 'referral_not_in_charge':
    case 'referral_failed_no_followup':
      return $localize`Une orientation`;
    case 'request_without_contact':
      return $localize`Une demande`;
    case 'request_without_referent':
    case 'accompaniment_lost_contact':
      return $localize`Une personne`;
  }
}

/** "par Marie Curie (CCAS de Gap)", "par CCAS de Gap" or "" when the API names no one. */
export function acknowledgedBy(acknowledgement: ContinuityAcknowledgement): string {
  const { userName, structureName } = acknowledgement;
  if (userName && structureName) return $localize`par ${userName}:user: (${structureName}:structure:)`;
  if (userName || structureName) return $localize`par ${userName ?? structureName}:who:`;
  return '';
}

/** A DOM id for an alert (keys hold `~` and `:`, fine in ids but awkward in selectors). */
export function alertDomId(alert: Pick<ContinuityAlert, 'key'>): string {
  return `alerte-${alert.key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}
