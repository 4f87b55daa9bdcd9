import {
  CONSENT_NOTICE_VERSION,
  DATA_CATEGORIES,
  NEED_BOUQUETS,
  type ContactAnswer,
  type ContactChannel,
  type DataCategory,
  type NeedBouquetCode,
  type Role,
} from '@passerelle/contracts';
import { Calendar, DAY_MS, deskMinutes, iso, MINUTE_MS, parisDay, parisInstant, writtenMinutes } from './calendar';
import type { CopySink, CopyValue } from './copy-sink';
import { IdentityFactory, personRow } from './persons';
import { Random, Weighted } from './random';
import type { Agent, Commune, Structure, Territory } from './territory';
import {
  ACCOMPANYING_TYPES,
  ANONYMIZED_REASON,
  ANONYMOUS_ANSWERS,
  BOUQUETS,
  CALLBACK_ANSWERS,
  CHANNELS,
  DESK_ANSWERS,
  FAILURE_LINKS,
  FOLLOW_UP_ANSWERS,
  MEDIAN_MINUTES,
  NO_FOLLOW_UP_REASONS,
  OPENS_REQUEST,
  OUTCOMES,
  PARTNERS,
  PRIVATE_NOTES,
  REFUSAL_LINKS,
  REFUSALS,
  REQUEST_MEDIAN_DAYS,
  RESOLVED_REASONS,
  SENIOR_BOUQUETS,
  SUB_NEEDS,
  summaryOf,
  YOUNG_BOUQUETS,
} from './vocabulary';

/**
 * One person's path over the window, simulated in time order: their first contact at a desk near
 * home (which creates the file), later contacts (at that desk, at partners that took them in charge,
 * sometimes elsewhere), the needs of each contact, the requests they open and touch, the orientations
 * sent — each followed through its loop with realistic delays, reminders and expiry, refusals and
 * failures with their broken link — the consents those orientations need, the référents de parcours,
 * the structures that follow the person, and the retention job's anonymisation of files without a
 * contact for 24 months. Rows are written to the sinks once the person is complete.
 */

export const COLUMNS = {
  person_follow: ['tenant_id', 'person_id', 'structure_id', 'since', 'reason'],
  contact: ['id', 'tenant_id', 'client_request_id', 'person_id', 'structure_id', 'site_id', 'agent_user_id', 'channel', 'occurred_at', 'duration_minutes', 'answer', 'summary', 'private_note', 'created_at'],
  contact_need: ['tenant_id', 'contact_id', 'position', 'bouquet', 'sub_need', 'detail'],
  request: ['id', 'tenant_id', 'person_id', 'structure_id', 'bouquet', 'sub_need', 'description', 'status', 'closed_reason', 'opened_at', 'closed_at', 'opened_by_user_id', 'status_changed_by_user_id', 'updated_at'],
  request_contact: ['tenant_id', 'request_id', 'contact_id'],
  referral: [
    'id', 'tenant_id', 'client_request_id', 'person_id', 'from_structure_id', 'from_user_id', 'from_contact_id', 'request_id', 'parent_referral_id', 'to_structure_id',
    'to_service_id', 'bouquet', 'message', 'categories', 'status', 'sent_at', 'received_at', 'answered_at', 'refusal_reason', 'redirected_to_structure_id', 'in_charge_kind',
    'in_charge_at', 'closed_at', 'outcome', 'broken_link', 'status_comment', 'cancelled_at', 'reminded_at', 'expired_at', 'updated_at',
  ],
  referral_event: ['tenant_id', 'referral_id', 'status', 'at', 'user_id', 'structure_id'],
  consent: [
    'id', 'tenant_id', 'client_request_id', 'person_id', 'purpose', 'recipient_kind', 'recipient_structure_id', 'categories', 'collection_method', 'notice_version',
    'collected_by_user_id', 'collected_by_structure_id', 'collected_at', 'valid_until', 'withdrawn_at', 'withdrawn_by_user_id', 'withdrawn_by_structure_id',
  ],
  referent: ['id', 'tenant_id', 'person_id', 'user_id', 'structure_id', 'criteria', 'chosen_with_person', 'criteria_note', 'designated_by_user_id', 'handoff_id', 'started_at', 'ended_at', 'ended_by_user_id', 'ended_reason'],
} as const;

export type Sinks = Record<'person' | keyof typeof COLUMNS, CopySink>;

export interface PathwayOptions {
  now: number;
  windowStart: number;
  reminderDays: number;
  expiryDays: number;
  retentionMonths: number;
  /** Anonymous contacts (no file) per person, on average. */
  anonymousPerPerson: number;
  /** The schema has contact.need_mask (migration IndicatorIndexes): write it (its trigger is disabled during the load). */
  needMask: boolean;
  /**
   * The schema has contact.previous_contact_at (migration ContactInterval): write it, as its triggers
   * (contact_interval_set, contact_interval_insert, disabled during the load) would have.
   */
  previousContactAt?: boolean;
}

/** The contact table's columns, with need_mask and previous_contact_at when the schema has them (in that order). */
export function contactColumns(needMask: boolean, previousContactAt = false): readonly string[] {
  const columns: string[] = [...COLUMNS.contact];
  if (needMask) columns.push('need_mask');
  if (previousContactAt) columns.push('previous_contact_at');
  return columns;
}

/** uuid order as PostgreSQL compares them (bytes): Random.uuid's canonical lowercase text compares the same way. */
const compareUuids = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * contact.previous_contact_at of one person's contacts, by id: the occurred_at of the previous contact
 * in (occurred_at, id) order, null for the first — what the triggers of migration ContactInterval
 * compute. The simulation does not produce a person's contacts in time order (a callback drawn for the
 * morning of a day goes after that day's planned visit, which is compared at midnight: 170 persons in
 * 20,000), and two may fall on the same minute (a callback and a visit of the same day draw their
 * minutes independently; none in that sample, nothing prevents it): hence the sort, ties broken by id
 * as the database does. Times as written: the same `iso` text as the previous contact's occurred_at
 * (whole milliseconds), so that both columns hold the same instant.
 */
export function previousContactAt(contacts: readonly { id: string; at: number }[]): Map<string, string | null> {
  const ordered = [...contacts].sort((a, b) => Math.floor(a.at) - Math.floor(b.at) || compareUuids(a.id, b.id));
  return new Map(ordered.map((c, i) => [c.id, i === 0 ? null : iso(ordered[i - 1].at)]));
}

type Profile = 'one_off' | 'occasional' | 'accompanied';
const PROFILES = Weighted.of<Profile>([
  ['one_off', 42],
  ['occasional', 40],
  ['accompanied', 18],
]);

interface Request {
  id: string;
  structureId: string;
  bouquet: NeedBouquetCode;
  subNeed: string | null;
  description: string | null;
  openedAt: number;
  openedBy: string;
  /** open → in_progress, when it happened (Infinity: never). */
  inProgressAt: number;
  inProgressBy: string | null;
  closedAt: number;
  closedStatus: 'resolved' | 'no_follow_up';
  closedReason: string | null;
  closedBy: string | null;
}

interface Contact {
  id: string;
  structure: Structure;
  siteId: string | null;
  agent: string;
  channel: ContactChannel;
  at: number;
  minutes: number;
  answer: ContactAnswer;
  needs: { bouquet: NeedBouquetCode; subNeed: string | null }[];
  summary: string | null;
  privateNote: string | null;
}

interface Step {
  status: 'sent' | 'received' | 'accepted' | 'refused' | 'redirected' | 'in_charge' | 'closed' | 'cancelled' | 'reminded' | 'expired';
  at: number;
  userId: string | null;
  structureId: string | null;
}

interface Referral {
  id: string;
  from: Structure;
  fromUser: string;
  fromContact: string | null;
  requestId: string | null;
  parentId: string | null;
  to: Structure;
  serviceId: string | null;
  bouquet: NeedBouquetCode;
  message: string | null;
  categories: DataCategory[];
  sentAt: number;
  steps: Step[];
  refusalReason: string | null;
  redirectedTo: Structure | null;
  inChargeKind: 'appointment' | 'first_contact' | null;
  inChargeAt: number | null;
  outcome: string | null;
  brokenLink: number | null;
  comment: string | null;
}

/**
 * How an orientation (and the one it was redirected to, if any) ended, as the request sees it:
 * 'pending' when its next step is still ahead, 'stuck' when it will never move again.
 */
interface Fate {
  kind: 'done' | 'failed' | 'cancelled' | 'pending' | 'stuck';
  at: number;
}

interface Consent {
  id: string;
  purpose: 'orientation' | 'coordinated_follow_up' | 'network_visibility';
  recipientKind: 'structure' | 'parcours' | 'network';
  recipient: Structure | null;
  categories: DataCategory[];
  method: string;
  collectedBy: string;
  collectedAt: number;
  collectedByStructure: Structure;
  validUntil: number | null;
  withdrawnAt: number | null;
  withdrawnBy: string | null;
}

interface Referent {
  id: string;
  userId: string;
  structure: Structure;
  criteria: string[];
  chosenWithPerson: boolean;
  note: string | null;
  designatedBy: string;
  startedAt: number;
  endedAt: number | null;
  endedBy: string | null;
  endedReason: 'replaced' | 'ended' | 'person_request' | 'retention' | null;
}

const CATEGORY_ORDER = (categories: Iterable<DataCategory>) => {
  const set = new Set(categories);
  // Summaries go with the needs they belong to (decision 0007).
  if (set.has('interview_summaries') && !set.has('needs_requests')) set.delete('interview_summaries');
  return DATA_CATEGORIES.filter((c) => set.has(c));
};
const BOUQUET_LABEL = new Map<number, string>(NEED_BOUQUETS.map((b) => [b.code, b.label]));
const METHODS = Weighted.of([
  ['oral', 60],
  ['signed_paper', 30],
  ['digital', 10],
] as const);
const CRITERIA = ['person_preference', 'relevance', 'feasibility'];

export class PathwayGenerator {
  private readonly calendar: Calendar;
  private readonly identities: IdentityFactory;
  private readonly residence: Weighted<Commune>;
  private readonly desksNear = new Map<string, Weighted<Structure>>();
  private readonly desksAnywhere: Weighted<Structure>;
  private readonly partners = new Map<number | string, Weighted<Structure> | null>();
  private readonly slowness = new Map<string, number>();
  private readonly nowDay: number;
  private readonly startDay: number;
  private readonly tenant: string;
  persons = 0;

  constructor(
    private readonly random: Random,
    private readonly territory: Territory,
    private readonly sinks: Sinks,
    private readonly options: PathwayOptions,
  ) {
    this.nowDay = parisDay(options.now);
    this.startDay = parisDay(options.windowStart);
    this.calendar = new Calendar(this.startDay - 400, this.nowDay + 400);
    this.identities = new IdentityFactory(random);
    this.residence = Weighted.of(territory.communes.map((c) => [c, c.weight] as const));
    const desks = territory.structures.filter((s) => s.firstDesk);
    this.desksAnywhere = Weighted.of(desks.map((s) => [s, s.weight] as const));
    for (const s of territory.structures) this.slowness.set(s.id, random.logNormal(1, 0.5));
    this.tenant = territory.tenantId;
  }

  /** The first desks a resident of this commune goes to: those with a site there, then in the EPCI. */
  private desksFor(commune: Commune | null): Weighted<Structure> {
    if (!commune) return this.desksAnywhere;
    let desks = this.desksNear.get(commune.inseeCode);
    if (!desks) {
      desks = Weighted.of(
        this.desksAnywhere.items.map((s) => {
          const here = s.sites.some((site) => site.communeInsee === commune.inseeCode);
          const near = s.epci !== null && s.epci === commune.epciCode;
          return [s, s.weight * (here ? 8 : near ? 1 : 0.02)] as const;
        }),
      );
      this.desksNear.set(commune.inseeCode, desks);
    }
    return desks;
  }

  /** The partner an orientation for this need goes to from `from`: by type for the need, nearby first. */
  private partnerFor(bouquet: NeedBouquetCode, from: Structure, young: boolean, exclude: readonly string[]): Structure | null {
    const key = exclude.length === 0 ? from.index * 64 + bouquet * 2 + (young ? 1 : 0) : `${from.index}:${bouquet}:${young}:${exclude.join(',')}`;
    let partners = this.partners.get(key);
    if (partners === undefined) {
      const types = new Map(PARTNERS[bouquet]);
      if (young && (bouquet === 11 || bouquet === 13)) types.set('mission_locale', (types.get('mission_locale') ?? 1) * 5);
      const candidates = this.territory.structures
        .filter((s) => s.id !== from.id && !exclude.includes(s.id) && types.has(s.type) && s.weight > 0)
        .map((s) => [s, (types.get(s.type) ?? 0) * Math.sqrt(s.weight) * (s.epci === from.epci ? 6 : 1) * (s.communeInsee === from.communeInsee ? 2 : 1)] as const);
      partners = candidates.length > 0 ? Weighted.of(candidates) : null;
      this.partners.set(key, partners);
    }
    return partners ? partners.draw(this.random) : null;
  }

  /** A professional of `s` working there at `at`, of the preferred role when there is one (drawn without allocating). */
  private agentOf(s: Structure, at: number, prefer?: Role): string {
    const agents = s.agents;
    for (let i = 0; i < 16; i++) {
      const a: Agent = agents[Math.floor(this.random.next() * agents.length)];
      if (a.from <= at && (a.to === null || a.to > at) && (!prefer || i >= 10 || a.role === prefer)) return a.userId;
    }
    return (agents.find((a) => a.from <= at && (a.to === null || a.to > at)) ?? agents[0]).userId;
  }

  /** The next desk time at or after `at` (a working day, office hours). */
  private deskTimeFrom(at: number): number {
    const day = this.calendar.openDayFrom(parisDay(at), this.random);
    const t = parisInstant(day, deskMinutes(this.random));
    if (t >= at) return t;
    return parisInstant(this.calendar.openDayFrom(parisDay(at) + 1, this.random), deskMinutes(this.random));
  }

  /** The daily job's run (06:00 Paris) that first sees `at` as past. */
  private jobRunAfter(at: number): number {
    const day = parisDay(at);
    const run = parisInstant(day, 6 * 60);
    return run >= at ? run : parisInstant(day + 1, 6 * 60);
  }

  /** Arrival of a new person: usage grew over the window (density from 0.7 to 1.3). */
  private arrivalDay(): number {
    const u = this.random.next();
    const x = (-0.7 + Math.sqrt(0.49 + 1.2 * u)) / 0.6;
    return this.calendar.openDayFrom(this.startDay + Math.floor(x * (this.nowDay - this.startDay)), this.random);
  }

  generatePerson(): void {
    const r = this.random;
    const { now } = this.options;
    const personId = r.uuid();
    const profile = PROFILES.draw(r);
    const noStableHome = r.chance(0.03);
    const commune = noStableHome || r.chance(0.07) ? null : this.residence.draw(r);
    const home = this.desksFor(commune).draw(r);
    const firstDay = this.arrivalDay();
    if (firstDay >= this.nowDay) return this.generatePerson();

    const target = profile === 'one_off' ? 1 + (r.chance(0.35) ? 1 : 0) : profile === 'occasional' ? 3 + r.geometric(8) : 12 + r.geometric(45);
    const firstAt = parisInstant(firstDay, deskMinutes(r));
    const identity = this.identities.make(firstAt, commune?.inseeCode ?? null, noStableHome, home);
    const young = identity.age <= 25;
    const senior = identity.age >= 62;
    const mainBouquets = [...new Set(Array.from({ length: r.int(1, 3) }, () => (young && r.chance(0.7) ? YOUNG_BOUQUETS : senior && r.chance(0.7) ? SENIOR_BOUQUETS : BOUQUETS).draw(r)))];

    const contacts: Contact[] = [];
    const requests: Request[] = [];
    const requestContacts: [string, string][] = [];
    const referrals: Referral[] = [];
    const consents: Consent[] = [];
    const follows = new Map<string, { since: number; reason: string }>();
    const inCharge: { structure: Structure; since: number }[] = [];
    const referentCandidates: { at: number; structure: Structure }[] = [];
    const follow = (s: Structure, since: number, reason: string) => {
      const current = follows.get(s.id);
      if (!current || current.since > since) follows.set(s.id, { since, reason });
    };

    if (r.chance(0.08)) {
      const agent = this.agentOf(home, firstAt);
      consents.push(this.newConsent('network_visibility', 'network', null, [], home, agent, firstAt - 3 * MINUTE_MS));
    }

    // The planned visits (a renewal process of the profile's rhythm), and the callbacks of senders after
    // a failed orientation (closing the loop: the sender hears of the failure and calls the person back).
    const callbacks: { at: number; structure: Structure; bouquet: NeedBouquetCode; avoid: string }[] = [];
    let day = firstDay;
    let n = 0;
    const nextVisit = (): { at: number; day: number } | null => {
      if (n >= target) return null;
      if (n > 0) {
        const gap = profile === 'one_off' ? r.int(1, 21) : profile === 'occasional' ? r.logNormal(30, 1.0) : r.logNormal(12, 0.8);
        day = this.calendar.openDayFrom(day + Math.max(1, Math.round(gap)), r);
        // Some accompanied people stop coming: lost from view.
        if (profile === 'accompanied' && r.chance(0.008)) return null;
      }
      return day < this.nowDay ? { at: parisInstant(day, 0), day } : null;
    };
    let planned = nextVisit();
    for (;;) {
      callbacks.sort((a, b) => a.at - b.at);
      const callback = callbacks[0];
      const isCallback = callback !== undefined && callback.at < now && (planned === null || callback.at < planned.at);
      if (!isCallback && planned === null) break;

      let structure = home;
      let followUp = false;
      let channel: ContactChannel;
      let at: number;
      let forced: NeedBouquetCode | null = null;
      let avoid: string[] = [];
      if (isCallback) {
        callbacks.shift();
        structure = callback.structure;
        channel = 'phone';
        at = callback.at;
        forced = callback.bouquet;
        avoid = [callback.avoid];
      } else {
        const visit = planned as { at: number; day: number };
        // Where: the first contact at the desk near home; then mostly there, at partners that took the person in charge, or elsewhere.
        if (n > 0) {
          const partners = inCharge.filter((p) => p.since <= visit.at);
          if (partners.length > 0 && r.chance(profile === 'accompanied' ? 0.45 : 0.25)) {
            structure = r.chance(0.7) ? partners[partners.length - 1].structure : r.pick(partners).structure;
            followUp = true;
          } else if (r.chance(0.1)) {
            structure = this.desksFor(commune).draw(r);
          }
        }
        channel = CHANNELS.draw(r);
        if (channel === 'itinerant' && !structure.sites.some((s) => s.kind === 'itinerant')) channel = 'in_person';
        at = parisInstant(visit.day, channel === 'email' || channel === 'mail' ? writtenMinutes(r) : deskMinutes(r));
        n++;
        planned = nextVisit();
        if (at >= now) continue;
      }
      const first = contacts.length === 0;
      const agent = this.agentOf(structure, at, channel === 'home_visit' ? 'social_worker' : undefined);
      const fixed = structure.sites.filter((s) => s.kind === 'fixed');
      let siteId: string | null = null;
      if (channel === 'itinerant') siteId = r.pick(structure.sites.filter((s) => s.kind === 'itinerant')).id;
      else if (channel === 'in_person') siteId = r.chance(0.6) ? fixed[0].id : r.pick(fixed).id;
      else if (channel !== 'home_visit' && r.chance(0.4)) siteId = fixed[0].id;

      const bouquets: NeedBouquetCode[] = forced ? [forced] : [];
      const needCount = forced ? 1 : r.chance(0.7) ? 1 : r.chance(0.83) ? 2 : 3;
      for (let i = 0; i < needCount * 3 && bouquets.length < needCount; i++) {
        const b = r.chance(0.8) ? r.pick(mainBouquets) : BOUQUETS.draw(r);
        if (!bouquets.includes(b)) bouquets.push(b);
      }
      const needs = bouquets.map((b) => ({ bouquet: b, subNeed: r.chance(0.6) ? r.pick(SUB_NEEDS[b]) : null }));
      const answer = (isCallback ? CALLBACK_ANSWERS : followUp ? FOLLOW_UP_ANSWERS : DESK_ANSWERS).draw(r);
      const contact: Contact = {
        id: r.uuid(),
        structure,
        siteId,
        agent,
        channel,
        at,
        minutes: Math.max(1, Math.min(600, Math.round(r.logNormal(MEDIAN_MINUTES[channel], 0.5)))),
        answer,
        needs,
        summary: r.chance(0.7) ? summaryOf(answer, needs[0].subNeed ?? (BOUQUET_LABEL.get(needs[0].bouquet) as string)) : null,
        privateNote: r.chance(0.04) ? r.pick(PRIVATE_NOTES) : null,
      };
      contacts.push(contact);
      follow(structure, at, first ? 'created' : 'contact');

      // Requests: touch the open one for the need at this structure, or open one.
      const requestOf = new Map<NeedBouquetCode, Request>();
      for (const need of needs) {
        let request = requests.find((q) => q.structureId === structure.id && q.bouquet === need.bouquet && q.openedAt < at && q.closedAt > at);
        if (!request && r.chance(OPENS_REQUEST[answer])) {
          request = this.newRequest(structure, need.bouquet, need.subNeed, answer, at, agent);
          requests.push(request);
        }
        if (request) {
          requestOf.set(need.bouquet, request);
          requestContacts.push([request.id, contact.id]);
          if (answer === 'support_started' && request.inProgressAt > at) {
            request.inProgressAt = at;
            request.inProgressBy = agent;
          }
        }
      }
      if (answer === 'support_started' && ACCOMPANYING_TYPES.includes(structure.type)) referentCandidates.push({ at, structure });

      // Orientations.
      const count = orientationCount(answer, isCallback, r);
      for (let k = 0; k < count; k++) {
        const need = k === 0 || needs.length === 1 ? needs[0] : r.pick(needs);
        const to = this.partnerFor(need.bouquet, structure, young, avoid);
        if (!to) continue;
        const sentAt = at + r.int(2, 25) * MINUTE_MS;
        if (sentAt >= now) continue;
        const request = requestOf.get(need.bouquet) ?? null;
        const categories = this.orientationCategories(consents, to, structure, agent, sentAt);
        const chain = this.orient(
          { from: structure, fromUser: agent, fromContact: contact.id, requestId: request?.id ?? null, parentId: null, to, bouquet: need.bouquet, categories, sentAt },
          young,
          consents,
          0,
        );
        referrals.push(...chain.referrals);
        for (const taken of chain.inCharge) {
          inCharge.push(taken);
          inCharge.sort((a, b) => a.since - b.since);
          follow(taken.structure, taken.since, 'referral');
          if (ACCOMPANYING_TYPES.includes(taken.structure.type)) referentCandidates.push({ at: taken.since, structure: taken.structure });
        }
        if (request) this.followRequest(request, sentAt, agent, chain.fate);
        if (chain.fate.kind === 'failed' && r.chance(0.65)) {
          callbacks.push({ at: this.deskTimeFrom(chain.fate.at + r.logNormal(6, 0.7) * DAY_MS), structure, bouquet: need.bouquet, avoid: chain.referrals[chain.referrals.length - 1].to.id });
        }
      }
    }
    if (contacts.length === 0) return this.generatePerson();

    // The retention job anonymises files without a contact for `retentionMonths` (the day after, 03:15 Paris).
    const last = contacts[contacts.length - 1].at;
    const due = new Date(last);
    due.setUTCMonth(due.getUTCMonth() + this.options.retentionMonths);
    const anonymizedAt = due.getTime() < now ? parisInstant(parisDay(due.getTime()) + 1, 3 * 60 + 15) : null;
    const anonymized = anonymizedAt !== null && anonymizedAt < now;

    const referents = this.referents(referentCandidates, profile, last, anonymized ? anonymizedAt : null, consents);
    this.persons++;
    this.write(personId, identity, contacts, requests, requestContacts, referrals, consents, referents, follows, anonymized ? anonymizedAt : null);
    const anonymous = r.geometric(this.options.anonymousPerPerson);
    for (let i = 0; i < anonymous; i++) this.anonymousContact();
  }

  private newRequest(structure: Structure, bouquet: NeedBouquetCode, subNeed: string | null, answer: ContactAnswer, at: number, agent: string): Request {
    const r = this.random;
    const forgotten = r.chance(0.015);
    const closedAt = forgotten ? Infinity : this.deskTimeFrom(at + r.logNormal(REQUEST_MEDIAN_DAYS[answer], 1.0) * DAY_MS);
    const noFollowUp = r.chance(0.22);
    return {
      id: r.uuid(),
      structureId: structure.id,
      bouquet,
      subNeed,
      description: r.chance(0.4) ? `Demande : ${(subNeed ?? (BOUQUET_LABEL.get(bouquet) as string)).toLowerCase()}` : null,
      openedAt: at,
      openedBy: agent,
      inProgressAt: Infinity,
      inProgressBy: null,
      closedAt,
      closedStatus: noFollowUp ? 'no_follow_up' : 'resolved',
      closedReason: noFollowUp ? r.pick(NO_FOLLOW_UP_REASONS) : r.chance(0.4) ? r.pick(RESOLVED_REASONS) : null,
      closedBy: null,
    };
  }

  /** An orientation sent for the request: it is in progress from then, and closes after the orientation's fate. */
  private followRequest(request: Request, sentAt: number, agent: string, fate: Fate): void {
    const r = this.random;
    if (request.inProgressAt > sentAt) {
      request.inProgressAt = sentAt;
      request.inProgressBy = agent;
    }
    if (fate.kind === 'pending') {
      request.closedAt = Infinity;
    } else if (fate.kind === 'stuck') {
      // The orientation will not move: most agents close the request some months later.
      request.closedAt = r.chance(0.6) ? this.deskTimeFrom(fate.at + r.logNormal(90, 0.6) * DAY_MS) : Infinity;
      request.closedStatus = r.chance(0.5) ? 'no_follow_up' : 'resolved';
      request.closedReason = request.closedStatus === 'no_follow_up' ? r.pick(NO_FOLLOW_UP_REASONS) : null;
    } else if (fate.kind === 'done') {
      request.closedAt = this.deskTimeFrom(fate.at + r.logNormal(4, 0.8) * DAY_MS);
      request.closedStatus = 'resolved';
      request.closedReason = r.chance(0.5) ? r.pick(RESOLVED_REASONS) : null;
    } else {
      const x = r.next();
      if (x < 0.45) {
        request.closedAt = this.deskTimeFrom(fate.at + r.logNormal(10, 0.8) * DAY_MS);
        request.closedStatus = 'no_follow_up';
        request.closedReason = r.pick(NO_FOLLOW_UP_REASONS);
      } else if (x < 0.9) {
        request.closedAt = this.deskTimeFrom(fate.at + r.logNormal(20, 0.8) * DAY_MS);
        request.closedStatus = 'resolved';
        request.closedReason = r.chance(0.4) ? r.pick(RESOLVED_REASONS) : null;
      } else {
        request.closedAt = Infinity;
      }
    }
  }

  private newConsent(
    purpose: Consent['purpose'],
    recipientKind: Consent['recipientKind'],
    recipient: Structure | null,
    categories: DataCategory[],
    by: Structure,
    agent: string,
    at: number,
  ): Consent {
    const r = this.random;
    const validUntil = purpose !== 'network_visibility' && r.chance(0.25) ? at + 365 * DAY_MS : null;
    // A few are withdrawn later (while still valid), by an agent of the structure that collected them.
    const withdrawal = r.chance(0.03) ? this.deskTimeFrom(at + r.logNormal(200, 0.8) * DAY_MS) : null;
    const withdrawnAt = withdrawal !== null && withdrawal < this.options.now && (validUntil === null || withdrawal < validUntil) ? withdrawal : null;
    return {
      id: r.uuid(),
      purpose,
      recipientKind,
      recipient,
      categories,
      method: METHODS.draw(r),
      collectedBy: agent,
      collectedAt: at,
      collectedByStructure: by,
      validUntil,
      withdrawnAt,
      withdrawnBy: withdrawnAt !== null ? this.agentOf(by, withdrawnAt) : null,
    };
  }

  /**
   * The data categories an orientation to `to` carries: what the sender wants to share, within an active
   * consent naming `to` (collected now, before sending, when there is none; sometimes none is given and
   * the orientation goes without information).
   */
  private orientationCategories(consents: Consent[], to: Structure, from: Structure, agent: string, sentAt: number): DataCategory[] {
    const r = this.random;
    if (r.chance(0.08)) return [];
    const wanted: DataCategory[] = r.chance(0.1) ? ['identity_contact'] : ['identity_contact', 'needs_requests'];
    if (r.chance(0.25)) wanted.push('resources_rights');
    if (r.chance(0.2)) wanted.push('family_housing');
    if (r.chance(0.1)) wanted.push('interview_summaries');
    if (r.chance(0.08)) wanted.push('documents');
    const active = this.activeConsent(consents, to, sentAt);
    if (active) return CATEGORY_ORDER(wanted.filter((c) => active.categories.includes(c)));
    if (r.chance(0.08)) return [];
    const categories = CATEGORY_ORDER(r.chance(0.2) ? [...wanted, 'resources_rights'] : wanted);
    consents.push(this.newConsent('orientation', 'structure', to, categories, from, agent, sentAt - r.int(1, 10) * MINUTE_MS));
    return CATEGORY_ORDER(wanted);
  }

  private activeConsent(consents: Consent[], to: Structure, at: number): Consent | undefined {
    return consents.find(
      (c) =>
        c.recipientKind === 'structure' &&
        c.recipient === to &&
        c.collectedAt <= at &&
        (c.validUntil === null || c.validUntil > at) &&
        (c.withdrawnAt === null || c.withdrawnAt > at),
    );
  }

  /**
   * Follows one orientation through its loop (and its réorientation, if any), cut at `now`. Returns the
   * orientations created, when the person was taken in charge (by whom), and how it ended.
   */
  private orient(
    o: Pick<Referral, 'from' | 'fromUser' | 'fromContact' | 'requestId' | 'parentId' | 'to' | 'bouquet' | 'categories' | 'sentAt'>,
    young: boolean,
    consents: Consent[],
    depth: number,
  ): { referrals: Referral[]; inCharge: { structure: Structure; since: number }[]; fate: Fate } {
    const r = this.random;
    const { now } = this.options;
    const slow = this.slowness.get(o.to.id) ?? 1;
    const services = o.to.services.filter((s) => s.bouquets.includes(o.bouquet));
    const referral: Referral = {
      ...o,
      id: r.uuid(),
      serviceId: services.length > 0 && r.chance(0.8) ? r.pick(services).id : o.to.services.length > 0 && r.chance(0.2) ? r.pick(o.to.services).id : null,
      message: r.chance(0.6) ? `Orientation pour ${(BOUQUET_LABEL.get(o.bouquet) as string).toLowerCase()} : merci de recontacter la personne.` : null,
      steps: [{ status: 'sent', at: o.sentAt, userId: o.fromUser, structureId: o.from.id }],
      refusalReason: null,
      redirectedTo: null,
      inChargeKind: null,
      inChargeAt: null,
      outcome: null,
      brokenLink: null,
      comment: null,
    };
    const out = { referrals: [referral], inCharge: [] as { structure: Structure; since: number }[], fate: { kind: 'pending', at: Infinity } as Fate };
    const receiver = (at: number) => this.agentOf(o.to, at, 'social_worker');
    const add = (status: Step['status'], at: number, userId: string | null, structureId: string | null): boolean => {
      if (at >= now) return false;
      referral.steps.push({ status, at, userId, structureId });
      return true;
    };

    // What will happen (drawn whole, then cut at now).
    const received = r.chance(0.85) ? this.deskTimeFrom(o.sentAt + r.logNormal(0.3, 1.2) * DAY_MS) : null;
    const x = r.next();
    const cancelledEarly = x < 0.025;
    const neverAnswered = !cancelledEarly && x < 0.025 + 0.03;
    let answerAt = this.deskTimeFrom(o.sentAt + r.logNormal(4 * slow, 0.9) * DAY_MS);
    if (received !== null && answerAt <= received) answerAt = received + r.int(5, 120) * MINUTE_MS;
    let unansweredUntil = answerAt;
    let cancelAt: number | null = null;
    if (cancelledEarly) cancelAt = this.deskTimeFrom(o.sentAt + r.logNormal(5, 0.8) * DAY_MS);
    else if (neverAnswered) cancelAt = r.chance(0.7) ? this.deskTimeFrom(o.sentAt + r.logNormal(60, 0.5) * DAY_MS) : null;
    if (cancelAt !== null || neverAnswered) unansweredUntil = cancelAt ?? Infinity;

    if (received !== null && received < unansweredUntil) add('received', received, receiver(received), o.to.id);
    // The daily job reminds then expires an orientation still unanswered.
    const remind = this.jobRunAfter(o.sentAt + this.options.reminderDays * DAY_MS);
    const expire = this.jobRunAfter(o.sentAt + this.options.expiryDays * DAY_MS);
    if (remind < unansweredUntil) add('reminded', remind, null, null);
    if (expire < unansweredUntil) add('expired', expire, null, null);

    if (cancelAt !== null) {
      if (add('cancelled', cancelAt, this.agentOf(o.from, cancelAt), o.from.id)) out.fate = { kind: 'cancelled', at: cancelAt };
      return this.finish(referral, out);
    }
    if (neverAnswered) {
      out.fate = { kind: 'stuck', at: o.sentAt };
      return this.finish(referral, out);
    }

    const answer = r.next();
    if (answer < 0.12 || (answer < 0.17 && depth >= 1)) {
      const reason = REFUSALS.draw(r);
      referral.refusalReason = reason;
      referral.brokenLink = REFUSAL_LINKS[reason].draw(r);
      if (reason === 'other' || r.chance(0.15)) referral.comment = 'Motif précisé à la personne par téléphone.';
      if (add('refused', answerAt, receiver(answerAt), o.to.id)) out.fate = { kind: 'failed', at: answerAt };
      else this.unanswer(referral);
      return this.finish(referral, out);
    }
    if (answer < 0.17) {
      const third = this.partnerFor(o.bouquet, o.to, young, [o.from.id]);
      if (third && answerAt < now) {
        const user = receiver(answerAt);
        referral.redirectedTo = third;
        add('redirected', answerAt, user, o.to.id);
        const childAt = answerAt + r.int(1, 5) * MINUTE_MS;
        if (childAt < now) {
          const active = this.activeConsent(consents, third, childAt);
          const child = this.orient(
            {
              from: o.to,
              fromUser: user,
              fromContact: null,
              requestId: o.requestId,
              parentId: referral.id,
              to: third,
              bouquet: o.bouquet,
              categories: active ? o.categories.filter((c) => active.categories.includes(c)) : [],
              sentAt: childAt,
            },
            young,
            consents,
            depth + 1,
          );
          out.referrals.push(...child.referrals);
          out.inCharge.push(...child.inCharge);
          out.fate = child.fate;
        }
        return this.finish(referral, out);
      }
    }
    // Accepted.
    if (!add('accepted', answerAt, receiver(answerAt), o.to.id)) return this.finish(referral, out);
    const y = r.next();
    if (y < 0.02) {
      const at = this.deskTimeFrom(answerAt + r.logNormal(10, 0.8) * DAY_MS);
      if (add('cancelled', at, this.agentOf(o.from, at), o.from.id)) out.fate = { kind: 'cancelled', at };
      return this.finish(referral, out);
    }
    if (y < 0.06) {
      // Accepted, never taken in charge: sometimes closed without result much later.
      out.fate = { kind: 'stuck', at: answerAt };
      if (r.chance(0.5)) this.close(referral, this.deskTimeFrom(answerAt + r.logNormal(60, 0.6) * DAY_MS), r.chance(0.5) ? 'unreachable' : 'abandoned', out);
      return this.finish(referral, out);
    }
    if (y < 0.12) {
      this.close(referral, this.deskTimeFrom(answerAt + r.logNormal(20, 0.8) * DAY_MS), r.pick(['unreachable', 'abandoned', 'not_done', 'other'] as const), out);
      return this.finish(referral, out);
    }
    const recordedAt = this.deskTimeFrom(answerAt + r.logNormal(11 * slow, 0.8) * DAY_MS);
    if (recordedAt >= now) return this.finish(referral, out);
    const appointment = r.chance(0.6);
    referral.inChargeKind = appointment ? 'appointment' : 'first_contact';
    referral.inChargeAt = appointment ? this.deskTimeFrom(recordedAt + r.int(0, 21) * DAY_MS) : recordedAt;
    add('in_charge', recordedAt, receiver(recordedAt), o.to.id);
    out.inCharge.push({ structure: o.to, since: recordedAt });
    if (r.chance(0.04)) {
      // Taken in charge, never closed: an accompaniment that goes on, or a loop left open.
      out.fate = { kind: 'stuck', at: recordedAt };
      return this.finish(referral, out);
    }
    const closeAt = this.deskTimeFrom(Math.max(referral.inChargeAt, recordedAt) + r.logNormal(40, 0.9) * DAY_MS);
    this.close(referral, closeAt, OUTCOMES.draw(r), out);
    return this.finish(referral, out);
  }

  private close(referral: Referral, at: number, outcome: 'done' | 'not_done' | 'unreachable' | 'abandoned' | 'other', out: { fate: Fate }): void {
    if (at >= this.options.now) return;
    const r = this.random;
    referral.outcome = outcome;
    if (outcome === 'not_done' || outcome === 'abandoned') referral.brokenLink = FAILURE_LINKS.draw(r);
    else if (outcome === 'unreachable' && r.chance(0.5)) referral.brokenLink = 2;
    else if (outcome === 'other' && r.chance(0.3)) referral.brokenLink = FAILURE_LINKS.draw(r);
    if (outcome === 'other') referral.comment = 'Situation réglée autrement, précisée à la personne.';
    referral.steps.push({ status: 'closed', at, userId: this.agentOf(referral.to, at, 'social_worker'), structureId: referral.to.id });
    out.fate = { kind: outcome === 'done' ? 'done' : 'failed', at };
  }

  /** A refusal drawn for after `now` did not happen yet: nothing of it is kept. */
  private unanswer(referral: Referral): void {
    referral.refusalReason = null;
    referral.brokenLink = null;
    referral.comment = null;
  }

  private finish<T>(referral: Referral, out: T): T {
    referral.steps.sort((a, b) => a.at - b.at);
    return out;
  }

  /**
   * The référents: designated (when an accompaniment starts, for most accompanied people) by the
   * structure that accompanies; sometimes replaced; ended when the accompaniment ends, or by the
   * retention job. Some stay active while the person is lost from view.
   */
  private referents(candidates: { at: number; structure: Structure }[], profile: Profile, lastContact: number, anonymizedAt: number | null, consents: Consent[]): Referent[] {
    const r = this.random;
    const { now } = this.options;
    const out: Referent[] = [];
    const chance = profile === 'accompanied' ? 0.85 : profile === 'occasional' ? 0.12 : 0.02;
    candidates.sort((a, b) => a.at - b.at);
    for (const c of candidates) {
      if (c.at >= now || (anonymizedAt !== null && c.at >= anonymizedAt)) continue;
      const active = out.find((x) => x.endedAt === null);
      if (active && (active.structure === c.structure || !r.chance(0.12))) continue;
      if (!active && !r.chance(chance)) continue;
      const userId = this.agentOf(c.structure, c.at, 'social_worker');
      const at = c.at + r.int(5, 30) * MINUTE_MS;
      if (active && at <= active.startedAt) continue;
      if (active) {
        active.endedAt = at;
        active.endedBy = userId;
        active.endedReason = 'replaced';
      }
      out.push({
        id: r.uuid(),
        userId,
        structure: c.structure,
        criteria: CRITERIA.filter(() => r.chance(0.6)),
        chosenWithPerson: r.chance(0.85),
        note: r.chance(0.2) ? 'Choisi avec la personne, qui connaît déjà ce professionnel.' : null,
        designatedBy: r.chance(0.8) ? userId : this.agentOf(c.structure, c.at),
        startedAt: at,
        endedAt: null,
        endedBy: null,
        endedReason: null,
      });
      if (out[out.length - 1].criteria.length === 0) out[out.length - 1].criteria = ['relevance'];
      if (r.chance(0.4)) {
        const categories = CATEGORY_ORDER(r.chance(0.5) ? ['identity_contact', 'needs_requests', 'interview_summaries'] : ['identity_contact', 'needs_requests']);
        consents.push(this.newConsent('coordinated_follow_up', 'parcours', null, categories, c.structure, userId, at - r.int(1, 10) * MINUTE_MS));
      }
    }
    const active = out.find((x) => x.endedAt === null);
    if (active) {
      if (anonymizedAt !== null) {
        active.endedAt = Math.max(anonymizedAt, active.startedAt);
        active.endedReason = 'retention';
      } else if (lastContact < now - 120 * DAY_MS && r.chance(0.8)) {
        const at = this.deskTimeFrom(Math.max(active.startedAt, lastContact) + r.logNormal(90, 0.5) * DAY_MS);
        if (at < now) {
          active.endedAt = at;
          active.endedBy = active.userId;
          active.endedReason = 'ended';
        }
      } else if (r.chance(0.02)) {
        const at = this.deskTimeFrom(active.startedAt + r.logNormal(120, 0.6) * DAY_MS);
        if (at < now) {
          active.endedAt = at;
          active.endedBy = active.userId;
          active.endedReason = 'person_request';
        }
      }
    }
    return out;
  }

  /** An anonymous contact (information given without opening a file), somewhere in the département. */
  private anonymousContact(): void {
    const r = this.random;
    const { now } = this.options;
    const structure = this.desksAnywhere.draw(r);
    const day = this.arrivalDay();
    let channel = CHANNELS.draw(r);
    if (channel === 'itinerant' || channel === 'home_visit') channel = 'in_person';
    const at = parisInstant(day, channel === 'email' || channel === 'mail' ? writtenMinutes(r) : deskMinutes(r));
    if (at >= now) return;
    const answer = ANONYMOUS_ANSWERS.draw(r);
    const bouquet = BOUQUETS.draw(r);
    const subNeed = r.chance(0.6) ? r.pick(SUB_NEEDS[bouquet]) : null;
    const fixed = structure.sites.filter((s) => s.kind === 'fixed');
    const id = r.uuid();
    const cutoff = new Date(now);
    cutoff.setUTCMonth(cutoff.getUTCMonth() - this.options.retentionMonths);
    // The retention job clears the free text of anonymous contacts past the delay.
    const summary = at >= cutoff.getTime() && r.chance(0.6) ? summaryOf(answer, subNeed ?? (BOUQUET_LABEL.get(bouquet) as string)) : null;
    this.pushContact([bouquet], null, [
      id,
      this.tenant,
      r.uuid(),
      null,
      structure.id,
      channel === 'in_person' ? r.pick(fixed).id : null,
      this.agentOf(structure, at),
      channel,
      iso(at),
      Math.max(1, Math.round(r.logNormal(6, 0.5))),
      answer,
      summary,
      null,
      iso(Math.min(now, at + r.int(0, 5) * MINUTE_MS)),
    ]);
    this.sinks.contact_need.push([this.tenant, id, 0, bouquet, subNeed, null]);
  }

  /**
   * A contact row, with `need_mask` (the bouquets of its needs as bits, kept by a trigger on contact_need)
   * and `previous_contact_at` (null for anonymous contacts) when the schema has them.
   */
  private pushContact(bouquets: readonly number[], previousAt: string | null, values: CopyValue[]): void {
    if (this.options.needMask) values.push(bouquets.reduce((mask, b) => mask | (1 << b), 0));
    if (this.options.previousContactAt) values.push(previousAt);
    this.sinks.contact.push(values);
  }

  private write(
    personId: string,
    identity: ReturnType<IdentityFactory['make']>,
    contacts: Contact[],
    requests: Request[],
    requestContacts: [string, string][],
    referrals: Referral[],
    consents: Consent[],
    referents: Referent[],
    follows: Map<string, { since: number; reason: string }>,
    anonymizedAt: number | null,
  ): void {
    const { now } = this.options;
    const t = this.tenant;
    const s = this.sinks;
    const r = this.random;
    const first = contacts[0];
    const createdAt = first.at - 2 * MINUTE_MS;
    const anonymized = anonymizedAt !== null;
    s.person.push(personRow(personId, t, identity, { structureId: first.structure.id, userId: first.agent, at: iso(createdAt), updatedAt: iso(createdAt) }, anonymized ? iso(anonymizedAt) : null));
    for (const [structureId, f] of follows) s.person_follow.push([t, personId, structureId, iso(f.since), f.reason]);
    const previous = this.options.previousContactAt ? previousContactAt(contacts) : null;
    for (const c of contacts) {
      this.pushContact(
        c.needs.map((n) => n.bouquet),
        previous?.get(c.id) ?? null,
        [
          c.id,
          t,
          r.uuid(),
          personId,
          c.structure.id,
          c.siteId,
          c.agent,
          c.channel,
          iso(c.at),
          c.minutes,
          c.answer,
          anonymized ? null : c.summary,
          anonymized ? null : c.privateNote,
          iso(Math.min(now, c.at + r.int(0, 5) * MINUTE_MS)),
        ],
      );
      for (const [position, need] of c.needs.entries()) s.contact_need.push([t, c.id, position, need.bouquet, need.subNeed, null]);
    }
    for (const q of requests) {
      const closed = q.closedAt < now;
      const inProgress = q.inProgressAt < now && (!closed || q.inProgressAt < q.closedAt);
      const status = closed ? q.closedStatus : inProgress ? 'in_progress' : 'open';
      const closedBy = closed ? this.agentOf(this.territory.byId.get(q.structureId) as Structure, q.closedAt) : null;
      let reason = closed ? q.closedReason : null;
      if (anonymized && reason !== null) reason = status === 'no_follow_up' ? ANONYMIZED_REASON : null;
      const changedAt = closed ? q.closedAt : inProgress ? q.inProgressAt : q.openedAt;
      s.request.push([
        q.id,
        t,
        personId,
        q.structureId,
        q.bouquet,
        q.subNeed,
        anonymized ? null : q.description,
        status,
        reason,
        iso(q.openedAt),
        closed ? iso(q.closedAt) : null,
        q.openedBy,
        closed ? closedBy : inProgress ? q.inProgressBy : null,
        iso(changedAt),
      ]);
    }
    for (const [requestId, contactId] of requestContacts) s.request_contact.push([t, requestId, contactId]);
    for (const f of referrals) this.writeReferral(personId, f, anonymized);
    for (const c of consents) {
      s.consent.push([
        c.id,
        t,
        r.uuid(),
        personId,
        c.purpose,
        c.recipientKind,
        c.recipient?.id ?? null,
        c.categories,
        c.method,
        consentNotice(c.collectedAt),
        c.collectedBy,
        c.collectedByStructure.id,
        iso(c.collectedAt),
        c.validUntil === null ? null : iso(c.validUntil),
        c.withdrawnAt === null ? null : iso(c.withdrawnAt),
        c.withdrawnAt === null ? null : c.withdrawnBy,
        c.withdrawnAt === null ? null : c.collectedByStructure.id,
      ]);
    }
    for (const x of referents) {
      s.referent.push([
        x.id,
        t,
        personId,
        x.userId,
        x.structure.id,
        x.criteria,
        x.chosenWithPerson,
        anonymized ? null : x.note,
        x.designatedBy,
        null,
        iso(x.startedAt),
        x.endedAt === null ? null : iso(x.endedAt),
        x.endedBy,
        x.endedReason,
      ]);
    }
  }

  private writeReferral(personId: string, f: Referral, anonymized: boolean): void {
    const t = this.tenant;
    let status: Step['status'] = 'sent';
    let receivedAt: number | null = null;
    let answeredAt: number | null = null;
    let cancelledAt: number | null = null;
    let closedAt: number | null = null;
    let remindedAt: number | null = null;
    let expiredAt: number | null = null;
    let inCharge = false;
    let updatedAt = f.sentAt;
    for (const step of f.steps) {
      this.sinks.referral_event.push([t, f.id, step.status, iso(step.at), step.userId, step.structureId]);
      switch (step.status) {
        case 'reminded':
          remindedAt = step.at;
          continue;
        case 'expired':
          expiredAt = step.at;
          continue;
        case 'received':
          receivedAt = step.at;
          break;
        case 'accepted':
        case 'refused':
        case 'redirected':
          answeredAt = step.at;
          break;
        case 'in_charge':
          inCharge = true;
          break;
        case 'closed':
          closedAt = step.at;
          break;
        case 'cancelled':
          cancelledAt = step.at;
          break;
        case 'sent':
          break;
      }
      status = step.status;
      updatedAt = step.at;
    }
    this.sinks.referral.push([
      f.id,
      t,
      this.random.uuid(),
      personId,
      f.from.id,
      f.fromUser,
      f.fromContact,
      f.requestId,
      f.parentId,
      f.to.id,
      f.serviceId,
      f.bouquet,
      anonymized ? null : f.message,
      f.categories,
      status,
      iso(f.sentAt),
      receivedAt === null ? null : iso(receivedAt),
      answeredAt === null ? null : iso(answeredAt),
      status === 'refused' ? f.refusalReason : null,
      status === 'redirected' ? (f.redirectedTo?.id ?? null) : null,
      inCharge ? f.inChargeKind : null,
      inCharge && f.inChargeAt !== null ? iso(f.inChargeAt) : null,
      closedAt === null ? null : iso(closedAt),
      status === 'closed' ? f.outcome : null,
      status === 'refused' || (status === 'closed' && f.outcome !== 'done') ? f.brokenLink : null,
      anonymized || !(status === 'refused' || status === 'closed') ? null : f.comment,
      cancelledAt === null ? null : iso(cancelledAt),
      remindedAt === null ? null : iso(remindedAt),
      expiredAt === null ? null : iso(expiredAt),
      iso(updatedAt),
    ] as CopyValue[]);
  }
}

/** How many orientations a contact sends, by its answer (a callback sends at most one). */
function orientationCount(answer: ContactAnswer, callback: boolean, r: Random): number {
  switch (answer) {
    case 'referral_needed':
      return callback || !r.chance(0.25) ? 1 : 2;
    case 'support_started':
      return r.chance(0.35) ? 1 : 0;
    case 'appointment':
      return r.chance(0.15) ? 1 : 0;
    case 'information':
    case 'procedure_done':
    case 'other':
      return r.chance(0.035) ? 1 : 0;
  }
}

/** The notice the person was given: one version a year, the current one for this year's consents. */
function consentNotice(at: number): string {
  const year = new Date(at).getUTCFullYear();
  return year >= Number(CONSENT_NOTICE_VERSION.slice(0, 4)) ? CONSENT_NOTICE_VERSION : `${year}-01`;
}
