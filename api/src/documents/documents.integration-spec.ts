import { CONSENT_NOTICE_VERSION, DOCUMENT_MAX_BYTES, type DataCategory, type PersonDocument } from '@passerelle/contracts';
import { createHash, randomUUID } from 'node:crypto';
import { createTestApp, type TestApp, type TestSession } from '../../test/test-app';
import { insertPerson } from '../contacts/testing/reception-fixtures';
import { RetentionService } from '../retention/retention.service';

type Agent = TestSession & { userId: string };

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

describe('documents — armoire numérique (integration)', () => {
  let t: TestApp;
  let structureA: string;
  let structureB: string;
  let agentA: Agent;
  let agentB: Agent;
  let agentC: Agent;

  beforeAll(async () => {
    t = await createTestApp();
    structureA = (await t.createStructure({ name: 'France Services A (test documents)' })).id;
    structureB = (await t.createStructure({ name: 'CCAS B (test documents)' })).id;
    agentA = await t.signIn('reception_agent', structureA);
    agentB = await t.signIn('social_worker', structureB);
    agentC = await t.signIn('social_worker');
  });
  afterAll(() => t.close());

  const person = () => insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId: structureA });

  function upload(agent: Agent, personId: string, fields: Record<string, string>, file?: { bytes: Buffer; name: string; type: string }) {
    let req = t
      .http()
      .post(`/api/persons/${personId}/documents`)
      .set('Cookie', agent.cookies)
      .set('X-XSRF-TOKEN', agent.csrfToken);
    for (const [key, value] of Object.entries(fields)) req = req.field(key, value);
    if (file) req = req.attach('file', file.bytes, { filename: file.name, contentType: file.type });
    return req;
  }
  const idCard = { kind: 'identity', category: 'identity_contact', title: 'Carte d’identité' };
  const letter = { kind: 'letter', category: 'documents', title: 'Courrier CAF' };
  const pdf = { bytes: PDF, name: 'cni.pdf', type: 'application/pdf' };

  async function shareWithB(personId: string, categories: DataCategory[]) {
    const res = await agentA.post(`/api/persons/${personId}/consents`, {
      clientRequestId: randomUUID(),
      purpose: 'orientation',
      recipientKind: 'structure',
      recipientStructureId: structureB,
      categories,
      collectionMethod: 'oral',
      noticeVersion: CONSENT_NOTICE_VERSION,
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  it('stores an upload with its type from the content and its SHA-256, lists it, and gives it back intact (audited)', async () => {
    const personId = await person();
    const res = await upload(agentA, personId, idCard, pdf);
    expect(res.status).toBe(201);
    const doc = res.body as PersonDocument;
    expect(doc).toMatchObject({
      personId,
      structureId: structureA,
      structureName: 'France Services A (test documents)',
      kind: 'identity',
      category: 'identity_contact',
      title: 'Carte d’identité',
      mediaType: 'application/pdf',
      sizeBytes: PDF.length,
      sha256: createHash('sha256').update(PDF).digest('hex'),
    });
    expect(((await agentA.get(`/api/persons/${personId}/documents`)).body as PersonDocument[]).map((d) => d.id)).toEqual([doc.id]);

    const download = await agentA.get(`/api/persons/${personId}/documents/${doc.id}/content`).buffer(true);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="document\.pdf"; filename\*=UTF-8''Carte%20d/);
    expect(download.headers['cache-control']).toBe('no-store');
    expect(Buffer.compare(download.body as Buffer, PDF)).toBe(0);

    const audit = await t.dataSource.query(`SELECT action, reason FROM audit_event WHERE entity_id = $1 AND action LIKE '%document%' ORDER BY id`, [personId]);
    expect(audit).toEqual([
      { action: 'document.upload', reason: 'identity:identity_contact' },
      { action: 'person.documents.read', reason: 'followed_by_my_structure' },
      { action: 'document.download', reason: doc.id },
    ]);
  });

  it('recognises the type from the content, not the name, and refuses what is not a PDF or an image (415), a missing file (400), a big one (413)', async () => {
    const personId = await person();
    const png = await upload(agentA, personId, idCard, { bytes: PNG, name: 'scan.pdf', type: 'application/pdf' });
    expect(png.status).toBe(201);
    expect(png.body.mediaType).toBe('image/png');

    for (const file of [
      { bytes: Buffer.from('Bonjour, ceci est du texte.'), name: 'faux.pdf', type: 'application/pdf' },
      { bytes: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]), name: 'programme.pdf', type: 'application/pdf' },
      { bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), name: 'image.png', type: 'image/png' },
    ]) {
      const res = await upload(agentA, personId, idCard, file);
      expect({ name: file.name, status: res.status, code: res.body.code }).toEqual({ name: file.name, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    }
    const missing = await upload(agentA, personId, idCard);
    expect({ status: missing.status, code: missing.body.code, field: missing.body.details?.[0]?.field }).toEqual({ status: 400, code: 'VALIDATION_FAILED', field: 'file' });
    const big = await upload(agentA, personId, idCard, { bytes: Buffer.concat([PDF, Buffer.alloc(DOCUMENT_MAX_BYTES)]), name: 'gros.pdf', type: 'application/pdf' });
    expect({ status: big.status, code: big.body.code }).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    for (const fields of [{ ...idCard, kind: 'passport_scan' }, { ...idCard, category: 'health' }, { ...idCard, title: ' ' }, { ...idCard, extra: 'x' }]) {
      expect((await upload(agentA, personId, fields, pdf)).status).toBe(400);
    }
    const stored = await t.dataSource.query(`SELECT count(*)::int AS n FROM document WHERE person_id = $1`, [personId]);
    expect(stored[0].n).toBe(1);
  });

  it('shows a partner only the documents whose category the person shares with it, until withdrawal; only followers upload', async () => {
    const personId = await person();
    const id = (await upload(agentA, personId, idCard, pdf)).body as PersonDocument;
    const caf = (await upload(agentA, personId, letter, pdf)).body as PersonDocument;
    expect((await agentB.get(`/api/persons/${personId}/documents`)).status).toBe(404);
    expect((await agentB.get(`/api/persons/${personId}/documents/${id.id}/content`)).status).toBe(404);

    const consentId = await shareWithB(personId, ['identity_contact']);
    const seen = (await agentB.get(`/api/persons/${personId}/documents`)).body as PersonDocument[];
    expect(seen.map((d) => d.id)).toEqual([id.id]);
    expect((await agentB.get(`/api/persons/${personId}/documents/${id.id}/content`)).status).toBe(200);
    expect((await agentB.get(`/api/persons/${personId}/documents/${caf.id}/content`)).status).toBe(404);
    expect((await upload(agentB, personId, letter, pdf)).status).toBe(403);

    await shareWithB(personId, ['documents']);
    expect(((await agentB.get(`/api/persons/${personId}/documents`)).body as PersonDocument[]).map((d) => d.id).sort()).toEqual([id.id, caf.id].sort());

    await agentA.post(`/api/persons/${personId}/consents/${consentId}/withdraw`);
    expect(((await agentB.get(`/api/persons/${personId}/documents`)).body as PersonDocument[]).map((d) => d.id)).toEqual([caf.id]);
    expect((await agentC.get(`/api/persons/${personId}/documents`)).status).toBe(404);
  });

  it('refuses to hand over content that no longer matches its SHA-256, and traces it', async () => {
    const personId = await person();
    const doc = (await upload(agentA, personId, idCard, pdf)).body as PersonDocument;
    await t.dataSource.query(`UPDATE document_content SET content = $2 WHERE document_id = $1`, [doc.id, Buffer.from('%PDF-1.4 altéré')]);
    const res = await agentA.get(`/api/persons/${personId}/documents/${doc.id}/content`);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 500, code: 'INTEGRITY_ERROR' });
    const audit = await t.dataSource.query(`SELECT outcome, reason FROM audit_event WHERE entity_id = $1 AND action = 'document.download'`, [personId]);
    expect(audit).toEqual([{ outcome: 'failure', reason: 'integrity' }]);
  });

  it('deletes the documents of a file anonymised by the retention job', async () => {
    const personId = await person();
    const doc = (await upload(agentA, personId, idCard, pdf)).body as PersonDocument;
    const kept = await person();
    await upload(agentA, kept, letter, pdf);
    await t.dataSource.query(`UPDATE person SET created_at = now() - interval '30 months' WHERE id = $1`, [personId]);
    await t.app.get(RetentionService).run(new Date());
    const left = await t.dataSource.query(`SELECT person_id FROM document WHERE person_id = ANY($1::uuid[])`, [[personId, kept]]);
    expect(left).toEqual([{ person_id: kept }]);
    expect(await t.dataSource.query(`SELECT 1 FROM document_content WHERE document_id = $1`, [doc.id])).toEqual([]);
  });
});
