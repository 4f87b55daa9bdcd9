/**
 * The operations of bench:load, as the web client calls them (web/src/app), and their mix.
 *
 * - search: the desk's search box — GET /api/persons/search?q=…&limit=8 (person-search.ts: 8 results),
 *   with what an agent types for a person their structure follows (a name prefix, name + first name…);
 * - person: opening a person's page (person-page.ts and its panels) — GET /api/persons/:id, then its
 *   /requests, /timeline, /referrals, /referents, /documents and /consents (the browser sends these six
 *   together once the person is loaded; here one after the other on the agent's connection);
 * - contact: the desk's « Enregistrer » — POST /api/contacts with the body buildContactRequest
 *   (contact-form.ts) makes, a fresh clientRequestId each time (see contactBody);
 * - orientation: the referral form's « Envoyer » — POST /api/referrals for a person the structure follows,
 *   to a structure the person's active consent names, sharing « identité et coordonnées » (the form's
 *   default), a fresh clientRequestId each time;
 * - inbox: « Orientations reçues » — GET /api/referrals/inbox (no filter: the page's default);
 * - dashboard: the agent's home page — /accueil for reception agents (GET /api/structures/:id/sites),
 *   /suivi for social workers (GET /api/structures/:id and its /sites) — and the header's bell, which
 *   asks GET /api/notifications/summary on every navigation.
 */
import { NEED_BOUQUET_CODES, type ContactAnswer, type ContactChannel, type CreateContactRequest, type CreateReferralRequest, type NeedBouquetCode } from '@passerelle/contracts';
import type autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { Random, Weighted } from '../scale/random';
import type { OrientationTarget, Session, StructureData } from './scenario';

export const OPERATIONS = ['search', 'person', 'contact', 'orientation', 'inbox', 'dashboard'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** Share of the agents doing each operation during a level (each gets one connection at least). */
export const MIX: Readonly<Record<Operation, number>> = { search: 30, person: 25, contact: 20, orientation: 5, inbox: 10, dashboard: 10 };

export const OPERATION_LABELS: Readonly<Record<Operation, string>> = {
  search: 'search persons',
  person: 'open a person (page)',
  contact: 'log a contact',
  orientation: 'create an orientation',
  inbox: 'read the inbox',
  dashboard: 'open the dashboard',
};

/** What an agent needs to do the operation with a request the API accepts. */
export function canDo(operation: Operation, data: StructureData | undefined): boolean {
  switch (operation) {
    case 'person':
    case 'contact':
      return (data?.persons.length ?? 0) > 0;
    case 'orientation':
      return (data?.orientations.length ?? 0) > 0;
    case 'search':
    case 'inbox':
    case 'dashboard':
      return true;
  }
}

const CHANNELS = Weighted.of<ContactChannel>([
  ['in_person', 60],
  ['phone', 30],
  ['email', 10],
]);
const ANSWERS = Weighted.of<ContactAnswer>([
  ['information', 40],
  ['procedure_done', 20],
  ['appointment', 17],
  ['referral_needed', 10],
  ['support_started', 5],
  ['other', 8],
]);
const SUMMARIES = [
  'Information sur les droits et les démarches en cours.',
  'Aide à la constitution du dossier ; pièces à rapporter.',
  'Point sur la situation ; rendez-vous proposé.',
  'Accompagnement à la démarche en ligne.',
  'Orientation à prévoir vers un partenaire.',
];

/**
 * A contact as the desk sends it: 8 % anonymous (information only), otherwise a person the structure
 * follows; 1–3 needs of distinct bouquets; the structure's first site (the form's default); a duration
 * for most; a shared summary for 60 %; a private note for 5 %; 12 % of the person contacts open a
 * request for their first need (the need's « ouvrir une demande » box).
 */
export function contactBody(data: StructureData, random: Random): CreateContactRequest {
  const anonymous = data.persons.length === 0 || random.chance(0.08);
  const channel = CHANNELS.draw(random);
  const needCount = anonymous ? 1 : random.chance(0.65) ? 1 : random.chance(0.85) ? 2 : 3;
  const bouquets = new Set<NeedBouquetCode>();
  while (bouquets.size < needCount) bouquets.add(random.pick(NEED_BOUQUET_CODES));
  const openRequest = !anonymous && random.chance(0.12);
  return {
    clientRequestId: randomUUID(),
    channel,
    siteId: data.siteId,
    durationMinutes: random.chance(0.2) ? null : channel === 'phone' ? random.int(3, 15) : random.int(5, 40),
    needs: [...bouquets].map((bouquet) => ({ bouquet, subNeed: null, detail: null })),
    answer: anonymous ? 'information' : ANSWERS.draw(random),
    summary: random.chance(0.6) ? random.pick(SUMMARIES) : null,
    privateNote: random.chance(0.05) ? 'Note de l’agent : rappeler la semaine prochaine.' : null,
    ...(openRequest ? { openRequestsForNeeds: [0] } : {}),
    personId: anonymous ? null : random.pick(data.persons).id,
  };
}

/** An orientation as the referral form sends it (categories: its default, « identité et coordonnées »). */
export function orientationBody(target: OrientationTarget): CreateReferralRequest {
  return {
    clientRequestId: randomUUID(),
    personId: target.personId,
    toStructureId: target.toStructureId,
    ...(target.toServiceId ? { toServiceId: target.toServiceId } : {}),
    bouquet: target.bouquet,
    message: 'Personne orientée pour un premier rendez-vous.',
    categories: ['identity_contact'],
  };
}

/** An error answer's code, for the report (the API answers { statusCode, code, message }). */
export type ErrorSink = (label: string, status: number, body: string) => void;

/** The sequence of requests one agent's connection repeats for an operation. */
export function requestsFor(operation: Operation, session: Session, data: StructureData, random: Random, onError: ErrorSink): autocannon.Request[] {
  const read = { accept: 'application/json', cookie: session.cookie };
  const write = { ...read, 'content-type': 'application/json', 'x-xsrf-token': session.csrfToken };
  const checked = (request: autocannon.Request): autocannon.Request => ({
    ...request,
    onResponse: (status, body) => {
      if (status < 200 || status >= 300) onError(request.label ?? operation, status, body);
    },
  });
  const get = (label: string, path: string | ((context: Record<string, unknown>) => string)): autocannon.Request =>
    checked({
      label,
      method: 'GET',
      headers: read,
      ...(typeof path === 'string' ? { path } : { setupRequest: (request, context) => ({ ...request, path: path(context) }) }),
    });
  switch (operation) {
    case 'search': {
      const searches = data.searches.length > 0 ? data.searches : ['mar', 'dupont ma', 'lef'];
      return [get('search', () => `/api/persons/search?q=${encodeURIComponent(random.pick(searches))}&limit=8`)];
    }
    case 'person': {
      const person = (context: Record<string, unknown>) => `/api/persons/${String(context['personId'])}`;
      return [
        checked({
          label: 'person',
          method: 'GET',
          headers: read,
          setupRequest: (request, context) => {
            context['personId'] = random.pick(data.persons).id;
            return { ...request, path: person(context) };
          },
        }),
        ...['requests', 'timeline', 'referrals', 'referents', 'documents', 'consents'].map((panel) => get(panel, (context) => `${person(context)}/${panel}`)),
      ];
    }
    case 'contact':
      return [
        checked({ label: 'contact', method: 'POST', path: '/api/contacts', headers: write, setupRequest: (request) => ({ ...request, body: JSON.stringify(contactBody(data, random)) }) }),
      ];
    case 'orientation':
      return [
        checked({
          label: 'orientation',
          method: 'POST',
          path: '/api/referrals',
          headers: write,
          setupRequest: (request) => ({ ...request, body: JSON.stringify(orientationBody(random.pick(data.orientations))) }),
        }),
      ];
    case 'inbox':
      return [get('inbox', '/api/referrals/inbox')];
    case 'dashboard': {
      const structure = `/api/structures/${session.structureId}`;
      return [
        ...(session.role === 'social_worker' ? [get('structure', structure)] : []),
        get('sites', `${structure}/sites`),
        get('notifications', '/api/notifications/summary'),
      ];
    }
  }
}
