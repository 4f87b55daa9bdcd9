import type { Site, Structure } from '@passerelle/contracts';
import { createTestApp, type TestApp } from '../../test/test-app';
import { TerritoryService } from '../territory/territory.service';
import { SiteEntity } from './site.entity';
import { StructureEntity } from './structure.entity';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('structures and sites (integration)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const auditRows = (entityId: string) =>
    t.dataSource.query(`SELECT action, entity_type, user_id, reason FROM audit_event WHERE entity_id = $1 ORDER BY id`, [entityId]);
  const fields = (body: { details?: { field: string }[] }) => (body.details ?? []).map((d) => d.field);
  const addSite = (structureId: string, input: Partial<SiteEntity> = {}) =>
    t.dataSource.manager.save(
      t.dataSource.manager.create(SiteEntity, { tenantId: t.tenant.id, structureId, name: 'Accueil', kind: 'fixed', communeInsee: '05061', ...input }),
    );

  it('lists the tenant’s structures to any role, sorted by name, with commune name and number of active sites', async () => {
    const zebre = await t.createStructure({ name: 'Zèbre solidaire (test tri)', type: 'association', communeInsee: '05023' });
    const abeille = await t.createStructure({ name: 'Âbeille CCAS (test tri)', type: 'ccas', communeInsee: '05061' });
    await addSite(abeille.id);
    await addSite(abeille.id, { name: 'Antenne' });
    await addSite(abeille.id, { name: 'Ancienne antenne', active: false });

    const s = await t.signIn('reception_agent');
    const res = await s.get('/api/structures');
    expect(res.status).toBe(200);
    const list = res.body as Structure[];
    const names = list.map((x) => x.name);
    expect(names.indexOf(abeille.name)).toBeLessThan(names.indexOf(zebre.name));
    expect(list.find((x) => x.id === abeille.id)).toEqual({
      id: abeille.id,
      name: abeille.name,
      type: 'ccas',
      siret: null,
      email: null,
      phone: null,
      communeInsee: '05061',
      communeName: 'Gap',
      active: true,
      siteCount: 2,
    });
    expect(list.find((x) => x.id === zebre.id)).toMatchObject({ communeName: 'Briançon', siteCount: 0 });

    const filtered = await s.get('/api/structures?type=association&q=zebre');
    expect(filtered.status).toBe(200);
    expect((filtered.body as Structure[]).map((x) => x.id)).toEqual([zebre.id]);
    const byCommune = await s.get('/api/structures?q=brianc');
    expect((byCommune.body as Structure[]).map((x) => x.id)).toContain(zebre.id);
    expect((await s.get('/api/structures?type=unknown')).status).toBe(400);
  });

  it('gets one structure for any role; unknown id → 404, malformed id → 400', async () => {
    const structure = await t.createStructure({ name: 'Mission locale (test get)', type: 'mission_locale' });
    const s = await t.signIn('social_worker');
    const res = await s.get(`/api/structures/${structure.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: structure.id, name: structure.name, type: 'mission_locale', communeName: 'Gap' });
    expect((await s.get(`/api/structures/${UNKNOWN_ID}`)).body.code).toBe('NOT_FOUND');
    const bad = await s.get('/api/structures/not-a-uuid');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('lets the platform admin create a structure (normalised fields, audited); a structure admin gets 403', async () => {
    const admin = await t.signIn('platform_admin');
    const res = await admin.post('/api/structures', {
      name: '  France Services de Laragne  ',
      type: 'france_services',
      siret: '732 829 320 00074',
      email: 'accueil@fs-laragne.fr',
      phone: '04 92 00 00 00',
      communeInsee: '05070',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'France Services de Laragne',
      type: 'france_services',
      siret: '73282932000074',
      email: 'accueil@fs-laragne.fr',
      phone: '0492000000',
      communeInsee: '05070',
      communeName: 'Laragne-Montéglin',
      active: true,
      siteCount: 0,
    });
    expect(await auditRows(res.body.id)).toEqual([{ action: 'structure.create', entity_type: 'structure', user_id: admin.userId, reason: null }]);

    const structureAdmin = await t.signIn('structure_admin');
    const refused = await structureAdmin.post('/api/structures', { name: 'Structure non autorisée', type: 'other' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM structure WHERE name = 'Structure non autorisée'`);
    expect(n).toBe(0);
  });

  it('refuses invalid structures with 400 and field details', async () => {
    const admin = await t.signIn('platform_admin');
    const badSiret = await admin.post('/api/structures', { name: 'SIRET faux', type: 'ccas', siret: '73282932000075' });
    expect(badSiret.status).toBe(400);
    expect(badSiret.body.code).toBe('VALIDATION_FAILED');
    expect(badSiret.body.details).toEqual([{ field: 'siret', messages: [expect.stringContaining('clé de contrôle')] }]);

    const laPoste = await admin.post('/api/structures', { name: 'La Poste — bureau (test SIRET)', type: 'other', siret: '35600000049837' });
    expect(laPoste.status).toBe(201);

    const foreignCommune = await admin.post('/api/structures', { name: 'Commune iséroise', type: 'mairie', communeInsee: '38185' });
    expect(foreignCommune.status).toBe(400);
    expect(foreignCommune.body.message).toContain('ne fait pas partie de votre département');
    expect(fields(foreignCommune.body)).toEqual(['communeInsee']);

    const many = await admin.post('/api/structures', { name: ' ', type: 'bank', email: 'pas-une-adresse', phone: '12 34', extra: true });
    expect(many.status).toBe(400);
    expect(fields(many.body)).toEqual(expect.arrayContaining(['name', 'type', 'email', 'phone', 'extra']));
  });

  it('refuses a duplicate name in the tenant (case-insensitive) with 409, on create and on rename', async () => {
    const admin = await t.signIn('platform_admin');
    const first = await admin.post('/api/structures', { name: 'CCAS de Tallard', type: 'ccas' });
    expect(first.status).toBe(201);
    const dup = await admin.post('/api/structures', { name: 'ccas de tallard', type: 'ccas' });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('existe déjà') });

    const other = await admin.post('/api/structures', { name: 'CCAS de Veynes', type: 'ccas' });
    const rename = await admin.patch(`/api/structures/${other.body.id}`, { name: 'CCAS DE TALLARD' });
    expect(rename.status).toBe(409);
    // Renaming a structure to its own name (other case) is fine.
    expect((await admin.patch(`/api/structures/${other.body.id}`, { name: 'CCAS de VEYNES' })).status).toBe(200);
  });

  it('lets a structure admin update their own structure only, and only the platform admin (de)activate it', async () => {
    const own = await t.createStructure({ name: 'CCAS d’Embrun (test patch)', communeInsee: '05046' });
    const other = await t.createStructure({ name: 'CCAS de Chorges (test patch)' });
    const admin = await t.signIn('structure_admin', own.id);

    const res = await admin.patch(`/api/structures/${own.id}`, { phone: '+33 4 92 43 00 00', email: 'ccas@embrun.fr', siret: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: own.id, phone: '0492430000', email: 'ccas@embrun.fr', siret: null, communeName: 'Embrun' });
    expect(await auditRows(own.id)).toEqual([{ action: 'structure.update', entity_type: 'structure', user_id: admin.userId, reason: null }]);

    expect((await admin.patch(`/api/structures/${other.id}`, { phone: '0492000000' })).status).toBe(403);
    expect((await admin.patch(`/api/structures/${own.id}`, { active: false })).status).toBe(403);
    expect((await admin.patch(`/api/structures/${own.id}`, { name: null })).status).toBe(400);
    const [row] = await t.dataSource.query(`SELECT phone, active FROM structure WHERE id = $1`, [other.id]);
    expect(row).toEqual({ phone: null, active: true });

    const reception = await t.signIn('reception_agent', own.id);
    expect((await reception.patch(`/api/structures/${own.id}`, { phone: '0492000000' })).status).toBe(403);

    const platform = await t.signIn('platform_admin');
    const deactivated = await platform.patch(`/api/structures/${other.id}`, { active: false });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);
    expect(await auditRows(other.id)).toEqual([expect.objectContaining({ action: 'structure.update', reason: 'deactivated' })]);
  });

  it('creates and updates sites: canonical opening hours, RRULE for itinerant permanences, commune of the tenant', async () => {
    const structure = await t.createStructure({ name: 'France Services du Queyras (test sites)', type: 'france_services' });
    const admin = await t.signIn('structure_admin', structure.id);
    const base = `/api/structures/${structure.id}/sites`;

    const fixed = await admin.post(base, { name: 'Maison France Services', kind: 'fixed', address: '1 rue Centrale', communeInsee: '05003', openingHours: 'Mo-Fr 9-12' });
    expect(fixed.status).toBe(201);
    expect(fixed.body).toMatchObject({
      structureId: structure.id,
      kind: 'fixed',
      communeInsee: '05003',
      communeName: 'Aiguilles',
      openingHours: 'Mo-Fr 09:00-12:00',
      recurrence: null,
      active: true,
    });
    expect(await auditRows(fixed.body.id)).toEqual([expect.objectContaining({ action: 'site.create', entity_type: 'site' })]);

    const itinerant = await admin.post(base, {
      name: 'Bus France Services',
      kind: 'itinerant',
      communeInsee: '05003',
      openingHours: 'Tu 09:00-12:00',
      recurrence: 'rrule:freq=weekly;byday=tu',
      recurrenceLabel: 'Chaque mardi matin, place de la mairie',
    });
    expect(itinerant.status).toBe(201);
    expect(itinerant.body.recurrence).toBe('FREQ=WEEKLY;BYDAY=TU');

    const badHours = await admin.post(base, { name: 'Horaires faux', kind: 'fixed', communeInsee: '05003', openingHours: 'du lundi au vendredi de 9h à 12h' });
    expect(badHours.status).toBe(400);
    expect(fields(badHours.body)).toEqual(['openingHours']);
    expect(badHours.body.details[0].messages[0]).toContain('OpenStreetMap');

    const noRecurrence = await admin.post(base, { name: 'Itinérant sans récurrence', kind: 'itinerant', communeInsee: '05003' });
    expect(noRecurrence.status).toBe(400);
    expect(noRecurrence.body.message).toContain('récurrence');
    expect(fields(noRecurrence.body)).toEqual(['recurrence']);

    const badRule = await admin.post(base, { name: 'RRULE fausse', kind: 'itinerant', communeInsee: '05003', recurrence: 'FREQ=WEEKLY;BYDAY=XX' });
    expect(badRule.status).toBe(400);
    expect(fields(badRule.body)).toEqual(['recurrence']);
    const loopingRule = await admin.post(base, { name: 'RRULE fausse', kind: 'itinerant', communeInsee: '05003', recurrence: 'FREQ=WEEKLY;INTERVAL=abc' });
    expect(loopingRule.status).toBe(400);

    const foreign = await admin.post(base, { name: 'Grenoble', kind: 'fixed', communeInsee: '38185' });
    expect(foreign.status).toBe(400);
    expect(fields(foreign.body)).toEqual(['communeInsee']);

    // Partial updates keep the itinerant/recurrence rule on the merged site.
    expect((await admin.patch(`/api/sites/${fixed.body.id}`, { kind: 'itinerant' })).status).toBe(400);
    expect((await admin.patch(`/api/sites/${itinerant.body.id}`, { recurrence: null })).status).toBe(400);
    expect((await admin.patch(`/api/sites/${fixed.body.id}`, { openingHours: 'n’importe quoi' })).status).toBe(400);
    const moved = await admin.patch(`/api/sites/${fixed.body.id}`, { kind: 'itinerant', recurrence: 'FREQ=MONTHLY;BYDAY=1TH', openingHours: null });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ kind: 'itinerant', recurrence: 'FREQ=MONTHLY;BYDAY=1TH', openingHours: null, name: 'Maison France Services' });
    const closed = await admin.patch(`/api/sites/${itinerant.body.id}`, { active: false });
    expect(closed.status).toBe(200);
    expect(closed.body.active).toBe(false);
    expect(await auditRows(itinerant.body.id)).toEqual([
      expect.objectContaining({ action: 'site.create' }),
      expect.objectContaining({ action: 'site.update', reason: 'deactivated' }),
    ]);

    const reception = await t.signIn('reception_agent', structure.id);
    const sites = await reception.get(base);
    expect(sites.status).toBe(200);
    expect((sites.body as Site[]).map((x) => [x.name, x.active, x.communeName])).toEqual([
      ['Maison France Services', true, 'Aiguilles'],
      ['Bus France Services', false, 'Aiguilles'],
    ]);
    expect((await reception.post(base, { name: 'Non autorisé', kind: 'fixed', communeInsee: '05003' })).status).toBe(403);
    expect((await reception.get(`/api/structures/${UNKNOWN_ID}/sites`)).status).toBe(404);
    expect((await admin.patch(`/api/sites/${UNKNOWN_ID}`, { name: 'x' })).status).toBe(404);
  });

  it('keeps a structure admin out of the sites of other structures', async () => {
    const mine = await t.createStructure({ name: 'Structure A (test sites)' });
    const theirs = await t.createStructure({ name: 'Structure B (test sites)' });
    const theirSite = await addSite(theirs.id, { name: 'Site de B' });
    const admin = await t.signIn('structure_admin', mine.id);
    expect((await admin.post(`/api/structures/${theirs.id}/sites`, { name: 'Intrus', kind: 'fixed', communeInsee: '05061' })).status).toBe(403);
    expect((await admin.patch(`/api/sites/${theirSite.id}`, { name: 'Renommé' })).status).toBe(403);
    const [row] = await t.dataSource.query(`SELECT name FROM site WHERE id = $1`, [theirSite.id]);
    expect(row.name).toBe('Site de B');

    const platform = await t.signIn('platform_admin');
    expect((await platform.patch(`/api/sites/${theirSite.id}`, { name: 'Site de B (renommé)' })).status).toBe(200);
    expect((await platform.post(`/api/structures/${theirs.id}/sites`, { name: 'Autre', kind: 'fixed', communeInsee: '05061' })).status).toBe(201);
  });

  it('isolates tenants: a Hautes-Alpes admin neither sees nor modifies an Isère structure', async () => {
    const isere = await t.app.get(TerritoryService).ensureTenant('38');
    const manager = t.dataSource.manager;
    const foreign = await manager.save(manager.create(StructureEntity, { tenantId: isere.id, name: 'CCAS de Grenoble', type: 'ccas', communeInsee: '38185' }));
    const foreignSite = await manager.save(
      manager.create(SiteEntity, { tenantId: isere.id, structureId: foreign.id, name: 'Accueil Grenoble', kind: 'fixed', communeInsee: '38185' }),
    );

    const admin = await t.signIn('platform_admin');
    const list = await admin.get('/api/structures?q=grenoble');
    expect((list.body as Structure[]).map((x) => x.id)).not.toContain(foreign.id);
    expect((await admin.get('/api/structures')).body.map((x: Structure) => x.id)).not.toContain(foreign.id);
    expect((await admin.get(`/api/structures/${foreign.id}`)).status).toBe(404);
    expect((await admin.patch(`/api/structures/${foreign.id}`, { name: 'Piraté' })).status).toBe(404);
    expect((await admin.get(`/api/structures/${foreign.id}/sites`)).status).toBe(404);
    expect((await admin.post(`/api/structures/${foreign.id}/sites`, { name: 'Intrus', kind: 'fixed', communeInsee: '05061' })).status).toBe(404);
    expect((await admin.patch(`/api/sites/${foreignSite.id}`, { name: 'Piraté' })).status).toBe(404);
    const [row] = await t.dataSource.query(`SELECT name FROM structure WHERE id = $1`, [foreign.id]);
    expect(row.name).toBe('CCAS de Grenoble');

    // Same name in another tenant is not a duplicate.
    expect((await admin.post('/api/structures', { name: 'CCAS de Grenoble', type: 'ccas' })).status).toBe(201);
  });
});
