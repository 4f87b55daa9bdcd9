import { CONSENT_NOTICE_VERSION, type Person } from '@passerelle/contracts';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { createTestApp, type TestApp, type TestSession } from '../../test/test-app';
import { extractPdfText } from './pdf/pdf-text.testing';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

type Agent = TestSession & { userId: string };

/** A surname no other test person resembles. */
const uniqueName = () => Array.from({ length: 9 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('').replace(/^./, (c) => c.toUpperCase());

/** GET a PDF, its body kept as bytes. */
function getPdf(agent: TestSession, url: string) {
  return agent
    .get(url)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
}
const bytes = (res: Response) => res.body as Buffer;
const json = (res: Response) => JSON.parse(bytes(res).toString('utf8')) as { code: string };

describe('printable notice, access log and subject-access export (integration)', () => {
  let t: TestApp;
  let structureA: string;
  let structureB: string;
  let agentA: Agent;
  let adminA: Agent;
  let partnerB: Agent;
  let adminB: Agent;
  let outsiderC: Agent;

  beforeAll(async () => {
    t = await createTestApp();
    structureA = (await t.createStructure({ name: 'France Services A (test notices)' })).id;
    structureB = (await t.createStructure({ name: 'Département B (test notices)', type: 'departmental_social_service' })).id;
    agentA = await t.signIn('reception_agent', structureA);
    adminA = await t.signIn('structure_admin', structureA);
    partnerB = await t.signIn('social_worker', structureB);
    adminB = await t.signIn('structure_admin', structureB);
    outsiderC = await t.signIn('social_worker');
  });
  afterAll(() => t.close());

  /** A person followed by A, who consented to share their identity with B. */
  async function personOfA(options: { consentToB: boolean }): Promise<{ id: string; lastName: string }> {
    const lastName = uniqueName();
    const created = await agentA.post('/api/persons', { usageLastName: lastName, firstNames: 'Camille', confirmNotDuplicate: true });
    expect(created.status).toBe(201);
    const id = (created.body as Person).id;
    if (options.consentToB) {
      const consent = await agentA.post(`/api/persons/${id}/consents`, {
        clientRequestId: randomUUID(),
        purpose: 'coordinated_follow_up',
        recipientKind: 'structure',
        recipientStructureId: structureB,
        categories: ['identity_contact', 'family_housing'],
        collectionMethod: 'signed_paper',
        noticeVersion: CONSENT_NOTICE_VERSION,
      });
      expect(consent.status).toBe(201);
    }
    return { id, lastName };
  }

  const auditRows = async (personId: string, action: string): Promise<{ user_id: string; structure_id: string; outcome: string }[]> =>
    t.dataSource.query(`SELECT user_id, structure_id, outcome FROM audit_event WHERE entity_type = 'person' AND entity_id = $1 AND action = $2`, [
      personId,
      action,
    ]);

  describe('GET /api/persons/:id/consents/notice.pdf', () => {
    it('hands a structure that follows the person the notice with their consents, as a PDF download, audited', async () => {
      const person = await personOfA({ consentToB: true });
      const res = await getPdf(agentA, `/api/persons/${person.id}/consents/notice.pdf`);

      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toBe('attachment; filename="notice-consentement.pdf"');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(bytes(res).subarray(0, 5).toString()).toBe('%PDF-');
      expect(Number(res.headers['content-length'])).toBe(bytes(res).length);

      const { text } = await extractPdfText(bytes(res));
      expect(text).toContain(`Personne concernée : Camille ${person.lastName.toUpperCase()}`);
      expect(text).toContain('France Services A (test notices) enregistre dans Passerelle');
      expect(text).toContain('1. Département B (test notices)');
      expect(text).toContain('Identité et coordonnées, Situation familiale et logement');
      expect(text).toContain('Jusqu’à ce que vous retiriez votre accord');
      expect(text).toContain('Dominique Test, France Services A (test notices)');
      expect(text).toContain(`version ${CONSENT_NOTICE_VERSION}`);

      const audit = await auditRows(person.id, 'consent.notice.print');
      expect(audit).toEqual([{ user_id: agentA.userId, structure_id: structureA, outcome: 'success' }]);
    });

    it('is a blank consent form when the person has no active consent', async () => {
      const person = await personOfA({ consentToB: false });
      const res = await getPdf(agentA, `/api/persons/${person.id}/consents/notice.pdf`);
      expect(res.status).toBe(200);
      const { text } = await extractPdfText(bytes(res));
      expect(text).toContain('Aucun partage n’est enregistré pour l’instant');
      expect(text).toContain('Avec la ou les structures suivantes :');
    });

    it('refuses a structure that only has a consent (403), and is 404 for an unknown person or one the caller cannot see', async () => {
      const person = await personOfA({ consentToB: true });

      const partner = await getPdf(partnerB, `/api/persons/${person.id}/consents/notice.pdf`);
      expect(partner.status).toBe(403);
      expect(partner.headers['content-type']).toMatch(/^application\/json/);
      expect(json(partner).code).toBe('FORBIDDEN');

      const unknown = await getPdf(agentA, `/api/persons/${UNKNOWN_ID}/consents/notice.pdf`);
      expect(unknown.status).toBe(404);
      expect(json(unknown).code).toBe('NOT_FOUND');
      expect((await getPdf(outsiderC, `/api/persons/${person.id}/consents/notice.pdf`)).status).toBe(404);
      expect((await getPdf(agentA, `/api/persons/not-a-uuid/consents/notice.pdf`)).status).toBe(400);

      expect(await auditRows(person.id, 'consent.notice.print')).toEqual([]);
    });
  });

  describe('GET /api/persons/:id/access-log.pdf', () => {
    it('gives the admin of a following structure the access log as a PDF table', async () => {
      const person = await personOfA({ consentToB: true });
      expect((await getPdf(agentA, `/api/persons/${person.id}/consents/notice.pdf`)).status).toBe(200);

      const res = await getPdf(adminA, `/api/persons/${person.id}/access-log.pdf`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toBe('attachment; filename="journal-des-acces.pdf"');
      expect(res.headers['cache-control']).toBe('no-store');

      const { text } = await extractPdfText(bytes(res));
      expect(text).toContain('Journal des accès au dossier');
      expect(text).toContain(`Personne : Camille ${person.lastName.toUpperCase()}`);
      expect(text).toContain('par France Services A (test notices)');
      expect(text).toContain('Création du dossier');
      expect(text).toContain('Recueil d’un consentement');
      expect(text).toContain('Impression de la notice de consentement');
      expect(text).toContain('France Services A (test notices)');
      expect(await auditRows(person.id, 'person.access_log.read')).toHaveLength(1);
    });

    it('is refused to a reception agent, and to the admin of a structure that only has a consent', async () => {
      const person = await personOfA({ consentToB: true });
      const reception = await getPdf(agentA, `/api/persons/${person.id}/access-log.pdf`);
      expect(reception.status).toBe(403);
      expect(json(reception).code).toBe('FORBIDDEN');
      expect((await getPdf(adminB, `/api/persons/${person.id}/access-log.pdf`)).status).toBe(403);
      expect((await getPdf(adminA, `/api/persons/${UNKNOWN_ID}/access-log.pdf`)).status).toBe(404);
    });
  });

  describe('GET /api/persons/:id/export.pdf', () => {
    it('gives the admin of a following structure everything held on the person, readable by them, audited as the export', async () => {
      const person = await personOfA({ consentToB: true });
      const summary = `Synthèse ${uniqueName()} : dossier APL à compléter.`;
      const privateNote = `Note ${uniqueName()} : rappeler jeudi.`;
      const contact = await agentA.post('/api/contacts', {
        clientRequestId: randomUUID(),
        personId: person.id,
        channel: 'phone',
        needs: [{ bouquet: 14, subNeed: null, detail: null }],
        answer: 'information',
        summary,
        privateNote,
        openRequestsForNeeds: [0],
      });
      expect(contact.status).toBe(201);
      const message = `Orientation ${uniqueName()} : aide au dossier APL.`;
      const referral = await agentA.post('/api/referrals', {
        clientRequestId: randomUUID(),
        personId: person.id,
        toStructureId: structureB,
        bouquet: 14,
        message,
        categories: ['identity_contact'],
      });
      expect(referral.status).toBe(201);
      const refused = await partnerB.post(`/api/referrals/${referral.body.id}/status`, { status: 'refused', refusalReason: 'no_capacity', brokenLink: 3 });
      expect(refused.status).toBe(200);
      const referent = await agentA.post(`/api/persons/${person.id}/referent`, {
        userId: agentA.userId,
        criteria: ['person_preference'],
        chosenWithPerson: true,
        criteriaNote: 'Connaît la famille',
      });
      expect(referent.status).toBe(200);

      const res = await getPdf(adminA, `/api/persons/${person.id}/export.pdf`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toBe('attachment; filename="donnees-personne.pdf"');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(bytes(res).subarray(0, 5).toString()).toBe('%PDF-');

      const { text } = await extractPdfText(bytes(res));
      expect(text).toContain('Vos données détenues par France Services A (test notices)');
      expect(text).toContain(`Personne concernée : Camille ${person.lastName.toUpperCase()}`);
      expect(text).toContain(`Nom d’usage : ${person.lastName}`);
      expect(text).toContain('Canal : Téléphone');
      expect(text).toContain('Hébergement / logement');
      expect(text).toContain(`Synthèse : ${summary}`);
      expect(text).toContain(`Note interne de France Services A (test notices) : ${privateNote}`);
      expect(text).toContain('État : Ouverte');
      expect(text).toContain('1. Département B (test notices)');
      expect(text).toContain('Recueil d’un consentement'); // the access log
      expect(text).toContain('Aucun document enregistré.');
      expect(text).toContain('Aucun accès exceptionnel.');
      // Orientations, référent de parcours, handoffs.
      expect(text).toContain('France Services A (test notices) vers Département B (test notices)');
      expect(text).toContain('État : Refusée le');
      expect(text).toContain('Motif du refus : Plus de place ou délai trop long');
      expect(text).toContain('Ce qui a fait obstacle : Délais d’attente');
      expect(text).toContain(`Message : ${message}`);
      expect(text).toContain('Dominique Test (France Services A (test notices)) Période : depuis le');
      expect(text).toContain('Critères du choix : Choix ou préférence de la personne');
      expect(text).toContain('Précisions de France Services A (test notices) : Connaît la famille');
      expect(text).toContain('Aucun passage de relais enregistré.');
      expect(text).not.toContain('Dossier anonymisé');

      const audit = await auditRows(person.id, 'person.export');
      expect(audit).toEqual([{ user_id: adminA.userId, structure_id: structureA, outcome: 'success' }]);
    });

    it('says near the top when the file is anonymised', async () => {
      const person = await personOfA({ consentToB: false });
      const erased = await adminA.post(`/api/persons/${person.id}/erasure`, { basis: 'person_request', confirmation: 'EFFACER' });
      expect(erased.status).toBe(200);
      const res = await getPdf(adminA, `/api/persons/${person.id}/export.pdf`);
      expect(res.status).toBe(200);
      const { text } = await extractPdfText(bytes(res));
      expect(text).toContain('Dossier anonymisé le ');
      expect(text.indexOf('Dossier anonymisé le ')).toBeLessThan(text.indexOf('Ce que contient ce document'));
      expect(text).not.toContain(person.lastName);
    });

    it('is refused to a reception agent and to the admin of a structure that only has a consent (403), and is 404 for an unknown person', async () => {
      const person = await personOfA({ consentToB: true });
      const reception = await getPdf(agentA, `/api/persons/${person.id}/export.pdf`);
      expect(reception.status).toBe(403);
      expect(json(reception).code).toBe('FORBIDDEN');
      const partner = await getPdf(adminB, `/api/persons/${person.id}/export.pdf`);
      expect(partner.status).toBe(403);
      expect(partner.headers['content-type']).toMatch(/^application\/json/);
      expect(json(partner).code).toBe('FORBIDDEN');

      const unknown = await getPdf(adminA, `/api/persons/${UNKNOWN_ID}/export.pdf`);
      expect(unknown.status).toBe(404);
      expect(json(unknown).code).toBe('NOT_FOUND');
      expect((await getPdf(adminA, `/api/persons/not-a-uuid/export.pdf`)).status).toBe(400);

      expect(await auditRows(person.id, 'person.export')).toEqual([]);
    });
  });
});
